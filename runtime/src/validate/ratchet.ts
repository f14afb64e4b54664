import type { SchemaNode } from "../cel/rules.js";

/**
 * The API server's validation ratcheting on update (CRDValidationRatcheting, on by default since
 * 1.30): a problem in a part of the object that the update leaves as it was is not reported, so an
 * object stored under an older, looser schema can still be updated elsewhere. Parts correlate with
 * the old object through property names, map keys and `map` list keys; items of other lists do not
 * (only the whole list can be unchanged).
 */
export function unchangedAt(pointer: string, value: unknown, old: unknown, schema: SchemaNode): boolean {
  let node = value;
  let before = old;
  let s: SchemaNode | undefined = schema;
  const segments = pointer === "" ? [] : pointer.slice(1).split("/").map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
  for (const key of segments) {
    if (deepEqual(node, before)) return true;
    if (Array.isArray(node)) {
      const keys = s?.["x-kubernetes-list-type"] === "map" && Array.isArray(s["x-kubernetes-list-map-keys"]) ? (s["x-kubernetes-list-map-keys"] as string[]) : undefined;
      const item = node[Number(key)] as Record<string, unknown> | undefined;
      if (keys === undefined || !Array.isArray(before) || item === undefined) return false;
      before = before.find((o: Record<string, unknown> | null) => o !== null && typeof o === "object" && keys.every((k) => deepEqual(o[k], item[k])));
      if (before === undefined) return false;
      node = item;
      s = isNode(s?.["items"]) ? s["items"] : undefined;
      continue;
    }
    if (node === null || typeof node !== "object" || before === null || typeof before !== "object" || Array.isArray(before) || !(key in before)) return false;
    node = (node as Record<string, unknown>)[key];
    before = (before as Record<string, unknown>)[key];
    const props: Record<string, SchemaNode> | undefined = isNode(s?.["properties"]) ? (s["properties"] as Record<string, SchemaNode>) : undefined;
    s = props?.[key] ?? (isNode(s?.["additionalProperties"]) ? s["additionalProperties"] : undefined);
  }
  return deepEqual(node, before);
}

const isNode = (v: unknown): v is SchemaNode => v !== null && typeof v === "object" && !Array.isArray(v);

/** JSON equality, whatever the key order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => k in b && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
