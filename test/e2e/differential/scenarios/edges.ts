import type { Gizmo } from "../crds.js";
import { shopV1 } from "../../../../fixtures/generated/index.js";
import { type W, widgets, allWidgets, gizmos, widget, gizmo, g, rvOf, apply, rewriteMessages, type Scenario } from "./common.js";

/**
 * resourceVersion "0" reads are served from the real server's watch cache, which may lag a write
 * by a few milliseconds: the scenarios give it a moment (harmless on the fake).
 */
const cacheCatchUp = (): Promise<void> => new Promise((r) => setTimeout(r, 300));

/** Scenarios: more edges: scope, dry run, metadata checks, watch options. */
export const EDGES: Scenario[] = [
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
    await cacheCatchUp();
    await s.step("list", () => widgets(s).list({ resourceVersion: "0", limit: 1 }).then((l) => ({ names: l.items.map((i) => i.metadata.name), more: l.metadata.continue })));
  } },
  { name: "get with resourceVersion 0", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await cacheCatchUp();
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
    project: rewriteMessages((m) => m.replace(/too old resource version: 1 \(\d+\)/, "too old resource version: 1 (<oldest>)")),
  }, run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    s.fake?.compact();
    await s.watch("watch", shopV1.widgetResource, s.ns, { resourceVersion: "1" }, 1, async () => undefined);
  } },
  { name: "list with a continue token that is not one", differs: {
    why: "the server's message ends with what Go's JSON decoder said of the decoded token",
    project: rewriteMessages((m) => m.replace(/(continue key is not valid:).*/, "$1 …")),
  }, run: async (s) => {
    await s.step("list", () => widgets(s).list({ limit: 1, continue: "bm90LWEtdG9rZW4" }));
  } },
  { name: "paths the server has no handler for", run: async (s) => {
    const get = (path: string): Promise<unknown> => s.rest.request({ verb: "get", method: "GET", path });
    await s.step("status of a missing object of a kind without the subresource", () => s.rest.request({ verb: "update", method: "PUT", path: `/apis/difftest.example.com/v1/gizmos/${g(s, "none")}/status`, body: gizmo(g(s, "none")) }));
    const made = (await s.step("create", () => gizmos(s).create(gizmo(g(s, "a"))))) as Gizmo;
    await s.step("get status", () => get(`/apis/difftest.example.com/v1/gizmos/${g(s, "a")}/status`));
    await s.step("status of a kind without the subresource", () => s.rest.request({ verb: "update", method: "PUT", path: `/apis/difftest.example.com/v1/gizmos/${g(s, "a")}/status`, body: { ...made, status: { note: "x" } } }));
    await s.step("a cluster-scoped kind under a namespace", () => get(`/apis/difftest.example.com/v1/namespaces/${s.ns}/gizmos`));
    await s.step("a resource that does not exist", () => get("/apis/difftest.example.com/v1/nothings"));
    await s.step("a version that is not served", () => get(`/apis/shop.example.com/v1alpha1/namespaces/${s.ns}/widgets`));
  } },
  { name: "a merge patch that renames the object", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("patch", () => widgets(s).patch("a", { type: "merge", patch: { metadata: { name: "b" } } }));
  } },
  { name: "JSON patch of status and of scale", run: async (s) => {
    await s.step("create", () => widgets(s).create(widget("a")));
    await s.step("patchStatus", () => widgets(s).patchStatus("a", { type: "json", patch: [{ op: "add", path: "/status", value: { phase: "Ready" } }] }));
    await s.step("patchScale", () => widgets(s).patchScale("a", { type: "json", patch: [{ op: "replace", path: "/spec/replicas", value: 3 }] }));
    await s.step("get", () => widgets(s).get("a"));
  } },
  { name: "deleteCollection by field selector", run: async (s) => {
    for (const n of ["a", "b"]) await s.step(`create ${n}`, () => widgets(s).create(widget(n)));
    await s.step("deleteCollection", () => widgets(s).deleteCollection({ fieldSelector: "metadata.name=a" }));
    await s.step("list", () => widgets(s).list().then((l) => l.items.map((i) => i.metadata.name)));
  } },
  { name: "deleteCollection of finalizing objects", run: async (s) => {
    for (const n of ["a", "b"]) await s.step(`create ${n}`, () => widgets(s).create(widget(n, {}, { finalizers: n === "a" ? ["example.com/hold"] : [] })));
    await s.step("deleteCollection", () => widgets(s).deleteCollection());
    await s.step("list", () => widgets(s).list());
  } },
];
