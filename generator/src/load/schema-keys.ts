import type { Problems } from "./crd-problems.js";
import { isJsonObject, type JsonObject } from "./documents.js";
import type { DocPath } from "./locate.js";

/** The JSON shape each field of apiextensions' `JSONSchemaProps` decodes from. */
type KeyShape =
  | "string" | "boolean" | "number" | "integer" | "any" | "array" | "strings" | "object"
  | "schema" | "schemas" | "schema-map" | "schema-or-bool" | "schema-or-array" | "dependencies" | "rules";

/** Every field of `JSONSchemaProps` (apiextensions.k8s.io/v1), by its JSON name. */
export const SCHEMA_KEYS: Readonly<Record<string, KeyShape>> = {
  id: "string", $schema: "string", $ref: "string", description: "string", type: "string", format: "string", title: "string",
  default: "any", example: "any", enum: "array",
  maximum: "number", minimum: "number", multipleOf: "number",
  exclusiveMaximum: "boolean", exclusiveMinimum: "boolean", uniqueItems: "boolean", nullable: "boolean",
  maxLength: "integer", minLength: "integer", maxItems: "integer", minItems: "integer", maxProperties: "integer", minProperties: "integer",
  pattern: "string", required: "strings",
  items: "schema-or-array", allOf: "schemas", oneOf: "schemas", anyOf: "schemas", not: "schema",
  properties: "schema-map", additionalProperties: "schema-or-bool", patternProperties: "schema-map",
  dependencies: "dependencies", additionalItems: "schema-or-bool", definitions: "schema-map", externalDocs: "object",
  "x-kubernetes-preserve-unknown-fields": "boolean", "x-kubernetes-embedded-resource": "boolean", "x-kubernetes-int-or-string": "boolean",
  "x-kubernetes-list-map-keys": "strings", "x-kubernetes-list-type": "string", "x-kubernetes-map-type": "string",
  "x-kubernetes-validations": "rules",
};

const INT64 = 2 ** 63;

/**
 * Checks that each field of a schema node has the JSON type the API server decodes it into (a
 * mismatch makes it refuse the whole request: `json: cannot unmarshal …`), and notes fields it does
 * not know (it drops them). `null` decodes as absent, as in Go. Answers whether the node decodes.
 */
export function checkKeyShapes(node: JsonObject, at: DocPath, p: Problems, unknown: (key: string) => void): boolean {
  const before = p.list.length;
  for (const [key, value] of Object.entries(node)) {
    const shape = SCHEMA_KEYS[key];
    if (shape === undefined) {
      unknown(key);
      continue;
    }
    if (value === null) continue;
    const want = mismatch(shape, value);
    if (want !== undefined) p.undecodable([...at, key], value, want);
  }
  return p.list.length === before;
}

function mismatch(shape: KeyShape, v: unknown): string | undefined {
  switch (shape) {
    case "string":
      return typeof v === "string" ? undefined : "a string";
    case "boolean":
      return typeof v === "boolean" ? undefined : "a boolean";
    case "number":
      return typeof v === "number" ? undefined : "a number";
    case "integer":
      return typeof v === "number" && Number.isInteger(v) && Math.abs(v) < INT64 ? undefined : "an integer";
    case "any":
      return undefined;
    case "array":
      return Array.isArray(v) ? undefined : "a list";
    case "strings":
      return Array.isArray(v) && v.every((x) => typeof x === "string") ? undefined : "a list of strings";
    case "object":
      return isJsonObject(v) ? undefined : "an object";
    case "schema":
      return isJsonObject(v) ? undefined : "a schema (an object)";
    case "schemas":
      return Array.isArray(v) && v.every((x) => isJsonObject(x)) ? undefined : "a list of schemas";
    case "schema-map":
      return isJsonObject(v) && Object.values(v).every((x) => isJsonObject(x)) ? undefined : "a map of schemas";
    case "schema-or-bool":
      return typeof v === "boolean" || isJsonObject(v) ? undefined : "a schema or a boolean";
    case "schema-or-array":
      return isJsonObject(v) || (Array.isArray(v) && v.every((x) => isJsonObject(x))) ? undefined : "a schema or a list of schemas";
    case "dependencies":
      return isJsonObject(v) && Object.values(v).every((x) => isJsonObject(x) || (Array.isArray(x) && x.every((s) => typeof s === "string"))) ? undefined : "a map of schemas or lists of strings";
    case "rules":
      return Array.isArray(v) && v.every((r) => isJsonObject(r) && ruleShapeOk(r)) ? undefined : "a list of validation rules ({rule, message, messageExpression, reason, fieldPath, optionalOldSelf})";
  }
}

function ruleShapeOk(r: JsonObject): boolean {
  for (const k of ["rule", "message", "messageExpression", "reason", "fieldPath"]) {
    const v = r[k];
    if (v !== undefined && v !== null && typeof v !== "string") return false;
  }
  const o = r["optionalOldSelf"];
  return o === undefined || o === null || typeof o === "boolean";
}
