import type { ManagedFieldsEntry, StatusCause } from "../meta.js";
import { appliedFields, compare, describePath, fieldsOf, fromFieldsV1, isLeaf, itemElement, pathKey, toFieldsV1, valueAt, type FieldSet, type Path } from "./fields.js";
import { jsonEqual } from "./patch.js";
import { propertySchema, type StructuralSchema } from "./schema.js";
import { applyConflict } from "./status.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Which part of the object a write addresses. */
export type Part = "main" | "status" | "all";

/** One manager's entry, with its set parsed. */
interface Entry {
  readonly manager: string;
  readonly operation: "Apply" | "Update";
  readonly subresource: string | undefined;
  readonly apiVersion: string;
  time: string;
  set: FieldSet;
}

const entryId = (e: Pick<Entry, "manager" | "operation" | "subresource">): string => `${e.manager}\u0000${e.operation}\u0000${e.subresource ?? ""}`;

function parse(entries: readonly ManagedFieldsEntry[] | undefined): Entry[] {
  return (entries ?? []).map((m) => ({
    manager: m.manager ?? "",
    operation: m.operation ?? "Update",
    subresource: m.subresource,
    apiVersion: m.apiVersion ?? "",
    time: m.time ?? "",
    set: fromFieldsV1(m.fieldsV1 ?? {}),
  }));
}

function serialize(entries: readonly Entry[]): ManagedFieldsEntry[] {
  return entries
    .filter((e) => e.set.size > 0)
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      // The server leaves the time out of scale entries (and of an apply that changed nothing).
      ...(e.time !== "" && e.subresource !== "scale" ? { time: e.time } : {}),
      fieldsType: "FieldsV1",
      fieldsV1: toFieldsV1(e.set),
      ...(e.subresource !== undefined ? { subresource: e.subresource } : {}),
    }));
}

/** What a write needs to know to update managed fields. */
export interface Ownership {
  readonly manager: string;
  readonly apiVersion: string;
  readonly subresource: string | undefined;
  readonly part: Part;
  readonly schema: StructuralSchema | undefined;
  readonly now: string;
}

/**
 * The managed fields after a create, update or non-apply patch: the writer owns what it added or
 * changed; other managers lose those fields; removed fields leave every set.
 */
export function updateManagedFields(old: unknown, next: unknown, previous: readonly ManagedFieldsEntry[] | undefined, o: Ownership): ManagedFieldsEntry[] {
  const entries = parse(previous);
  const { added, modified, removed } = compare(old, next, o.schema, o.part);
  const changed = new Map([...added, ...modified]);
  if (changed.size === 0 && removed.size === 0) return serialize(entries);
  for (const e of entries) for (const k of [...changed.keys(), ...removed.keys()]) e.set.delete(k);
  const id = entryId({ manager: o.manager, operation: "Update", subresource: o.subresource });
  let mine = entries.find((e) => entryId(e) === id);
  if (mine === undefined) {
    mine = { manager: o.manager, operation: "Update", subresource: o.subresource, apiVersion: o.apiVersion, time: o.now, set: new Map() };
    entries.push(mine);
  }
  for (const [k, p] of changed) mine.set.set(k, p);
  if (changed.size > 0) mine.time = o.now;
  return serialize(entries);
}

/** Merges an apply configuration into the live object, as server-side apply does with the schema. */
export function mergeApplied(live: unknown, config: unknown, schema: StructuralSchema | undefined, meta = false): unknown {
  if (isObject(config)) {
    if (!isObject(live) || schema?.["x-kubernetes-map-type"] === "atomic") return structuredClone(config);
    const out: Record<string, unknown> = { ...live };
    for (const [k, v] of Object.entries(config)) {
      const sub = meta || k === "metadata" ? undefined : propertySchema(schema, k);
      out[k] = mergeApplied(live[k], v, sub, meta || k === "metadata");
    }
    return out;
  }
  if (Array.isArray(config) && Array.isArray(live)) {
    const type = schema?.["x-kubernetes-list-type"];
    if (type === "set") return [...live, ...config.filter((c) => !live.some((l) => jsonEqual(l, c)))];
    if (type === "map") {
      const out = [...live];
      for (const item of config) {
        const el = itemElement(schema, item);
        const i = out.findIndex((l) => itemElement(schema, l) === el);
        if (i < 0) out.push(structuredClone(item));
        else out[i] = mergeApplied(out[i], item, schema?.items);
      }
      return out;
    }
  }
  return structuredClone(config);
}

/** Removes a path from an object (fields a manager stopped applying that no one else owns). */
function removeAt(obj: unknown, path: Path, schema: StructuralSchema | undefined): void {
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1] ?? "";
  const parent = parentPath.length === 0 ? obj : valueAt(obj, parentPath, schema);
  if (last.startsWith("f:") && isObject(parent)) {
    delete parent[last.slice(2)];
  } else if (Array.isArray(parent)) {
    let s: StructuralSchema | undefined = schema;
    for (const el of parentPath) s = el.startsWith("f:") ? propertySchema(s, el.slice(2)) : s?.items;
    const i = parent.findIndex((item) => itemElement(s, item) === last);
    if (i >= 0) parent.splice(i, 1);
  }
}

/**
 * Server-side apply of `config` by `o.manager` onto `live` (undefined: the object is created).
 * Fails with the server's 409 when another manager owns a field this apply changes, unless `force`.
 */
export function applyConfiguration(live: unknown, config: Record<string, unknown>, force: boolean, o: Ownership): { object: Record<string, unknown>; managedFields: ManagedFieldsEntry[] } {
  const liveMeta = isObject(live) && isObject(live["metadata"]) ? live["metadata"] : {};
  const entries = parse(liveMeta["managedFields"] as ManagedFieldsEntry[] | undefined);
  const id = entryId({ manager: o.manager, operation: "Apply", subresource: o.subresource });
  const previous = entries.find((e) => entryId(e) === id);
  const configSet = appliedFields(fieldsOf(config, o.schema, o.part));
  const merged = mergeApplied(live ?? {}, config, o.schema) as Record<string, unknown>;
  // Conflicts: fields of the configuration that another manager owns with a different value.
  const conflicts = new Map<Entry, Path[]>();
  for (const e of entries) {
    if (entryId(e) === id) continue;
    for (const [k, p] of configSet) {
      if (!e.set.has(k) || !isLeaf(configSet, p)) continue;
      if (jsonEqual(valueAt(live, p, o.schema), valueAt(config, p, o.schema))) continue;
      conflicts.set(e, [...(conflicts.get(e) ?? []), p]);
    }
  }
  if (conflicts.size > 0 && !force) throw conflictError(conflicts);
  for (const [e, paths] of conflicts) for (const p of paths) e.set.delete(pathKey(p));
  // Fields this manager applied before and no longer applies go, unless someone else owns them.
  if (previous !== undefined) {
    const dropped = [...previous.set.values()].filter((p) => !configSet.has(pathKey(p))).sort((a, b) => b.length - a.length);
    for (const p of dropped) {
      const k = pathKey(p);
      if (entries.some((e) => e !== previous && e.set.has(k))) continue;
      if (!isLeaf(previous.set, p)) continue;
      removeAt(merged, p, o.schema);
    }
  }
  const now: Entry = previous ?? { manager: o.manager, operation: "Apply", subresource: o.subresource, apiVersion: o.apiVersion, time: "", set: new Map() };
  now.set = configSet;
  if (!jsonEqual(withoutManaged(live), withoutManaged(merged))) now.time = o.now;
  if (previous === undefined) entries.push(now);
  return { object: merged, managedFields: serialize(entries) };
}

function withoutManaged(obj: unknown): unknown {
  if (!isObject(obj) || !isObject(obj["metadata"])) return obj;
  const { managedFields: _m, resourceVersion: _r, ...meta } = obj["metadata"];
  return { ...obj, metadata: meta };
}

function conflictError(conflicts: Map<Entry, Path[]>): Error {
  const all = [...conflicts.values()].reduce((n, ps) => n + ps.length, 0);
  const causes: StatusCause[] = [];
  const parts: string[] = [];
  for (const [e, paths] of [...conflicts].sort(([a], [b]) => (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0))) {
    const using = e.operation === "Update" ? ` using ${e.apiVersion}` : "";
    const described = paths.map(describePath).sort();
    parts.push(all === 1 ? `conflict with "${e.manager}"${using}: ${described[0] ?? ""}` : `conflicts with "${e.manager}"${using}:\n${described.map((d) => `- ${d}`).join("\n")}`);
    for (const d of described) causes.push({ reason: "FieldManagerConflict", message: `conflict with "${e.manager}"${e.operation === "Update" ? ` using ${e.apiVersion}` : ""}`, field: d });
  }
  return applyConflict(`Apply failed with ${all} conflict${all > 1 ? "s" : ""}: ${parts.join("\n")}`, causes);
}
