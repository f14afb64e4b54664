import { propertySchema, type StructuralSchema } from "./schema.js";
import { jsonEqual } from "./patch.js";

/**
 * Field sets as server-side apply keeps them (structured-merge-diff): every node of an object is a
 * path of elements `f:<field>`, `k:<json of the keys>` (items of `map` lists), `v:<json>` (items of
 * `set` lists); `atomic` lists and maps are leaves. A set is a `Map` from the path's key to the path.
 */
export type Path = readonly string[];
/** A set of paths, by their key. */
export type FieldSet = Map<string, Path>;

const SEP = "\u0000";
/** A path as one string (the key of a {@link FieldSet}). */
export const pathKey = (p: Path): string => p.join(SEP);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Metadata the server keeps out of managed fields. */
const STRIPPED_META = new Set(["name", "namespace", "creationTimestamp", "selfLink", "uid", "resourceVersion", "generation", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds"]);

/** The element of a list item: `k:{...}` for map lists, `v:...` for sets, undefined for atomic lists. */
export function itemElement(schema: StructuralSchema | undefined, item: unknown): string | undefined {
  const type = schema?.["x-kubernetes-list-type"];
  if (type === "set") return `v:${JSON.stringify(item)}`;
  if (type === "map" && isObject(item)) {
    const keys: Record<string, unknown> = {};
    for (const k of schema?.["x-kubernetes-list-map-keys"] ?? []) if (item[k] !== undefined) keys[k] = item[k];
    return `k:${JSON.stringify(keys)}`;
  }
  return undefined;
}

const atomicMap = (s: StructuralSchema | undefined): boolean => s?.["x-kubernetes-map-type"] === "atomic";
const granularList = (s: StructuralSchema | undefined): boolean => s?.["x-kubernetes-list-type"] === "map" || s?.["x-kubernetes-list-type"] === "set";

/**
 * The field set of an object. `part`: the main resource leaves out `status` when the kind has a
 * status subresource, the status subresource keeps only `status` (and metadata); "all" keeps all.
 */
export function fieldsOf(obj: unknown, schema: StructuralSchema | undefined, part: "main" | "status" | "all"): FieldSet {
  const set: FieldSet = new Map();
  if (!isObject(obj)) return set;
  for (const [k, v] of Object.entries(obj)) {
    if (k === "apiVersion" || k === "kind") continue;
    if (k === "metadata") {
      if (!isObject(v)) continue;
      for (const [mk, mv] of Object.entries(v)) {
        if (STRIPPED_META.has(mk) || mv === undefined) continue;
        collect(mv, ["f:metadata", `f:${mk}`], mk === "finalizers" ? { "x-kubernetes-list-type": "set" } : mk === "ownerReferences" ? { "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["uid"] } : { type: "object", additionalProperties: { type: "string" } }, set);
      }
      continue;
    }
    if (part === "main" && k === "status") continue;
    if (part === "status" && k !== "status") continue;
    if (v === undefined) continue;
    collect(v, [`f:${k}`], propertySchema(schema, k), set);
  }
  return set;
}

function collect(value: unknown, path: Path, schema: StructuralSchema | undefined, set: FieldSet): void {
  set.set(pathKey(path), path);
  if (Array.isArray(value)) {
    if (!granularList(schema)) return;
    for (const item of value) {
      const el = itemElement(schema, item);
      if (el === undefined) continue;
      const p = [...path, el];
      set.set(pathKey(p), p);
      if (schema?.["x-kubernetes-list-type"] === "map" && isObject(item)) {
        for (const [k, v] of Object.entries(item)) collect(v, [...p, `f:${k}`], propertySchema(schema?.items, k), set);
      }
    }
    return;
  }
  if (!isObject(value) || atomicMap(schema)) return;
  for (const [k, v] of Object.entries(value)) if (v !== undefined) collect(v, [...path, `f:${k}`], propertySchema(schema, k), set);
}

/** The value at a path of an object (undefined when absent). */
export function valueAt(obj: unknown, path: Path, schema: StructuralSchema | undefined): unknown {
  let node: unknown = obj;
  let s: StructuralSchema | undefined = schema;
  for (const el of path) {
    if (el.startsWith("f:")) {
      const name = el.slice(2);
      if (!isObject(node)) return undefined;
      node = node[name];
      s = path[0] === "f:metadata" ? undefined : propertySchema(s, name);
    } else {
      if (!Array.isArray(node)) return undefined;
      const listSchema = s;
      node = node.find((item) => itemElement(listSchema, item) === el);
      s = listSchema?.items;
    }
  }
  return node;
}

/** Paths whose (leaf) value differs between two objects, plus paths added and removed. */
export function compare(oldObj: unknown, newObj: unknown, schema: StructuralSchema | undefined, part: "main" | "status" | "all"): { added: FieldSet; modified: FieldSet; removed: FieldSet } {
  const a = fieldsOf(oldObj, schema, part);
  const b = fieldsOf(newObj, schema, part);
  const added: FieldSet = new Map();
  const modified: FieldSet = new Map();
  const removed: FieldSet = new Map();
  for (const [k, p] of b) {
    if (!a.has(k)) added.set(k, p);
    else if (isLeaf(b, p) && !jsonEqual(valueAt(oldObj, p, schema), valueAt(newObj, p, schema))) modified.set(k, p);
  }
  for (const [k, p] of a) if (!b.has(k)) removed.set(k, p);
  return { added, modified, removed };
}

/**
 * The set an apply configuration owns: its leaves and list items, not the fields that only hold
 * other fields (the server leaves `"."` out of those in an Apply entry).
 */
export function appliedFields(set: FieldSet): FieldSet {
  const out: FieldSet = new Map();
  for (const [k, p] of set) if (!(p[p.length - 1] ?? "").startsWith("f:") || isLeaf(set, p)) out.set(k, p);
  return out;
}

/** True when no other path of the set lies under `p`. */
export function isLeaf(set: FieldSet, p: Path): boolean {
  const prefix = pathKey(p) + SEP;
  for (const k of set.keys()) if (k.startsWith(prefix)) return false;
  return true;
}

/** `fieldsV1` of a set: nested objects, `"."` marking a node that is itself a member. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const sorted = [...set.values()].sort((x, y) => x.length - y.length);
  for (const p of sorted) {
    let node = root;
    for (const el of p) {
      const child = (node[el] ??= {}) as Record<string, unknown>;
      node = child;
    }
  }
  // Mark members that have children.
  for (const p of sorted) {
    let node: Record<string, unknown> = root;
    for (const el of p) node = node[el] as Record<string, unknown>;
    if (Object.keys(node).some((k) => k !== ".")) node["."] = {};
  }
  return root;
}

/** The set a `fieldsV1` object describes (the inverse of {@link toFieldsV1}). */
export function fromFieldsV1(v1: Record<string, unknown>, prefix: Path = [], set: FieldSet = new Map()): FieldSet {
  for (const [el, child] of Object.entries(v1)) {
    if (el === ".") continue;
    const p = [...prefix, el];
    // A node is a member when it is a leaf or says so with ".".
    if (!isObject(child) || Object.keys(child).length === 0 || "." in child) set.set(pathKey(p), p);
    if (isObject(child)) fromFieldsV1(child, p, set);
  }
  return set;
}

/** `.spec.parts[name="a"].count`: a path as the server prints it in conflicts. */
export function describePath(p: Path): string {
  return p
    .map((el) => {
      if (el.startsWith("f:")) return `.${el.slice(2)}`;
      if (el.startsWith("v:")) return `[=${el.slice(2)}]`;
      const keys = JSON.parse(el.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}]`;
    })
    .join("");
}
