import { type Gizmo } from "../crds.js";
import { type W, widgets, gizmos, widget, g, rvOf, apply, type Scenario } from "./common.js";

/** Scenarios: server-side apply, delete and finalizers. */
export const APPLY: Scenario[] = [
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
];
