import { isDeepStrictEqual } from "node:util";
import { isJsonObject, type JsonObject, type JsonValue } from "../load/documents.js";
import type { Direction, Severity, SchemaPair, TsEffect } from "./types.js";

/** Longest printed value: findings stay short enough for a status line or an annotation. */
const MAX_VALUE = 120;

/**
 * A value as a person reads it: strings quoted, numbers and booleans as they are, lists and
 * objects as compact JSON, all cut to a readable length. Never a byte array or an object dump.
 */
export function show(value: JsonValue | undefined): string {
  if (value === undefined) return "(none)";
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(canonical(value));
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** A value with object keys sorted, so that equal values print and compare equally. */
export function canonical(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(canonical);
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const k of Object.keys(value).sort()) out[k] = canonical(value[k] as JsonValue);
    return out;
  }
  return value;
}

/** Deep equality of two JSON values (object key order does not matter). */
export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return isDeepStrictEqual(a, b);
}

/** The severity for the side the field is on: written by users (spec) or by controllers (status). */
export function bySide(pair: { readonly direction: Direction }, spec: Severity, status: Severity): Severity {
  return pair.direction === "status" ? status : spec;
}

/** "none — JSDoc only": for keywords the generated types show only as JSDoc tags. */
export function jsdocOnly(tag: string): TsEffect {
  return { change: "none", text: `none — JSDoc only (${tag})` };
}

export { childPath } from "../model/schema.js";

/** The `type` keyword of a node, or `undefined`. */
export function typeKeyword(node: JsonObject): string | undefined {
  const t = node["type"];
  return typeof t === "string" ? t : undefined;
}

export function propertiesOf(node: JsonObject): JsonObject {
  const p = node["properties"];
  return isJsonObject(p) ? p : {};
}

export function requiredOf(node: JsonObject): Set<string> {
  const r = node["required"];
  return new Set(Array.isArray(r) ? r.filter((x): x is string => typeof x === "string") : []);
}

/** The shape of an object node as the generator sees it. */
export type ObjectShape = "struct" | "map" | "free-form" | "closed" | "not-an-object";

export function objectShape(node: JsonObject): ObjectShape {
  if (typeKeyword(node) !== "object") return "not-an-object";
  if (Object.keys(propertiesOf(node)).length > 0 || node["x-kubernetes-embedded-resource"] === true) return "struct";
  const additional = node["additionalProperties"];
  if (additional !== undefined && additional !== false) return "map";
  return node["x-kubernetes-preserve-unknown-fields"] === true ? "free-form" : "closed";
}

/** True when the two nodes hold different kinds of value, so comparing their insides is noise. */
export function shapeChanged(pair: SchemaPair): boolean {
  if ((pair.old["x-kubernetes-int-or-string"] === true) !== (pair.new["x-kubernetes-int-or-string"] === true)) return true;
  if (typeKeyword(pair.old) !== typeKeyword(pair.new)) return true;
  if (pair.old["x-kubernetes-embedded-resource"] === true !== (pair.new["x-kubernetes-embedded-resource"] === true)) return true;
  const a = objectShape(pair.old);
  const b = objectShape(pair.new);
  return a !== b && (a === "map" || b === "map");
}

/**
 * The TypeScript type the generator emits for a node, on one line and short: `string`,
 * `"a" | "b"`, `number | string`, `Foo[]`, `{ [key: string]: number }`, `{ … }` for a struct.
 */
export function tsType(node: JsonValue | undefined): string {
  if (!isJsonObject(node)) return "unknown";
  let base: string;
  const type = typeKeyword(node);
  const values = Array.isArray(node["enum"]) ? node["enum"].filter((v) => v !== null) : [];
  if (node["x-kubernetes-int-or-string"] === true) base = "number | string";
  else if (values.length > 0 && type !== "object" && type !== "array") {
    const shown = values.slice(0, 4).map((v) => JSON.stringify(v));
    base = values.length > 4 ? `${shown.join(" | ")} | … (${values.length} values)` : shown.join(" | ");
  } else if (type === "string" || type === "boolean") base = type;
  else if (type === "integer" || type === "number") base = "number";
  else if (type === "array") {
    const item = tsType(node["items"]);
    base = /[ |]/.test(item) && !item.startsWith("{") ? `(${item})[]` : `${item}[]`;
  } else if (type === "object") {
    const shape = objectShape(node);
    const additional = node["additionalProperties"];
    if (shape === "struct") base = "{ … }";
    else if (shape === "map") base = `{ [key: string]: ${additional === true ? "unknown" : tsType(additional)} }`;
    else base = shape === "free-form" ? "{ [key: string]: unknown }" : "{ [key: string]: never }";
  } else return "unknown";
  const nullable = node["nullable"] === true || (Array.isArray(node["enum"]) && node["enum"].includes(null));
  return nullable ? `${base} | null` : base;
}

/** `key?: T` or `key: T` as the generator writes the property (a default makes it optional). */
export function propertyText(key: string, node: JsonValue | undefined, required: boolean): string {
  const optional = !required || (isJsonObject(node) && node["default"] !== undefined);
  const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return `${name}${optional ? "?" : ""}: ${tsType(node)}`;
}

/** Cuts a list of items for a message: `a, b, c and 4 more`. */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}
