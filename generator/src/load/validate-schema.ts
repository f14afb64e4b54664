import type { Problems } from "./crd-problems.js";
import { isJsonObject, type JsonObject } from "./documents.js";
import { formatPath, type DocPath } from "./locate.js";
import { checkKeyShapes, SCHEMA_KEYS } from "./schema-keys.js";
import { checkDefault } from "./validate-default.js";

const TYPES = ["array", "boolean", "integer", "number", "object", "string"];
const LIST_TYPES = ["atomic", "map", "set"];
const MAP_TYPES = ["atomic", "granular"];
const RULE_REASONS = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];
/** OpenAPI keywords a CRD schema may not use (apiextensions' OpenAPI v3 subset). */
const NOT_SUPPORTED = ["$ref", "$schema", "id", "definitions", "dependencies", "patternProperties", "additionalItems"];
/** What a schema under allOf/anyOf/oneOf/not may not say: only the structural part may. */
const NOT_IN_JUNCTORS = [
  "type", "additionalProperties", "default", "title", "description", "nullable",
  "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string",
  "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type", "x-kubernetes-validations",
];
const JUNCTORS = ["allOf", "anyOf", "oneOf"] as const;
/** What the root schema may say when the status subresource is enabled (the server's list, 1.37). */
const ROOT_WITH_STATUS = new Set([
  "description", "type", "format", "title", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
  "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf", "required", "items", "properties", "externalDocs", "example",
  "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations",
]);

/**
 * Checks one version's `schema.openAPIV3Schema` as the API server does: the OpenAPI subset it
 * supports, each field's JSON type, structural schema rules (every node typed, junctors only
 * restating value validations, metadata at the root limited to name and generateName), list and map
 * types, validation rules' shape, and defaults against their schema. Answers the root schema when
 * there is one.
 */
export function checkVersionSchema(version: JsonObject, at: DocPath, p: Problems, notes: string[]): JsonObject | undefined {
  const wrapper = version["schema"];
  const root = isJsonObject(wrapper) ? wrapper["openAPIV3Schema"] : undefined;
  const rat: DocPath = [...at, "schema", "openAPIV3Schema"];
  if (!isJsonObject(root)) {
    p.required(rat, "schemas are required");
    return undefined;
  }
  const dropped = new Set<string>();
  const checker = new Checker(p, (key) => dropped.add(key));
  checker.node(root, rat, "root", TOP);
  const sub = version["subresources"];
  if (isJsonObject(sub) && sub["status"] !== undefined && sub["status"] !== null) {
    // Zero values do not count (the server compares Go fields): null, false, empty lists and maps.
    const extra = Object.keys(root).filter((k) => SCHEMA_KEYS[k] !== undefined && !ROOT_WITH_STATUS.has(k) && !isZero(root[k]));
    if (extra.length > 0) p.invalid(rat, `{${extra.join(", ")}}`, `only [${[...ROOT_WITH_STATUS].join(" ")}] fields are allowed at the root of the schema if the status subresource is enabled (found ${extra.join(", ")})`);
  }
  if (dropped.size > 0) notes.push(`${String(version["name"])}: the API server drops unknown schema fields: ${[...dropped].sort().join(", ")}`);
  return root;
}

type Place = "root" | "property" | "items" | "additionalProperties";

/**
 * Where a node stands for its default: the server checks no default below additionalProperties,
 * and checks one inside an embedded resource's apiVersion, kind or metadata (the root counts as
 * one) as metadata, without requiring it to be pruned.
 */
interface Reach {
  readonly belowMap: boolean;
  readonly insideMeta: boolean;
}

const TOP: Reach = { belowMap: false, insideMeta: false };

class Checker {
  constructor(private readonly p: Problems, private readonly unknown: (key: string) => void) {}

  /** A node of the structural schema. */
  node(s: JsonObject, at: DocPath, place: Place, reach: Reach): void {
    if (!checkKeyShapes(s, at, this.p, this.unknown)) return;
    this.common(s, at);
    const type = s["type"];
    const intOrString = s["x-kubernetes-int-or-string"] === true;
    const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
    const embedded = s["x-kubernetes-embedded-resource"] === true;
    if (typeof type === "string" && !TYPES.includes(type)) this.p.unsupported([...at, "type"], type, TYPES);
    if (place === "root") {
      if (type !== "object") this.p.invalid([...at, "type"], type ?? "", "must be object at the root");
      if (s["nullable"] === true) this.p.forbidden([...at, "nullable"], "must be false at the root");
      if (s["additionalProperties"] !== undefined && s["additionalProperties"] !== null) this.p.forbidden([...at, "additionalProperties"], "must not be used at the root");
    } else if (intOrString) {
      // The server takes a type beside x-kubernetes-int-or-string (and validates by both).
    } else if ((type === undefined || type === null) && !preserve) {
      this.p.required([...at, "type"], place === "items" ? "must not be empty for specified array items" : "must not be empty for specified object fields");
    }
    if (embedded && type !== "object") this.p.invalid([...at, "type"], type ?? "", "must be object if x-kubernetes-embedded-resource is true");
    if (embedded && !preserve && !hasProperties(s)) this.p.required([...at, "properties"], "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields");
    if (intOrString && preserve) this.p.invalid([...at, "x-kubernetes-preserve-unknown-fields"], true, "must be false if x-kubernetes-int-or-string is true");
    if (intOrString && embedded) this.p.invalid([...at, "x-kubernetes-embedded-resource"], true, "must be false if x-kubernetes-int-or-string is true");
    if (embedded && s["additionalProperties"] !== undefined && s["additionalProperties"] !== null) this.p.forbidden([...at, "additionalProperties"], "must not be used if x-kubernetes-embedded-resource is set");
    this.children(s, at, place, reach, embedded || place === "root");
    this.listAndMapTypes(s, at);
    const root = place === "root" ? at : undefined;
    for (const j of JUNCTORS) {
      const list = s[j];
      if (!Array.isArray(list)) continue;
      list.forEach((sub, i) => {
        // x-kubernetes-int-or-string may spell itself out: anyOf [{type: integer}, {type: string}],
        // directly or as an allOf item; only that exact form may name types.
        const spelled = intOrString && ((j === "anyOf" && isIntOrStringAnyOf(list)) || (j === "allOf" && isJsonObject(sub) && onlyKey(sub, "anyOf") && isIntOrStringAnyOf(sub["anyOf"])));
        if (spelled) {
          if (isJsonObject(sub)) this.common(sub, [...at, j, i]);
          return;
        }
        this.valueValidation(sub as JsonObject, [...at, j, i], s, root);
      });
    }
    if (isJsonObject(s["not"])) this.valueValidation(s["not"], [...at, "not"], s, root);
    if (s["default"] !== undefined && s["default"] !== null && !reach.belowMap) checkDefault(s["default"], s, [...at, "default"], this.p, { insideMeta: reach.insideMeta, resource: place === "root" || embedded });
  }

  private children(s: JsonObject, at: DocPath, place: Place, reach: Reach, resource: boolean): void {
    const props = s["properties"];
    const additional = s["additionalProperties"];
    if (isJsonObject(props)) {
      if (Object.keys(props).length > 0 && additional !== undefined && additional !== null && additional !== true) {
        this.p.forbidden([...at, "additionalProperties"], "additionalProperties and properties are mutual exclusive");
      }
      for (const [key, child] of Object.entries(props)) {
        const meta = resource && (key === "metadata" || key === "apiVersion" || key === "kind");
        // An embedded resource starts a new object: only its own apiVersion, kind and metadata are meta.
        const sub: Reach = { belowMap: reach.belowMap, insideMeta: (resource ? false : reach.insideMeta) || meta };
        if (place === "root" && meta && isJsonObject(child) && child["default"] !== undefined && child["default"] !== null) {
          this.p.forbidden([...at, "properties", key, "default"], `must not be set in top-level ${key}`);
        }
        if (place === "root" && key === "metadata") this.rootMetadata(child as JsonObject, [...at, "properties", key], sub);
        else if (place === "root" && (key === "apiVersion" || key === "kind")) {
          this.node(child as JsonObject, [...at, "properties", key], "property", sub);
          if ((child as JsonObject)["type"] !== "string") this.p.invalid([...at, "properties", key, "type"], (child as JsonObject)["type"] ?? "", "must be string");
        } else this.node(child as JsonObject, [...at, "properties", key], "property", sub);
      }
    }
    if (isJsonObject(additional)) this.node(additional, [...at, "additionalProperties"], "additionalProperties", { belowMap: true, insideMeta: reach.insideMeta });
    const items = s["items"];
    if (isJsonObject(items)) this.node(items, [...at, "items"], "items", reach);
    else if (s["type"] === "array" && !Array.isArray(items)) this.p.required([...at, "items"], "must be specified");
  }

  /** Checks that apply to structural nodes and value validations alike. */
  private common(s: JsonObject, at: DocPath): void {
    for (const key of NOT_SUPPORTED) if (s[key] !== undefined && s[key] !== null) this.p.forbidden([...at, key], `${key} is not supported`);
    if (s["uniqueItems"] === true) this.p.forbidden([...at, "uniqueItems"], "uniqueItems cannot be set to true since the runtime complexity becomes quadratic");
    if (Array.isArray(s["items"])) this.p.forbidden([...at, "items"], "items must be a schema object and not an array");
    if (s["x-kubernetes-preserve-unknown-fields"] === false) this.p.invalid([...at, "x-kubernetes-preserve-unknown-fields"], false, "must be true or undefined");
    const pattern = s["pattern"];
    if (typeof pattern === "string") {
      const why = re2Problem(pattern);
      if (why !== undefined) this.p.invalid([...at, "pattern"], pattern, `must be a valid regular expression: ${why}`);
    }
    const rules = s["x-kubernetes-validations"];
    if (Array.isArray(rules)) rules.forEach((r, i) => this.rule(r as JsonObject, [...at, "x-kubernetes-validations", i]));
  }

  private rule(r: JsonObject, at: DocPath): void {
    if (typeof r["rule"] !== "string" || r["rule"].trim() === "") this.p.required([...at, "rule"]);
    const reason = r["reason"];
    if (typeof reason === "string" && !RULE_REASONS.includes(reason)) this.p.unsupported([...at, "reason"], reason, RULE_REASONS);
    const message = r["message"];
    if (typeof message === "string" && message.trim() === "" && message !== "") this.p.invalid([...at, "message"], message, "must be non-empty if specified");
    if (typeof message === "string" && /[\r\n]/.test(message)) this.p.invalid([...at, "message"], message, "must not contain line breaks");
  }

  private listAndMapTypes(s: JsonObject, at: DocPath): void {
    const listType = s["x-kubernetes-list-type"];
    const items = s["items"];
    if ((listType === "set" || listType === "map") && isJsonObject(items) && items["nullable"] === true) {
      this.p.forbidden([...at, "items", "nullable"], "cannot be nullable when x-kubernetes-list-type is set");
    }
    const keys = s["x-kubernetes-list-map-keys"];
    if (typeof listType === "string") {
      if (!LIST_TYPES.includes(listType)) this.p.unsupported([...at, "x-kubernetes-list-type"], listType, LIST_TYPES);
      else if (s["type"] !== "array") this.p.invalid([...at, "type"], s["type"] ?? "", "must be array if x-kubernetes-list-type is specified");
      else if (listType === "map") this.mapList(s, at);
      else if (listType === "set") this.setList(s, at);
    }
    if (Array.isArray(keys) && keys.length > 0 && listType !== "map") this.p.forbidden([...at, "x-kubernetes-list-map-keys"], 'must not be specified if x-kubernetes-list-type is not "map"');
    const mapType = s["x-kubernetes-map-type"];
    if (typeof mapType === "string") {
      if (!MAP_TYPES.includes(mapType)) this.p.unsupported([...at, "x-kubernetes-map-type"], mapType, MAP_TYPES);
      else if (s["type"] !== "object") this.p.invalid([...at, "type"], s["type"] ?? "", "must be object if x-kubernetes-map-type is specified");
    }
  }

  private mapList(s: JsonObject, at: DocPath): void {
    const keys = s["x-kubernetes-list-map-keys"];
    const items = s["items"];
    if (!Array.isArray(keys) || keys.length === 0) return this.p.required([...at, "x-kubernetes-list-map-keys"], 'must not be empty if x-kubernetes-list-type is "map"');
    if (!isJsonObject(items) || items["type"] !== "object") return this.p.invalid([...at, "items", "type"], isJsonObject(items) ? items["type"] ?? "" : "", 'must be object if parent array\'s x-kubernetes-list-type is "map"');
    const props = isJsonObject(items["properties"]) ? items["properties"] : {};
    const required = Array.isArray(items["required"]) ? items["required"] : [];
    const seen = new Set<string>();
    keys.forEach((k, i) => {
      const key = String(k);
      if (seen.has(key)) this.p.invalid([...at, "x-kubernetes-list-map-keys", i], key, "must not contain duplicate entries");
      seen.add(key);
      const prop = props[key];
      if (!isJsonObject(prop)) return this.p.invalid([...at, "x-kubernetes-list-map-keys"], keys, `entries must all be names of item properties`);
      const t = prop["type"];
      if (t !== "string" && t !== "integer" && t !== "number" && t !== "boolean" && prop["x-kubernetes-int-or-string"] !== true) {
        this.p.invalid([...at, "items", "properties", key, "type"], t ?? "", "must be a scalar type if parent array's x-kubernetes-list-type is map");
      }
      if (!required.includes(key) && prop["default"] === undefined && prop["nullable"] !== true) {
        this.p.required([...at, "items", "properties", key], "all map keys must be required or have a default value");
      }
    });
  }

  private setList(s: JsonObject, at: DocPath): void {
    const items = s["items"];
    if (!isJsonObject(items)) return;
    const t = items["type"];
    if (t === "object" && items["x-kubernetes-map-type"] !== "atomic") {
      this.p.invalid([...at, "items", "x-kubernetes-map-type"], items["x-kubernetes-map-type"] ?? null, 'must be atomic as item of a list with x-kubernetes-list-type=set');
    }
    if (t === "array" && items["x-kubernetes-list-type"] !== "atomic") {
      this.p.invalid([...at, "items", "x-kubernetes-list-type"], items["x-kubernetes-list-type"] ?? null, 'must be atomic as item of a list with x-kubernetes-list-type=set');
    }
  }

  /** `metadata` at the root: the server knows ObjectMeta; a schema may only restrict name and generateName. */
  private rootMetadata(s: JsonObject, at: DocPath, reach: Reach): void {
    if (!checkKeyShapes(s, at, this.p, this.unknown)) return;
    const props = isJsonObject(s["properties"]) ? s["properties"] : {};
    // Unknown fields are dropped before this check, and null ones decode as absent.
    const others = Object.keys(s).filter((k) => k !== "type" && k !== "properties" && s[k] !== null && SCHEMA_KEYS[k] !== undefined);
    const badProps = Object.keys(props).filter((k) => k !== "name" && k !== "generateName");
    if (s["type"] !== "object") this.p.invalid([...at, "type"], s["type"] ?? "", "must be object");
    if (others.length > 0 || badProps.length > 0) {
      this.p.forbidden(at, "must not specify anything other than name and generateName, but metadata is implicitly specified");
    }
    for (const k of ["name", "generateName"]) {
      const child = props[k];
      if (!isJsonObject(child)) continue;
      this.node(child, [...at, "properties", k], "property", reach);
      if (child["type"] !== "string") this.p.invalid([...at, "properties", k, "type"], child["type"] ?? "", "must be string");
    }
  }

  /** A schema under allOf, anyOf, oneOf or not: value validations only, on fields the structural part has. */
  private valueValidation(v: JsonObject, at: DocPath, structural: JsonObject | undefined, root?: DocPath): void {
    if (!checkKeyShapes(v, at, this.p, this.unknown)) return;
    this.common(v, at);
    for (const key of NOT_IN_JUNCTORS) {
      if (v[key] === undefined || v[key] === null || v[key] === false) continue;
      this.p.forbidden([...at, key], "must be empty to be structural");
    }
    const props = v["properties"];
    if (isJsonObject(props)) {
      const sprops = structural !== undefined && isJsonObject(structural["properties"]) ? structural["properties"] : undefined;
      for (const [key, child] of Object.entries(props)) {
        // Measured: the server requires a property named in a junctor to exist in the structural
        // part at the root only.
        if (root !== undefined && sprops?.[key] === undefined) {
          this.p.required([...root, "properties", key], `because it is defined in ${formatPath([...at, "properties", key])}`);
        }
        this.valueValidation(child as JsonObject, [...at, "properties", key], sprops?.[key] as JsonObject | undefined);
      }
    }
    const items = v["items"];
    if (isJsonObject(items)) {
      const sItems = structural !== undefined && isJsonObject(structural["items"]) ? structural["items"] : undefined;
      this.valueValidation(items, [...at, "items"], sItems);
    }
    for (const j of JUNCTORS) {
      const list = v[j];
      if (Array.isArray(list)) list.forEach((sub, i) => this.valueValidation(sub as JsonObject, [...at, j, i], structural, root));
    }
    if (isJsonObject(v["not"])) this.valueValidation(v["not"], [...at, "not"], structural, root);
  }
}

/** Whether a schema says nothing but `key` (fields the server drops, and null or false ones, aside). */
function onlyKey(s: JsonObject, key: string): boolean {
  return Object.keys(s).every((k) => k === key || s[k] === null || s[k] === false || SCHEMA_KEYS[k] === undefined);
}

function isIntOrStringAnyOf(list: unknown): boolean {
  if (!Array.isArray(list) || list.length !== 2) return false;
  const [a, b] = list as unknown[];
  return isJsonObject(a) && isJsonObject(b) && onlyKey(a, "type") && onlyKey(b, "type") && a["type"] === "integer" && b["type"] === "string";
}

function isZero(v: unknown): boolean {
  return v === null || v === false || v === 0 || v === "" || (Array.isArray(v) && v.length === 0) || (isJsonObject(v) && Object.keys(v).length === 0);
}

function hasProperties(s: JsonObject): boolean {
  return isJsonObject(s["properties"]) && Object.keys(s["properties"]).length > 0;
}

/**
 * Why Go's RE2 would refuse a pattern, as far as JavaScript can tell: a pattern neither engine
 * parses, or JavaScript-only syntax (lookaround, backreferences). RE2-only syntax such as `(?i)` is
 * accepted.
 */
export function re2Problem(pattern: string): string | undefined {
  if (/\(\?<?[=!]/.test(pattern)) return "lookahead and lookbehind are not supported";
  if (/(^|[^\\])\\[1-9]/.test(pattern)) return "backreferences are not supported";
  const js = pattern.replace(/\(\?[imsU]+\)/g, "").replace(/\(\?[imsU]+:/g, "(?:").replace(/\(\?P</g, "(?<").replace(/\\[AzQE]/g, "").replace(/\[\[:[a-z]+:\]\]/g, "x");
  try {
    new RegExp(js);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.replace(/^Invalid regular expression: /, "") : String(err);
  }
}
