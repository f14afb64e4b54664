import { isJsonObject, type JsonObject, type JsonValue } from "../load/documents.js";

/**
 * Keywords the fake API server reads, in this order (the output does not depend on YAML key order).
 * Not `type`: the validator checks types; the fake only needs the shape (a fifth of the text).
 */
const KEPT = [
  "nullable",
  "default",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-embedded-resource",
  "x-kubernetes-int-or-string",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-map-type",
] as const;

/**
 * What the runtime's fake API server needs of a CRD version's structural schema (its
 * `StructuralSchema`): the tree of properties, items and additionalProperties with defaults,
 * nullability and the Kubernetes extensions that decide pruning and server-side apply (list and map
 * types, list-map keys). Everything else (descriptions, validation keywords, CEL rules) is left to
 * the validator.
 */
export function fakeSchema(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of KEPT) if (node[k] !== undefined) out[k] = node[k] as JsonValue;
  const props = node["properties"];
  if (isJsonObject(props)) {
    const converted: JsonObject = {};
    for (const key of Object.keys(props).sort()) {
      const child = props[key];
      if (isJsonObject(child)) converted[key] = fakeSchema(child);
    }
    out["properties"] = converted;
  }
  const items = node["items"];
  if (isJsonObject(items)) out["items"] = fakeSchema(items);
  const additional = node["additionalProperties"];
  if (typeof additional === "boolean") out["additionalProperties"] = additional;
  else if (isJsonObject(additional)) out["additionalProperties"] = fakeSchema(additional);
  return out;
}

/** The JSON paths of a version's `selectableFields`. */
export function selectableFields(version: JsonObject): string[] {
  const fields = version["selectableFields"];
  if (!Array.isArray(fields)) return [];
  return fields.flatMap((f) => (isJsonObject(f) && typeof f["jsonPath"] === "string" ? [f["jsonPath"]] : []));
}
