import type { KubeObject } from "../client/types.js";

/** Strings longer than this are never interned: long values are rarely repeated. */
const MAX_LENGTH = 256;

/**
 * A table of canonical strings, one per informer: equal values decoded from different objects
 * (namespace, label values, owner names and uids, timestamps, image names...) end up as one string
 * in the heap instead of one copy per object. JSON.parse shares property names (and very short
 * values), not longer values. The table is bounded: at `limit` entries it starts over, so unique
 * values (names, uids) cost at most `limit` entries; strings already shared stay shared.
 */
export class StringTable {
  #strings = new Map<string, string>();
  readonly #limit: number;

  constructor(limit = 65_536) {
    this.#limit = limit;
  }

  /** The canonical string equal to `s`. */
  intern(s: string): string {
    if (s.length > MAX_LENGTH) return s;
    const known = this.#strings.get(s);
    if (known !== undefined) return known;
    if (this.#strings.size >= this.#limit) this.#strings = new Map();
    this.#strings.set(s, s);
    return s;
  }

  /** How many strings the table holds. */
  get size(): number {
    return this.#strings.size;
  }
}

type Json = Record<string, unknown> | unknown[];

/** Fields of metadata whose values differ per object: looking them up would only fill the table. */
const UNIQUE = new Set(["name", "uid", "resourceVersion", "selfLink"]);

/** Which strings an informer shares: those of `metadata` (and apiVersion, kind), all, or none. */
export type InternScope = "metadata" | "all" | false;

/**
 * Replaces, in place, string values of `obj` (short enough) by the table's canonical strings:
 * with `"metadata"`, apiVersion, kind and metadata (labels, annotations, owner references,
 * finalizers, managedFields...); with `"all"`, spec, status and the rest as well. The object is
 * the same afterwards in every observable way (equal strings are indistinguishable); only the
 * heap holds fewer copies. The unique fields of `metadata` are skipped; frozen objects are left
 * alone.
 */
export function internStrings<T extends KubeObject>(obj: T, table: StringTable, scope: Exclude<InternScope, false> = "metadata"): T {
  if (Object.isFrozen(obj)) return obj;
  const top = obj as unknown as Record<string, unknown>;
  for (const key in top) {
    const v = top[key];
    if (typeof v === "string") top[key] = table.intern(v);
    else if (typeof v !== "object" || v === null) continue;
    else if (key === "metadata") internMetadata(v as Record<string, unknown>, table);
    else if (scope === "all") internDeep(v as Json, table);
  }
  return obj;
}

function internMetadata(meta: Record<string, unknown>, table: StringTable): void {
  if (Object.isFrozen(meta)) return;
  for (const key in meta) {
    const v = meta[key];
    if (typeof v === "string") {
      if (!UNIQUE.has(key)) meta[key] = table.intern(v);
    } else if (typeof v === "object" && v !== null) {
      internDeep(v as Json, table);
    }
  }
}

function internDeep(value: Json, table: StringTable): void {
  if (Object.isFrozen(value)) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === "string") value[i] = table.intern(v);
      else if (typeof v === "object" && v !== null) internDeep(v as Json, table);
    }
    return;
  }
  for (const key in value) {
    const v = value[key];
    if (typeof v === "string") value[key] = table.intern(v);
    else if (typeof v === "object" && v !== null) internDeep(v as Json, table);
  }
}
