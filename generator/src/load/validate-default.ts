import type { Problems } from "./crd-problems.js";
import { isJsonObject, type JsonObject, type JsonValue } from "./documents.js";
import type { DocPath } from "./locate.js";

/**
 * Checks a `default` against the schema it stands in, as the API server does when it accepts a
 * CRD: the value must be of the schema's type (or null where nullable), one of its enum values,
 * within its bounds, and hold no field the schema would prune; objects and lists are checked all
 * the way down.
 */
export function checkDefault(value: JsonValue, schema: JsonObject, at: DocPath, p: Problems, where: { readonly insideMeta: boolean; readonly resource: boolean }): void {
  // A default standing for a whole resource (the root, an embedded resource) is one: it needs its type meta.
  if (where.resource && isJsonObject(value)) {
    for (const key of ["apiVersion", "kind"]) if (typeof value[key] !== "string" || value[key] === "") p.required([...at, key]);
  }
  const why = problem(value, schema, "", where.insideMeta);
  if (why !== undefined) p.invalid(at, value, why);
}

function problem(v: JsonValue, s: JsonObject, path: string, lenient: boolean): string | undefined {
  const where = path === "" ? "" : `${path}: `;
  if (v === null) return s["nullable"] === true || s["x-kubernetes-preserve-unknown-fields"] === true && s["type"] === undefined ? undefined : `${where}must not be null`;
  if (s["x-kubernetes-int-or-string"] === true && s["type"] === undefined) {
    if (typeof v !== "string" && !(typeof v === "number" && Number.isInteger(v))) return `${where}must be an integer or a string`;
  } else {
    const type = s["type"];
    const ok = type === undefined
      || (type === "string" && typeof v === "string")
      || (type === "integer" && typeof v === "number" && Number.isInteger(v))
      || (type === "number" && typeof v === "number")
      || (type === "boolean" && typeof v === "boolean")
      || (type === "array" && Array.isArray(v))
      || (type === "object" && isJsonObject(v));
    if (!ok) return `${where}must be of type ${String(type)}`;
  }
  const e = s["enum"];
  if (Array.isArray(e) && !e.some((x) => JSON.stringify(x) === JSON.stringify(v))) return `${where}must be one of the enum values`;
  const bounds = boundsProblem(v, s);
  if (bounds !== undefined) return `${where}${bounds}`;
  const junctor = junctorProblem(v, s, path, lenient);
  if (junctor !== undefined) return `${where}${junctor}`;
  if (Array.isArray(v)) {
    const items = s["items"];
    if (isJsonObject(items)) {
      for (let i = 0; i < v.length; i++) {
        const r = problem(v[i] as JsonValue, items, `${path}[${i}]`, lenient);
        if (r !== undefined) return r;
      }
    }
  } else if (isJsonObject(v)) {
    return objectProblem(v, s, path, lenient);
  }
  return undefined;
}

function objectProblem(v: JsonObject, s: JsonObject, path: string, lenient: boolean): string | undefined {
  const props = isJsonObject(s["properties"]) ? s["properties"] : undefined;
  const additional = s["additionalProperties"];
  const open = s["x-kubernetes-preserve-unknown-fields"] === true;
  const embedded = s["x-kubernetes-embedded-resource"] === true;
  for (const [key, child] of Object.entries(v)) {
    if (embedded && (key === "apiVersion" || key === "kind" || key === "metadata") && !isJsonObject(props?.[key])) continue;
    const cs = props?.[key];
    if (isJsonObject(cs)) {
      const r = problem(child, cs, `${path}.${key}`, lenient);
      if (r !== undefined) return r;
    } else if (isJsonObject(additional)) {
      const r = problem(child, additional, `${path}.${key}`, lenient);
      if (r !== undefined) return r;
    } else if (!lenient && !open && additional !== true && !(props === undefined && s["type"] === undefined)) {
      return `${path}.${key}: must not have unknown fields (the API server would prune it)`;
    }
  }
  const required = s["required"];
  if (Array.isArray(required)) {
    for (const r of required) {
      const key = String(r);
      const cs = props?.[key];
      if (!(key in v) && !(isJsonObject(cs) && cs["default"] !== undefined)) return `${path}.${key}: Required value`;
    }
  }
  return undefined;
}

/** allOf, anyOf, oneOf and not, with their branches as value validations of the same value. */
function junctorProblem(v: JsonValue, s: JsonObject, path: string, lenient: boolean): string | undefined {
  const branches = (key: string): JsonObject[] => (Array.isArray(s[key]) ? (s[key] as JsonValue[]).filter(isJsonObject) : []);
  const passes = (b: JsonObject): boolean => problem(v, { ...b, "x-kubernetes-preserve-unknown-fields": true }, path, lenient) === undefined;
  for (const b of branches("allOf")) if (!passes(b)) return "must validate all the schemas (allOf)";
  const anyOf = branches("anyOf");
  if (anyOf.length > 0 && !anyOf.some(passes)) return "must validate at least one schema (anyOf)";
  const oneOf = branches("oneOf");
  if (oneOf.length > 0) {
    const n = oneOf.filter(passes).length;
    if (n !== 1) return `must validate one and only one schema (oneOf). Found ${n === 0 ? "none" : `${n} valid alternatives`}`;
  }
  if (isJsonObject(s["not"]) && passes(s["not"])) return "must not validate the schema (not)";
  return undefined;
}

function boundsProblem(v: JsonValue, s: JsonObject): string | undefined {
  const num = (k: string): number | undefined => (typeof s[k] === "number" ? (s[k] as number) : undefined);
  if (typeof v === "string") {
    const format = typeof s["format"] === "string" ? FORMATS[s["format"]] : undefined;
    if (format !== undefined && !format.test(v)) return `must be of type ${String(s["format"])}`;
    const pattern = typeof s["pattern"] === "string" ? jsPattern(s["pattern"]) : undefined;
    // JavaScript's `.` stops at \r, U+2028 and U+2029 where Go's does not: such values are not judged here.
    if (pattern !== undefined && !/[\r\u2028\u2029]/.test(v) && !pattern.test(v)) return `should match '${String(s["pattern"])}'`;
    const len = [...v].length;
    const max = num("maxLength");
    const min = num("minLength");
    if (max !== undefined && len > max) return `may not be longer than ${max}`;
    if (min !== undefined && len < min) return `should be at least ${min} chars long`;
  }
  if (typeof v === "number") {
    const max = num("maximum");
    const min = num("minimum");
    if (max !== undefined && (s["exclusiveMaximum"] === true ? v >= max : v > max)) return `should be less than${s["exclusiveMaximum"] === true ? "" : " or equal to"} ${max}`;
    if (min !== undefined && (s["exclusiveMinimum"] === true ? v <= min : v < min)) return `should be greater than${s["exclusiveMinimum"] === true ? "" : " or equal to"} ${min}`;
  }
  if (Array.isArray(v)) {
    const max = num("maxItems");
    const min = num("minItems");
    if (max !== undefined && v.length > max) return `must have at most ${max} items`;
    if (min !== undefined && v.length < min) return `should have at least ${min} items`;
  }
  if (isJsonObject(v)) {
    const n = Object.keys(v).length;
    const max = num("maxProperties");
    const min = num("minProperties");
    if (max !== undefined && n > max) return `must have at most ${max} properties`;
    if (min !== undefined && n < min) return `should have at least ${min} properties`;
  }
  return undefined;
}

/** A Go (RE2) pattern as a JavaScript RegExp, or undefined when it has no exact counterpart. */
function jsPattern(pattern: string): RegExp | undefined {
  const flags = /^\(\?([ims]+)\)/.exec(pattern);
  try {
    return new RegExp(flags === null ? pattern : pattern.slice(flags[0].length), `u${(flags?.[1] ?? "").replace(/[^ims]/g, "")}`);
  } catch {
    return undefined;
  }
}

/**
 * Formats the server checks string defaults against (kube-openapi's strfmt), where a regular
 * expression states them exactly enough; others are not checked here.
 */
const FORMATS: Readonly<Record<string, RegExp>> = {
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  "date-time": /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  uuid: /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/,
  ipv4: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
};
