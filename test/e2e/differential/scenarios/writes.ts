import { shopV1 } from "../../../../fixtures/generated/index.js";
import { type Gizmo } from "../crds.js";
import { type W, widgets, gizmos, widget, gizmo, g, rvOf, stripFields, type Scenario } from "./common.js";

/** Scenarios: create, get, update and the two patches. */
export const WRITES: Scenario[] = [
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
];
