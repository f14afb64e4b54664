import type { KubeObject, ResourceClientFor } from "@kube-codegen/runtime";
import { shopV1 } from "../../../fixtures/generated/index.js";
import { gizmoResource, type Gizmo, type GizmoKind } from "./crds.js";
import type { Side } from "./harness.js";

/** A scripted scenario; `differs` documents where the fake knowingly answers otherwise. */
export interface Scenario {
  readonly name: string;
  readonly run: (s: Side) => Promise<void>;
  /** Why the fake differs, and what stays equal: both sides' outcomes are compared through `project`. */
  readonly differs?: { readonly why: string; readonly project: (outcome: unknown) => unknown };
}

type W = shopV1.Widget;
const widgets = (s: Side, ns = s.ns): ResourceClientFor<shopV1.WidgetKind> => s.client<shopV1.WidgetKind>(shopV1.widgetResource, ns);
const allWidgets = (s: Side): ResourceClientFor<shopV1.WidgetKind> => s.client<shopV1.WidgetKind>(shopV1.widgetResource);
const gizmos = (s: Side): ResourceClientFor<GizmoKind> => s.client<GizmoKind>(gizmoResource);
const widget = (name: string, spec: Partial<NonNullable<W["spec"]>> = {}, meta: Partial<W["metadata"]> = {}): W => ({
  apiVersion: "shop.example.com/v1",
  kind: "Widget",
  metadata: { name, ...meta },
  spec: { size: "small", ...spec },
});
const gizmo = (name: string, spec: Gizmo["spec"] = {}, meta: Partial<Gizmo["metadata"]> = {}): Gizmo => ({ apiVersion: "difftest.example.com/v1", kind: "Gizmo", metadata: { name, ...meta }, spec });
/** A unique gizmo name per run (gizmos are cluster-scoped: namespaces do not separate runs). */
const g = (s: Side, n: string): string => `${s.ns}-${n}`;
const rvOf = (o: unknown): string => ((o as KubeObject | undefined)?.metadata.resourceVersion ?? "");
const stripFields = (o: KubeObject): KubeObject => {
  const { managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata };
};

const apply = (s: Side, name: string, spec: Record<string, unknown>, manager: string, force = false, meta: Record<string, unknown> = {}): Promise<unknown> =>
  s.step(`apply ${name} as ${manager}${force ? " (force)" : ""}`, () =>
    widgets(s).apply({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name, ...meta }, spec } as never, { fieldManager: manager, force }),
  );

export const SCENARIOS: Scenario[] = [
  // --- create and get ---
  { name: "create then get: defaults applied, generation 1", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("get", () => widgets(s).get("a"));
  } },
  { name: "create with generateName", run: async (s) => {
    const w = (await s.step("create", () => widgets(s).create(widget("", {}, { generateName: "gen-" })))) as W;
    await s.step("get it", () => widgets(s).get(w.metadata.name ?? ""));
  } },
  { name: "create without a name", run: async (s) => {
    await s.step("create", () => widgets(s).create({ ...widget(""), metadata: {} }));
  } },
  { name: "create twice: AlreadyExists", run: async (s) => {
    await s.step("first", () => widgets(s).create(widget("a")));
    await s.step("second", () => widgets(s).create(widget("a")));
  } },
  { name: "get a missing object: NotFound", run: async (s) => {
    await s.step("get", () => widgets(s).get("missing"));
  } },
  { name: "create with an invalid name", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("Not_Valid")));
  } },
  { name: "create with a resourceVersion", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", {}, { resourceVersion: "12" })));
  } },
  { name: "create drops status (status subresource)", run: async (s) => {
    await s.step("create", () => widgets(s).create({ ...widget("a"), status: { phase: "Ready" } }));
  } },
  { name: "create with another namespace in the body", run: async (s) => {
    await s.step("create", () => s.client<shopV1.WidgetKind>(shopV1.widgetResource, s.ns).create(widget("a", {}, { namespace: s.ns2 })));
  } },
  { name: "create prunes unknown fields (fieldValidation default)", run: async (s) => {
    await s.step("create", () => widgets(s).create({ ...widget("a"), spec: { size: "small", bogus: 1 } as never }));
  } },
  { name: "create with an unknown field under fieldValidation=Strict", run: async (s) => {
    await s.step("create", () => widgets(s).create({ ...widget("a"), spec: { size: "small", bogus: 1 } as never }, { fieldValidation: "Strict" }));
  } },
  { name: "create with a value outside the enum: Invalid", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", { size: "huge" as never })));
  } },
  { name: "create without the required spec: Invalid", run: async (s) => {
    await s.step("create", () => widgets(s).create({ ...widget("a"), spec: undefined } as never));
  } },
  { name: "dry-run create stores nothing", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a"), { dryRun: true }).then(stripFields));
    await s.step("get", () => widgets(s).get("a"));
  } },
  { name: "cluster-scoped create, get, list by name", run: async (s) => {
    await s.step("create", () => gizmos(s).create(gizmo(g(s, "a"), { color: "red" })));
    await s.step("get", () => gizmos(s).get(g(s, "a")));
  } },
  { name: "null fields are dropped", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", { color: null as never })));
  } },
  // --- update ---
  { name: "update of spec bumps generation and resourceVersion", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    await s.step("update", () => widgets(s).update({ ...a, spec: { ...a.spec, size: "large" } as W["spec"] }));
  } },
  { name: "update of labels only keeps generation", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    await s.step("update", () => widgets(s).update({ ...a, metadata: { ...a.metadata, labels: { x: "1" } } }));
  } },
  { name: "update with a stale resourceVersion: Conflict", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    await s.step("update 1", () => widgets(s).update({ ...a, spec: { ...a.spec, color: "red" } as W["spec"] }));
    await s.step("update 2 (stale)", () => widgets(s).update({ ...a, spec: { ...a.spec, color: "blue" } as W["spec"] }));
  } },
  { name: "update without a resourceVersion: Invalid", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    const { resourceVersion: _rv, ...metadata } = a.metadata;
    await s.step("update", () => widgets(s).update({ ...a, metadata }));
  } },
  { name: "update of a missing object: NotFound", run: async (s) => {
    await s.step("update", () => widgets(s).update(widget("missing", {}, { resourceVersion: "5" })));
  } },
  { name: "update ignores status (status subresource)", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    await s.step("update", () => widgets(s).update({ ...a, status: { phase: "Ready" } }));
  } },
  { name: "updateStatus writes only status", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    await s.step("updateStatus", () => widgets(s).updateStatus({ ...a, metadata: { ...a.metadata, labels: { ignored: "yes" } }, spec: { size: "large" }, status: { phase: "Ready", replicas: 2 } }));
    await s.step("get", () => widgets(s).get("a"));
  } },
  { name: "a no-op update keeps the resourceVersion", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    await s.step("update", () => widgets(s).update(a));
  } },
  { name: "status without a subresource is part of the object (generation bumps)", run: async (s) => {
    const a = (await s.step("create", () => gizmos(s).create({ ...gizmo(g(s, "a")), status: { note: "x" } }))) as Gizmo;
    await s.step("update status", () => gizmos(s).update({ ...a, status: { note: "y" } }));
  } },
  { name: "update while deleting: generation bumps, deletionTimestamp stays", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", {}, { finalizers: ["example.com/hold"] })));
    const d = (await s.step("delete", () => widgets(s).delete("a"))) as W;
    await s.step("update spec", () => widgets(s).update({ ...d, spec: { size: "medium" } }));
  } },
  // --- patches ---
  { name: "merge patch of spec", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", { color: "red" })));
    await s.step("patch", () => widgets(s).patch("a", { type: "merge", patch: { spec: { color: "blue" } } }));
  } },
  { name: "merge patch with null removes the field", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", { color: "red", labels: { a: "1", b: "2" } })));
    await s.step("patch", () => widgets(s).patch("a", { type: "merge", patch: { spec: { color: null, labels: { a: null } } } }));
  } },
  { name: "merge patch of labels keeps generation", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("patch", () => widgets(s).patch("a", { type: "merge", patch: { metadata: { labels: { team: "x" } } } }));
  } },
  { name: "merge patch with a stale resourceVersion: Conflict", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    await s.step("patch 1", () => widgets(s).patch("a", { type: "merge", patch: { spec: { color: "x" } } }));
    await s.step("patch 2", () => widgets(s).patch("a", { type: "merge", patch: { metadata: { resourceVersion: rvOf(a) }, spec: { color: "y" } } }));
  } },
  { name: "merge patch of a missing object: NotFound", run: async (s) => {
    await s.step("patch", () => widgets(s).patch("missing", { type: "merge", patch: { spec: { color: "x" } } }));
  } },
  { name: "merge patch to an invalid value: Invalid (schema and scale replicas)", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("patch", () => widgets(s).patch("a", { type: "merge", patch: { spec: { replicas: -1 } } }));
  } },
  { name: "JSON patch add, replace, remove", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", { color: "red", parts: [{ name: "p1" }] })));
    await s.step("patch", () => widgets(s).patch("a", { type: "json", patch: [
      { op: "replace", path: "/spec/color", value: "blue" },
      { op: "add", path: "/spec/parts/-", value: { name: "p2", count: 2 } },
      { op: "add", path: "/metadata/labels", value: { a: "b" } },
      { op: "remove", path: "/spec/parts/0" },
    ] }));
  } },
  { name: "JSON patch test that holds", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", { color: "red" })));
    await s.step("patch", () => widgets(s).patch("a", { type: "json", patch: [{ op: "test", path: "/spec/color", value: "red" }, { op: "replace", path: "/spec/color", value: "green" }] }));
  } },
  { name: "JSON patch test that fails", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", { color: "red" })));
    await s.step("patch", () => widgets(s).patch("a", { type: "json", patch: [{ op: "test", path: "/spec/color", value: "blue" }, { op: "replace", path: "/spec/color", value: "green" }] }));
    await s.step("get", () => widgets(s).get("a").then((w) => w.spec.color));
  } },
  { name: "JSON patch remove of a missing path", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("patch", () => widgets(s).patch("a", { type: "json", patch: [{ op: "remove", path: "/spec/color" }] }));
  } },
  { name: "JSON patch move and copy", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", { color: "red" })));
    await s.step("patch", () => widgets(s).patch("a", { type: "json", patch: [{ op: "copy", from: "/spec/color", path: "/spec/labels" }] }));
    await s.step("patch 2", () => widgets(s).patch("a", { type: "json", patch: [{ op: "add", path: "/metadata/annotations", value: {} }, { op: "copy", from: "/spec/color", path: "/metadata/annotations/c" }, { op: "move", from: "/metadata/annotations/c", path: "/metadata/annotations/d" }] }));
  } },
  { name: "patchStatus merge", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("patchStatus", () => widgets(s).patchStatus("a", { type: "merge", patch: { status: { phase: "Pending" }, spec: { color: "ignored" } } }));
  } },
  // --- server-side apply ---
  { name: "apply creates the object", run: async (s) => {
    await apply(s, "a", { size: "small", color: "red" }, "alice");
  } },
  { name: "apply again changes the manager's fields", run: async (s) => {
    await apply(s, "a", { size: "small", color: "red" }, "alice");
    await apply(s, "a", { size: "medium", color: "red" }, "alice");
  } },
  { name: "apply of the same value by another manager shares ownership", run: async (s) => {
    await apply(s, "a", { size: "small", color: "red" }, "alice");
    await apply(s, "a", { size: "small", color: "red" }, "bob");
  } },
  { name: "apply of a different value by another manager: Conflict", run: async (s) => {
    await apply(s, "a", { size: "small", color: "red" }, "alice");
    await apply(s, "a", { size: "small", color: "blue" }, "bob");
  } },
  { name: "apply conflicts on two fields", run: async (s) => {
    await apply(s, "a", { size: "small", color: "red" }, "alice");
    await apply(s, "a", { size: "large", color: "blue" }, "bob");
  } },
  { name: "apply with force takes the field over", run: async (s) => {
    await apply(s, "a", { size: "small", color: "red" }, "alice");
    await apply(s, "a", { size: "small", color: "blue" }, "bob", true);
  } },
  { name: "apply drops fields the manager stopped applying", run: async (s) => {
    await apply(s, "a", { size: "small", color: "red" }, "alice");
    await apply(s, "a", { size: "small" }, "alice");
  } },
  { name: "apply of map-list items by two managers merges by key", run: async (s) => {
    await apply(s, "a", { size: "small", parts: [{ name: "x", count: 1 }] }, "alice");
    await apply(s, "a", { size: "small", parts: [{ name: "y", count: 2 }] }, "bob");
    await apply(s, "a", { size: "small", parts: [{ name: "x", count: 5 }] }, "bob");
  } },
  { name: "apply conflicts with a field set by update", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", { color: "red" })));
    await apply(s, "a", { size: "small", color: "blue" }, "alice");
  } },
  { name: "update after apply takes the field from the applier", run: async (s) => {
    await apply(s, "a", { size: "small", color: "red" }, "alice");
    await s.step("patch", () => widgets(s).patch("a", { type: "merge", patch: { spec: { color: "green" } } }));
  } },
  { name: "apply with labels", run: async (s) => {
    await apply(s, "a", { size: "small" }, "alice", false, { labels: { app: "web" }, annotations: { note: "n" } });
  } },
  { name: "applyStatus", run: async (s) => {
    await apply(s, "a", { size: "small" }, "alice");
    await s.step("applyStatus", () => widgets(s).applyStatus({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "a" }, status: { phase: "Ready", conditions: [{ type: "Ready", status: "True" }] } } as never, { fieldManager: "ctrl" }));
  } },
  { name: "apply of a set list by two managers is a union", run: async (s) => {
    const gz = gizmos(s);
    const ap = (tags: string[], m: string): Promise<unknown> => s.step(`apply ${m}`, () => gz.apply({ apiVersion: "difftest.example.com/v1", kind: "Gizmo", metadata: { name: g(s, "a") }, spec: { tags } }, { fieldManager: m }));
    await ap(["a", "b"], "alice");
    await ap(["b", "c"], "bob");
    await ap(["c"], "bob");
  } },
  { name: "apply of an atomic map replaces it and conflicts as one field", run: async (s) => {
    const gz = gizmos(s);
    const ap = (config: Record<string, string>, m: string): Promise<unknown> => s.step(`apply ${m}`, () => gz.apply({ apiVersion: "difftest.example.com/v1", kind: "Gizmo", metadata: { name: g(s, "a") }, spec: { config } }, { fieldManager: m }));
    await ap({ a: "1", b: "2" }, "alice");
    await ap({ a: "1", b: "2" }, "bob");
    await ap({ c: "3" }, "carol");
  } },
  // --- delete and finalizers ---
  { name: "delete answers Success, then NotFound", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("delete", () => widgets(s).delete("a"));
    await s.step("get", () => widgets(s).get("a"));
  } },
  { name: "finalizers: delete marks, removing the last finalizer deletes", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", {}, { finalizers: ["example.com/hold"] })));
    const d = (await s.step("delete", () => widgets(s).delete("a"))) as W;
    await s.step("get", () => widgets(s).get("a"));
    await s.step("remove finalizer", () => widgets(s).update({ ...d, metadata: { ...d.metadata, finalizers: [] } }));
    await s.step("get again", () => widgets(s).get("a"));
  } },
  { name: "delete of a missing object: NotFound", run: async (s) => {
    await s.step("delete", () => widgets(s).delete("missing"));
  } },
  { name: "delete with a wrong uid precondition: Conflict", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("delete", () => widgets(s).delete("a", { preconditions: { uid: "00000000-0000-0000-0000-000000000000" } }));
  } },
  { name: "delete with a stale resourceVersion precondition: Conflict", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    await s.step("patch", () => widgets(s).patch("a", { type: "merge", patch: { spec: { color: "x" } } }));
    await s.step("delete", () => widgets(s).delete("a", { preconditions: { resourceVersion: rvOf(a) } }));
  } },
  { name: "delete with matching preconditions", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    await s.step("delete", () => widgets(s).delete("a", { preconditions: { uid: a.metadata.uid, resourceVersion: rvOf(a) } }));
  } },
  { name: "delete with propagationPolicy Orphan (no garbage collector)", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("delete", () => widgets(s).delete("a", { propagationPolicy: "Orphan" }));
  } },
  { name: "delete with propagationPolicy Foreground (no garbage collector)", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("delete", () => widgets(s).delete("a", { propagationPolicy: "Foreground" }));
  } },
  { name: "delete twice while finalizing", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", {}, { finalizers: ["example.com/hold"] })));
    await s.step("delete 1", () => widgets(s).delete("a"));
    await s.step("delete 2", () => widgets(s).delete("a"));
  } },
  { name: "dry-run delete keeps the object", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("delete", () => widgets(s).delete("a", { dryRun: true }));
    await s.step("get", () => widgets(s).get("a").then((w) => w.metadata.name));
  } },
  { name: "deleteCollection by label", run: async (s) => {
    for (const [n, team] of [["a", "x"], ["b", "y"], ["c", "x"]] as const) await s.step(`create ${n}`, () => widgets(s).create(widget(n, {}, { labels: { team } })));
    await s.step("deleteCollection", () => widgets(s).deleteCollection({ labelSelector: "team=x" }));
    await s.step("list", () => widgets(s).list());
  } },
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
  // --- more edges ---
  { name: "create of a namespaced kind without a namespace", run: async (s) => {
    await s.step("create", () => allWidgets(s).create(widget("a")));
  } },
  { name: "cluster-scoped create ignores metadata.namespace", run: async (s) => {
    await s.step("create", () => gizmos(s).create(gizmo(g(s, "a"), {}, { namespace: "somewhere" })));
  } },
  { name: "dry-run update and apply store nothing", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    await s.step("update", () => widgets(s).update({ ...a, spec: { size: "large" } }, { dryRun: true }));
    await s.step("apply", () => widgets(s).apply({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "a" }, spec: { color: "c" } } as never, { fieldManager: "m", dryRun: true }));
    await s.step("get", () => widgets(s).get("a"));
  } },
  { name: "apply with a stale resourceVersion: Conflict", run: async (s) => {
    const a = (await apply(s, "a", { size: "small" }, "alice")) as W;
    await apply(s, "a", { size: "small", color: "x" }, "alice");
    await apply(s, "a", { size: "small", color: "y" }, "alice", false, { resourceVersion: rvOf(a) });
  } },
  { name: "update under fieldValidation=Strict", run: async (s) => {
    const a = (await s.step("create", () => widgets(s).create(widget("a")))) as W;
    await s.step("update", () => widgets(s).update({ ...a, spec: { size: "small", extra: true } as never }, { fieldValidation: "Strict" }));
  } },
  { name: "no new finalizers while deleting", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", {}, { finalizers: ["example.com/a"] })));
    await s.step("delete", () => widgets(s).delete("a"));
    await s.step("add finalizer", () => widgets(s).patch("a", { type: "merge", patch: { metadata: { finalizers: ["example.com/a", "example.com/b"] } } }));
  } },
  { name: "an invalid label key and annotation key: Invalid", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", {}, { labels: { "bad key": "v" } })));
    await s.step("create 2", () => widgets(s).create(widget("b", {}, { annotations: { "Example.com/x": "v" } })));
  } },
  { name: "an invalid label value: Invalid", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a", {}, { labels: { app: "not valid!" } })));
  } },
  { name: "list with resourceVersion 0 ignores limit", run: async (s) => {
    for (const n of ["a", "b", "c"]) await s.step(`create ${n}`, () => widgets(s).create(widget(n)));
    await s.step("list", () => widgets(s).list({ resourceVersion: "0", limit: 1 }).then((l) => ({ names: l.items.map((i) => i.metadata.name), more: l.metadata.continue })));
  } },
  { name: "get with resourceVersion 0", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("get", () => widgets(s).get("a", { resourceVersion: "0" }));
  } },
  { name: "a watch with timeoutSeconds ends cleanly", run: async (s) => {
    const l = (await s.step("list", () => widgets(s).list())) as shopV1.WidgetList;
    await s.watch("watch", shopV1.widgetResource, s.ns, { resourceVersion: l.metadata.resourceVersion, timeoutSeconds: 1 }, 5, async () => {
      await s.step("create", () => widgets(s).create(widget("a")));
    });
  } },
  { name: "sendInitialEvents without resourceVersionMatch", run: async (s) => {
    await s.watch("watch", shopV1.widgetResource, s.ns, { sendInitialEvents: true, allowWatchBookmarks: true }, 1, async () => undefined);
  } },
  { name: "watch from a resourceVersion too old: 410 Expired", differs: {
    why: "the real server's watch cache starts when the CRD is established, so \"1\" is too old there; a fresh fake has all its history, so the scenario compacts the fake first; the oldest version kept (in the message) differs",
    project: (o) => JSON.parse(JSON.stringify(o).replace(/too old resource version: 1 \(\d+\)/, "too old resource version: 1 (<oldest>)")) as unknown,
  }, run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    s.fake?.compact();
    await s.watch("watch", shopV1.widgetResource, s.ns, { resourceVersion: "1" }, 1, async () => undefined);
  } },
  { name: "deleteCollection of finalizing objects", run: async (s) => {
    for (const n of ["a", "b"]) await s.step(`create ${n}`, () => widgets(s).create(widget(n, {}, { finalizers: n === "a" ? ["example.com/hold"] : [] })));
    await s.step("deleteCollection", () => widgets(s).deleteCollection());
    await s.step("list", () => widgets(s).list());
  } },
];

/** An outcome with the error messages (and causes' messages) left out. */
export function dropMessages(o: unknown): unknown {
  const x = o as { error?: { message?: unknown; details?: { causes?: { message?: unknown }[] } } };
  if (x.error === undefined) return o;
  const { message: _m, ...error } = x.error;
  return { ...x, error: { ...error, ...(error.details !== undefined ? { details: { ...error.details, ...(error.details.causes !== undefined ? { causes: error.details.causes.map(({ message: _c, ...rest }) => rest) } : {}) } } : {}) } };
}
