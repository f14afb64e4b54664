import type { SchemaNode } from "../cel/rules.js";

/**
 * What the API server does to a custom resource before it validates it, on a copy: a `null` where
 * the schema is not nullable is dropped (unless it has a default, which then takes its place), and
 * absent fields with a `default` get it, recursively into what was defaulted (apiextensions'
 * structural defaulting: object properties, additionalProperties values, and null list items).
 */
export function prepare(value: unknown, schema: SchemaNode, pruneNulls: boolean): unknown {
  const copy = structuredClone(value);
  visit(copy, schema, pruneNulls);
  return copy;
}

const isNode = (v: unknown): v is SchemaNode => v !== null && typeof v === "object" && !Array.isArray(v);
/** Only `nullable: true` keeps a null (the generator writes it into the type, or marks an untyped schema). */
const allowsNull = (s: SchemaNode): boolean => {
  const t = s["type"];
  return Array.isArray(t) ? t.includes("null") : s["x-kube-codegen-nullable"] === true;
};
const hasDefault = (s: SchemaNode | undefined): s is SchemaNode => s !== undefined && s["default"] !== undefined;

function visit(value: unknown, schema: SchemaNode, pruneNulls: boolean): void {
  if (Array.isArray(value)) {
    const items = isNode(schema["items"]) ? schema["items"] : undefined;
    if (items === undefined) return;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null && hasDefault(items) && !allowsNull(items)) value[i] = structuredClone(items["default"]);
      visit(value[i], items, pruneNulls);
    }
    return;
  }
  if (value === null || typeof value !== "object") return;
  const obj = value as Record<string, unknown>;
  const props = isNode(schema["properties"]) ? (schema["properties"] as Record<string, SchemaNode>) : undefined;
  const additional = isNode(schema["additionalProperties"]) ? schema["additionalProperties"] : undefined;
  for (const key of Object.keys(obj)) {
    const child = props?.[key] ?? additional;
    if (child === undefined || obj[key] !== null || allowsNull(child)) continue;
    if (hasDefault(child)) obj[key] = structuredClone(child["default"]);
    else if (pruneNulls) delete obj[key];
  }
  if (props !== undefined) {
    for (const [key, child] of Object.entries(props)) {
      if (!(key in obj) && hasDefault(child)) obj[key] = structuredClone(child["default"]);
    }
  }
  for (const [key, v] of Object.entries(obj)) {
    const child = props?.[key] ?? additional;
    if (child !== undefined) visit(v, child, pruneNulls);
  }
}
