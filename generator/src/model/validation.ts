import { createRequire } from "node:module";
import { isJsonObject, type JsonObject, type JsonValue } from "../load/documents.js";

/**
 * A CRD version's structural schema (OpenAPI v3.0 with Kubernetes extensions) as a JSON Schema that
 * ajv checks the way the API server's schema validation does — the runtime's `createValidator`
 * reads it. Kept: types, properties, items, additionalProperties, required (without fields that
 * have a default: the server fills them in), enum, bounds (OpenAPI's boolean exclusiveMinimum and
 * exclusiveMaximum become numbers), lengths, patterns, counts, multipleOf, allOf/anyOf/oneOf/not.
 * Translated: nullable (null allowed), int-or-string (integer or string), `set` lists (unique
 * items), the implicit apiVersion, kind and metadata of the root and of embedded resources. The
 * root requires this apiVersion and kind, and metadata, as the generated interface does.
 * Kept for the runtime's own passes: `default` (applied before validation, as the server does),
 * string `format`s, CEL rules (`x-kubernetes-validations`) and map-list keys.
 * Dropped: descriptions, examples, and patterns that are not RE2 regular expressions (reported; the server refuses such CRDs).
 */
export function validationSchema(openApi: JsonObject, identity: { readonly apiVersion: string; readonly kind: string }): { schema: JsonObject; unchecked: string[] } {
  const unchecked: string[] = [];
  const schema = convert(openApi, undefined, true, unchecked);
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

/** Value keywords copied as they are, in this order (the output does not depend on YAML key order). */
const COPIED = ["enum", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "multipleOf"] as const;
const COPIED_SET: ReadonlySet<string> = new Set(COPIED);

/** A schema path, built only when a message needs it. */
interface At {
  readonly parent: At | undefined;
  readonly segment: string;
}
const show = (at: At | undefined): string => {
  let out = "";
  for (let a = at; a !== undefined; a = a.parent) out = a.segment + out;
  return out === "" ? "." : out;
};

function convert(node: JsonObject, at: At | undefined, objectRoot: boolean, unchecked: string[]): JsonObject {
  // One pass over the node's own keys (schemas are large, and most keywords are absent).
  let type: JsonValue | undefined;
  let nullable = false;
  let intOrString = false;
  let listType: JsonValue | undefined;
  let mapKeys: JsonValue | undefined;
  let rules: JsonValue | undefined;
  let defaultValue: JsonValue | undefined;
  let format: JsonValue | undefined;
  let embedded = false;
  let open = false;
  let exclusiveMinimum = false;
  let exclusiveMaximum = false;
  let pattern: JsonValue | undefined;
  let props: JsonValue | undefined;
  let required: JsonValue | undefined;
  let items: JsonValue | undefined;
  let additional: JsonValue | undefined;
  let not: JsonValue | undefined;
  let branches: Partial<Record<"allOf" | "anyOf" | "oneOf", JsonValue>> | undefined;
  let copied: Partial<Record<(typeof COPIED)[number], JsonValue>> | undefined;
  for (const key in node) {
    const v = node[key];
    if (v === undefined) continue;
    switch (key) {
      case "type":
        type = v;
        break;
      case "nullable":
        nullable = v === true;
        break;
      case "x-kubernetes-int-or-string":
        intOrString = v === true;
        break;
      case "x-kubernetes-list-type":
        listType = v;
        break;
      case "x-kubernetes-list-map-keys":
        mapKeys = v;
        break;
      case "x-kubernetes-validations":
        rules = v;
        break;
      case "default":
        defaultValue = v;
        break;
      case "format":
        format = v;
        break;
      case "x-kubernetes-embedded-resource":
        embedded = v === true;
        break;
      case OPEN:
        open = v === true;
        break;
      case "exclusiveMinimum":
        exclusiveMinimum = v === true;
        break;
      case "exclusiveMaximum":
        exclusiveMaximum = v === true;
        break;
      case "pattern":
        pattern = v;
        break;
      case "properties":
        props = v;
        break;
      case "required":
        required = v;
        break;
      case "items":
        items = v;
        break;
      case "additionalProperties":
        additional = v;
        break;
      case "not":
        not = v;
        break;
      case "allOf":
      case "anyOf":
      case "oneOf":
        (branches ??= {})[key] = v;
        break;
      default:
        if (COPIED_SET.has(key)) (copied ??= {})[key as (typeof COPIED)[number]] = v;
    }
  }
  const out: JsonObject = {};
  if (intOrString) out["type"] = nullable ? ["integer", "string", "null"] : ["integer", "string"];
  else if (typeof type === "string") out["type"] = nullable ? [type, "null"] : type;
  // Without a type ajv takes a null anyway; the runtime must still know not to prune it.
  else if (nullable) out["x-kube-codegen-nullable"] = true;
  if (copied !== undefined) {
    for (const k of COPIED) {
      const v = copied[k];
      if (v === undefined) continue;
      out[k] = k === "enum" && nullable && Array.isArray(v) && !v.includes(null) ? [...v, null] : v;
    }
  }
  if (listType === "set") out["uniqueItems"] = true;
  if (listType === "map" && Array.isArray(mapKeys)) {
    out["x-kubernetes-list-type"] = "map";
    out["x-kubernetes-list-map-keys"] = mapKeys;
  }
  // The server checks formats of strings only (and int32/int64/float/double, which JSON numbers always are).
  if (typeof format === "string" && format !== "" && (type === "string" || type === undefined) && !intOrString) out["format"] = format;
  if (defaultValue !== undefined) out["default"] = defaultValue;
  if (Array.isArray(rules) && rules.length > 0) out["x-kubernetes-validations"] = rules.filter(isJsonObject).map(ruleOf);
  if (exclusiveMinimum && typeof out["minimum"] === "number") {
    out["exclusiveMinimum"] = out["minimum"];
    delete out["minimum"];
  }
  if (exclusiveMaximum && typeof out["maximum"] === "number") {
    out["exclusiveMaximum"] = out["maximum"];
    delete out["maximum"];
  }
  if (typeof pattern === "string") {
    if (isRe2Pattern(pattern)) out["pattern"] = pattern;
    else unchecked.push(`${show(at)}: pattern ${JSON.stringify(pattern)}`);
  }
  const properties = isJsonObject(props) ? props : undefined;
  if (properties !== undefined || objectRoot || embedded) {
    const converted: JsonObject = {};
    if (objectRoot || embedded) {
      // The API server knows these of every object; CRDs rarely spell them out. In an embedded
      // resource it requires apiVersion (a group version) and kind, not empty.
      converted["apiVersion"] = embedded ? { type: "string", minLength: 1, pattern: "^[^/]*(/[^/]*)?$" } : { type: "string" };
      converted["kind"] = embedded ? { type: "string", minLength: 1 } : { type: "string" };
      converted["metadata"] = { type: "object", [OPEN]: true };
    }
    if (properties !== undefined) {
      for (const key of Object.keys(properties).sort()) {
        const child = properties[key];
        if (!isJsonObject(child)) continue;
        if ((objectRoot || embedded) && key === "metadata") continue;
        converted[key] = convert(child, { parent: at, segment: `.${key}` }, false, unchecked);
      }
    }
    out["properties"] = converted;
  }
  if (Array.isArray(required)) {
    // In allOf/anyOf/oneOf branches `required` stands without properties of its own.
    const defaulted = (r: string): boolean => {
      const p = properties?.[r];
      return isJsonObject(p) && p["default"] !== undefined;
    };
    const needed = required.filter((r): r is string => typeof r === "string" && !defaulted(r));
    if (needed.length > 0) out["required"] = needed;
  }
  if (embedded && !objectRoot) {
    const have = Array.isArray(out["required"]) ? out["required"].filter((r): r is string => typeof r === "string") : [];
    out["required"] = ["apiVersion", "kind", ...have.filter((r) => r !== "apiVersion" && r !== "kind")];
  }
  if (isJsonObject(items)) out["items"] = convert(items, { parent: at, segment: "[*]" }, false, unchecked);
  if (isJsonObject(additional)) out["additionalProperties"] = convert(additional, { parent: at, segment: ".*" }, false, unchecked);
  else if (typeof additional === "boolean") out["additionalProperties"] = additional;
  if (branches !== undefined) {
    for (const k of ["allOf", "anyOf", "oneOf"] as const) {
      const list = branches[k];
      if (Array.isArray(list)) out[k] = list.filter(isJsonObject).map((b) => convert(b, at, false, unchecked));
    }
  }
  if (isJsonObject(not)) out["not"] = convert(not, at, false, unchecked);
  if (open) out[OPEN] = true;
  return out;
}

/** An x-kubernetes-validations entry with the fields the runtime reads, in a fixed order. */
function ruleOf(r: JsonObject): JsonObject {
  const out: JsonObject = { rule: typeof r["rule"] === "string" ? r["rule"] : "" };
  for (const k of ["message", "messageExpression", "reason", "fieldPath"]) if (typeof r[k] === "string") out[k] = r[k];
  if (r["optionalOldSelf"] === true) out["optionalOldSelf"] = true;
  return out;
}

/** Patterns repeat across a corpus (3,714 in the union, 82 distinct): each is compiled once. */
const re2Checked = new Map<string, boolean>();

/** The runtime checks patterns with an RE2 engine, as the server does; one it cannot read is reported. */
function isRe2Pattern(pattern: string): boolean {
  let ok = re2Checked.get(pattern);
  if (ok === undefined) re2Checked.set(pattern, (ok = compilesAsRe2(pattern)));
  return ok;
}

/** The RE2 engine, loaded with the first pattern: runs without --validators do not need it (20 modules). */
let re2: typeof import("@bufbuild/re2") | undefined;

function compilesAsRe2(pattern: string): boolean {
  re2 ??= createRequire(import.meta.url)("@bufbuild/re2") as typeof import("@bufbuild/re2");
  try {
    re2.RE2JS.compile(pattern);
    return true;
  } catch {
    return false;
  }
}
