import { isJsonObject, type JsonObject } from "../load/documents.js";

/**
 * A CRD version's structural schema (OpenAPI v3.0 with Kubernetes extensions) as a JSON Schema that
 * ajv checks the way the API server's schema validation does — the runtime's `createValidator`
 * reads it. Kept: types, properties, items, additionalProperties, required (without fields that
 * have a default: the server fills them in), enum, bounds (OpenAPI's boolean exclusiveMinimum and
 * exclusiveMaximum become numbers), lengths, patterns, counts, multipleOf, allOf/anyOf/oneOf/not.
 * Translated: nullable (null allowed), int-or-string (integer or string), `set` lists (unique
 * items), the implicit apiVersion, kind and metadata of the root and of embedded resources. The
 * root requires this apiVersion and kind, and metadata, as the generated interface does.
 * Dropped: descriptions, defaults, examples, formats, CEL rules and map-list keys (the server still
 * checks those), and patterns that are not JavaScript regular expressions (reported).
 */
export function validationSchema(openApi: JsonObject, identity: { readonly apiVersion: string; readonly kind: string }): { schema: JsonObject; unchecked: string[] } {
  const unchecked: string[] = [];
  const schema = convert(openApi, "", true, unchecked);
  // What the generated interface promises: this apiVersion and kind, and metadata.
  const props = schema["properties"] as JsonObject;
  props["apiVersion"] = { type: "string", enum: [identity.apiVersion] };
  props["kind"] = { type: "string", enum: [identity.kind] };
  const required = Array.isArray(schema["required"]) ? schema["required"].filter((r) => r !== "apiVersion" && r !== "kind" && r !== "metadata") : [];
  schema["required"] = ["apiVersion", "kind", "metadata", ...required];
  return { schema, unchecked };
}

/** The marker the runtime reads: unknown fields here are kept by the server, not pruned. */
const OPEN = "x-kubernetes-preserve-unknown-fields";

const COPIED = ["enum", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "multipleOf"] as const;

function convert(node: JsonObject, path: string, objectRoot: boolean, unchecked: string[]): JsonObject {
  const out: JsonObject = {};
  const intOrString = node["x-kubernetes-int-or-string"] === true;
  const nullable = node["nullable"] === true;
  const type = node["type"];
  if (intOrString) out["type"] = nullable ? ["integer", "string", "null"] : ["integer", "string"];
  else if (typeof type === "string") out["type"] = nullable ? [type, "null"] : type;
  for (const k of COPIED) {
    const v = node[k];
    if (v === undefined) continue;
    out[k] = k === "enum" && nullable && Array.isArray(v) && !v.includes(null) ? [...v, null] : v;
  }
  if (node["x-kubernetes-list-type"] === "set") out["uniqueItems"] = true;
  for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
    if (node[flag] === true && typeof node[bound] === "number") {
      out[flag] = node[bound];
      delete out[bound];
    }
  }
  const pattern = node["pattern"];
  if (typeof pattern === "string") {
    if (isJavaScriptPattern(pattern)) out["pattern"] = pattern;
    else unchecked.push(`${path === "" ? "." : path}: pattern ${JSON.stringify(pattern)}`);
  }
  const embedded = node["x-kubernetes-embedded-resource"] === true;
  const props = node["properties"];
  if (isJsonObject(props) || objectRoot || embedded) {
    const converted: JsonObject = {};
    if (objectRoot || embedded) {
      // The API server knows these of every object; CRDs rarely spell them out.
      converted["apiVersion"] = { type: "string" };
      converted["kind"] = { type: "string" };
      converted["metadata"] = { type: "object", [OPEN]: true };
    }
    if (isJsonObject(props)) {
      for (const key of Object.keys(props).sort()) {
        const child = props[key];
        if (!isJsonObject(child)) continue;
        if ((objectRoot || embedded) && key === "metadata") continue;
        converted[key] = convert(child, `${path}.${key}`, false, unchecked);
      }
    }
    out["properties"] = converted;
  }
  const required = node["required"];
  if (Array.isArray(required)) {
    // In allOf/anyOf/oneOf branches `required` stands without properties of its own.
    const defaulted = (r: string): boolean => isJsonObject(props) && isJsonObject(props[r]) && (props[r] as JsonObject)["default"] !== undefined;
    const needed = required.filter((r): r is string => typeof r === "string" && !defaulted(r));
    if (needed.length > 0) out["required"] = needed;
  }
  const items = node["items"];
  if (isJsonObject(items)) out["items"] = convert(items, `${path}[*]`, false, unchecked);
  const additional = node["additionalProperties"];
  if (isJsonObject(additional)) out["additionalProperties"] = convert(additional, `${path}.*`, false, unchecked);
  else if (typeof additional === "boolean") out["additionalProperties"] = additional;
  for (const k of ["allOf", "anyOf", "oneOf"] as const) {
    const list = node[k];
    if (Array.isArray(list)) out[k] = list.filter(isJsonObject).map((s) => convert(s, path, false, unchecked));
  }
  const not = node["not"];
  if (isJsonObject(not)) out["not"] = convert(not, path, false, unchecked);
  if (node[OPEN] === true) out[OPEN] = true;
  return out;
}

function isJavaScriptPattern(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
