import { shopV1 } from "../../../../fixtures/generated/index.js";
import { gizmoResource, type GizmoKind } from "../crds.js";
import { widgets, allWidgets, gizmos, widget, gizmo, g, dropMessages, type Scenario } from "./common.js";

/** Scenarios: lists, selectors, paging, scale and watches. */
export const READS: Scenario[] = [
  // --- list, selectors, paging ---
  { name: "list with label selectors", run: async (s) => {
    for (const [n, labels] of [["a", { app: "web", tier: "1" }], ["b", { app: "api" }], ["c", { app: "db", legacy: "true" }], ["d", {}]] as const) {
      await s.step(`create ${n}`, () => widgets(s).create(widget(n, {}, { labels: { ...labels } })));
    }
    for (const sel of ["app=web", "app!=web", "app in (web,api)", "app notin (web)", "legacy", "!legacy", "app,!legacy", "tier>0"]) {
      await s.step(`list ${sel}`, () => widgets(s).list({ labelSelector: sel }).then((l) => l.items.map((i) => i.metadata.name)));
    }
  } },
  { name: "list with field selectors on metadata", run: async (s) => {
    for (const n of ["a", "b"]) await s.step(`create ${n}`, () => widgets(s).create(widget(n)));
    await s.step("by name", () => widgets(s).list({ fieldSelector: "metadata.name=b" }).then((l) => l.items.map((i) => i.metadata.name)));
    await s.step("by not name", () => widgets(s).list({ fieldSelector: "metadata.name!=b" }).then((l) => l.items.map((i) => i.metadata.name)));
    await s.step("by namespace", () => allWidgets(s).list({ fieldSelector: `metadata.namespace=${s.ns}` }).then((l) => l.items.map((i) => i.metadata.name)));
  } },
  { name: "list with a selectable field", run: async (s) => {
    for (const [n, color] of [["a", "red"], ["b", "blue"]]) await s.step(`create ${n}`, () => gizmos(s).create(gizmo(g(s, n ?? ""), { color: color ?? "" })));
    await s.step("red", () => gizmos(s).list({ fieldSelector: "spec.color=red" }).then((l) => l.items.map((i) => i.metadata.name).filter((x) => x?.startsWith(s.ns))));
  } },
  { name: "list with an unsupported field selector", run: async (s) => {
    await s.step("list", () => widgets(s).list({ fieldSelector: "spec.color=red" }));
  } },
  { name: "list with a label selector that does not parse", differs: { why: "the parse error is worded by our selector parser", project: dropMessages }, run: async (s) => {
    await s.step("list", () => widgets(s).list({ labelSelector: "a in (b" }));
  } },
  { name: "paging with limit and continue", run: async (s) => {
    for (const n of ["e", "a", "d", "b", "c"]) await s.step(`create ${n}`, () => widgets(s).create(widget(n)));
    const p1 = (await s.step("page 1", () => widgets(s).list({ limit: 2 }))) as shopV1.WidgetList;
    const p2 = (await s.step("page 2", () => widgets(s).list({ limit: 2, continue: p1.metadata.continue }))) as shopV1.WidgetList;
    await s.step("page 3", () => widgets(s).list({ limit: 2, continue: p2.metadata.continue }));
  } },
  { name: "paging with a selector (no remaining count)", run: async (s) => {
    for (const n of ["a", "b", "c"]) await s.step(`create ${n}`, () => widgets(s).create(widget(n, {}, { labels: { k: "v" } })));
    await s.step("page 1", () => widgets(s).list({ limit: 2, labelSelector: "k=v" }).then((l) => ({ names: l.items.map((i) => i.metadata.name), remaining: l.metadata.remainingItemCount, more: l.metadata.continue !== undefined })));
  } },
  { name: "listAll pages one snapshot", run: async (s) => {
    for (const n of ["a", "b", "c"]) await s.step(`create ${n}`, () => widgets(s).create(widget(n)));
    const pages: string[][] = [];
    for await (const page of widgets(s).listAll({ limit: 1 })) {
      pages.push(page.items.map((i) => i.metadata.name ?? ""));
      if (pages.length === 1) await s.step("create during", () => widgets(s).create(widget("aa")));
    }
    s.note("pages", pages);
  } },
  { name: "list across namespaces", run: async (s) => {
    await s.step("create in ns", () => widgets(s).create(widget("a")));
    await s.step("create in ns2", () => widgets(s, s.ns2).create(widget("b")));
    await s.step("list all", () => allWidgets(s).list({ labelSelector: "", fieldSelector: `metadata.namespace in (${s.ns})` }).catch(() => allWidgets(s).list()).then((l) => l.items.filter((i) => i.metadata.namespace === s.ns || i.metadata.namespace === s.ns2).map((i) => `${i.metadata.namespace === s.ns ? "ns" : "ns2"}/${i.metadata.name}`)));
  } },
  { name: "list of an empty namespace", run: async (s) => {
    await s.step("list", () => widgets(s).list());
  } },
  // --- scale ---
  { name: "getScale", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", { replicas: 3 })));
    await s.step("status", () => widgets(s).patchStatus("a", { type: "merge", patch: { status: { replicas: 2, selector: "app=a" } } }));
    await s.step("getScale", () => widgets(s).getScale("a"));
  } },
  { name: "updateScale writes spec replicas", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    const sc = (await s.step("getScale", () => widgets(s).getScale("a"))) as shopV1.Widget & { spec: { replicas: number } };
    await s.step("updateScale", () => widgets(s).updateScale("a", { ...(sc as never as import("@kube-codegen/runtime").Scale), spec: { replicas: 4 } }));
    await s.step("get", () => widgets(s).get("a"));
  } },
  { name: "patchScale merge", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("patchScale", () => widgets(s).patchScale("a", { type: "merge", patch: { spec: { replicas: 7 } } }));
  } },
  { name: "updateScale with a stale resourceVersion: Conflict", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    const sc = (await s.step("getScale", () => widgets(s).getScale("a"))) as import("@kube-codegen/runtime").Scale;
    await s.step("patch", () => widgets(s).patch("a", { type: "merge", patch: { spec: { color: "x" } } }));
    await s.step("updateScale", () => widgets(s).updateScale("a", { ...sc, spec: { replicas: 4 } }));
  } },
  { name: "getScale of a missing object", run: async (s) => {
    await s.step("getScale", () => widgets(s).getScale("missing"));
  } },
  // --- watch ---
  { name: "watch from a resourceVersion: ADDED, MODIFIED, DELETED in order", run: async (s) => {
    const l = (await s.step("list", () => widgets(s).list())) as shopV1.WidgetList;
    await s.watch("watch", shopV1.widgetResource, s.ns, { resourceVersion: l.metadata.resourceVersion }, 4, async () => {
      await s.step("create", () => widgets(s).create(widget("a")));
      await s.step("patch", () => widgets(s).patch("a", { type: "merge", patch: { spec: { color: "x" } } }));
      await s.step("status", () => widgets(s).patchStatus("a", { type: "merge", patch: { status: { phase: "Ready" } } }));
      await s.step("delete", () => widgets(s).delete("a"));
    });
  } },
  { name: "watch without a resourceVersion starts with the objects there", run: async (s) => {
    for (const n of ["b", "a"]) await s.step(`create ${n}`, () => widgets(s).create(widget(n)));
    await s.watch("watch", shopV1.widgetResource, s.ns, {}, 3, async () => {
      await s.step("create c", () => widgets(s).create(widget("c")));
    });
  } },
  { name: "watch with a label selector: objects entering and leaving", run: async (s) => {
    const l = (await s.step("list", () => widgets(s).list())) as shopV1.WidgetList;
    await s.watch("watch", shopV1.widgetResource, s.ns, { resourceVersion: l.metadata.resourceVersion, labelSelector: "app=web" }, 4, async () => {
      await s.step("create other", () => widgets(s).create(widget("b")));
      await s.step("create", () => widgets(s).create(widget("a", {}, { labels: { app: "web" } })));
      await s.step("label away", () => widgets(s).patch("a", { type: "merge", patch: { metadata: { labels: { app: "api" } } } }));
      await s.step("label other in", () => widgets(s).patch("b", { type: "merge", patch: { metadata: { labels: { app: "web" } } } }));
      await s.step("label back", () => widgets(s).patch("a", { type: "merge", patch: { metadata: { labels: { app: "web" } } } }));
    });
  } },
  { name: "watch with a field selector on the name", run: async (s) => {
    const l = (await s.step("list", () => widgets(s).list())) as shopV1.WidgetList;
    await s.watch("watch", shopV1.widgetResource, s.ns, { resourceVersion: l.metadata.resourceVersion, fieldSelector: "metadata.name=b" }, 2, async () => {
      await s.step("create a", () => widgets(s).create(widget("a")));
      await s.step("create b", () => widgets(s).create(widget("b")));
      await s.step("delete b", () => widgets(s).delete("b"));
    });
  } },
  { name: "watch a finalizer flow", run: async (s) => {
    const l = (await s.step("list", () => widgets(s).list())) as shopV1.WidgetList;
    await s.watch("watch", shopV1.widgetResource, s.ns, { resourceVersion: l.metadata.resourceVersion }, 3, async () => {
      await s.step("create", () => widgets(s).create(widget("a", {}, { finalizers: ["example.com/hold"] })));
      await s.step("delete", () => widgets(s).delete("a"));
      await s.step("unfinalize", () => widgets(s).patch("a", { type: "json", patch: [{ op: "remove", path: "/metadata/finalizers" }] }));
    });
  } },
  { name: "watch with sendInitialEvents: objects, then the initial-events-end bookmark", run: async (s) => {
    for (const n of ["a", "b"]) await s.step(`create ${n}`, () => widgets(s).create(widget(n)));
    await s.watch("watch", shopV1.widgetResource, s.ns, { sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", allowWatchBookmarks: true }, 3, async () => undefined);
  } },
  { name: "watch of a cluster-scoped kind from a resourceVersion", run: async (s) => {
    const l = (await s.step("list", () => gizmos(s).list({ fieldSelector: `metadata.name=${g(s, "a")}` }))) as GizmoKind["list"];
    await s.watch("watch", gizmoResource, undefined, { resourceVersion: l.metadata.resourceVersion, fieldSelector: `metadata.name=${g(s, "a")}` }, 2, async () => {
      await s.step("create", () => gizmos(s).create(gizmo(g(s, "a"))));
      await s.step("update", () => gizmos(s).patch(g(s, "a"), { type: "merge", patch: { spec: { n: 1 } } }));
    });
  } },
];
