import type { StatusCause } from "../meta.js";
import type { ValidationProblem } from "../validate.js";

/** The value at a validator path such as `.spec.parts[0].name`. */
function at(obj: unknown, path: string): unknown {
  let node = obj;
  for (const m of path.matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    const key = m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(m[3] ?? '""'));
    node = typeof node === "object" && node !== null ? (node as Record<string | number, unknown>)[key as string] : undefined;
  }
  return node;
}

/** The schema type name Go's validator reports for a JSON value. */
function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** A value as Go's field errors print it: strings quoted, numbers and booleans bare. */
const shown = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : typeof v === "object" ? JSON.stringify(typeName(v)) : String(v));

/**
 * A generated validator's problem as the API server words it (the OpenAPI validation of
 * apiextensions): the reason, the field without its leading dot, and the message for the common
 * cases (required, type, enum, bounds, lengths, patterns); other messages are the validator's own.
 */
export function causeOf(obj: unknown, p: ValidationProblem): StatusCause {
  const field = p.path.replace(/^\./, "");
  const required = /^must have required property '([^']+)'$/.exec(p.message);
  if (required !== null) return { reason: "FieldValueRequired", message: "Required value", field: field === "" ? (required[1] ?? "") : `${field}.${required[1] ?? ""}` };
  const v = at(obj, p.path);
  const type = /^must be (object|array|string|integer|number|boolean)$/.exec(p.message);
  if (type !== null) return { reason: "FieldValueTypeInvalid", message: `Invalid value: ${JSON.stringify(typeName(v))}: ${field} in body must be of type ${type[1] ?? ""}: ${JSON.stringify(typeName(v))}`, field };
  const allowed = /^must be equal to one of the allowed values: (.*)$/.exec(p.message);
  if (allowed !== null) return { reason: "FieldValueNotSupported", message: `Unsupported value: ${JSON.stringify(v)}: supported values: ${allowed[1] ?? ""}`, field };
  const bound = /^must be (>=|<=|>|<) (.+)$/.exec(p.message);
  if (bound !== null) {
    const words = { ">=": "greater than or equal to", "<=": "less than or equal to", ">": "greater than", "<": "less than" }[bound[1] as ">=" | "<=" | ">" | "<"];
    return { reason: "FieldValueInvalid", message: `Invalid value: ${shown(v)}: ${field} in body should be ${words} ${bound[2] ?? ""}`, field };
  }
  const length = /^must NOT have (fewer|more) than (\d+) characters$/.exec(p.message);
  if (length !== null) return { reason: "FieldValueInvalid", message: `Invalid value: ${shown(v)}: ${field} in body should be at ${length[1] === "fewer" ? "least" : "most"} ${length[2] ?? ""} chars long`, field };
  const pattern = /^must match pattern "(.*)"$/.exec(p.message);
  if (pattern !== null) return { reason: "FieldValueInvalid", message: `Invalid value: ${shown(v)}: ${field} in body should match '${pattern[1] ?? ""}'`, field };
  return { reason: "FieldValueInvalid", message: p.message, field };
}

/** The scale subresource's own check of spec replicas (the server adds it to the schema's). */
export function scaleReplicasCause(obj: unknown, specReplicasPath: string): StatusCause | undefined {
  const v = at(obj, specReplicasPath);
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) return { reason: "FieldValueInvalid", message: `Invalid value: ${shown(v)}: should be a non-negative integer`, field: specReplicasPath };
  if (v > 2147483647) return { reason: "FieldValueInvalid", message: `Invalid value: ${shown(v)}: should be less than or equal to 2147483647`, field: specReplicasPath };
  return undefined;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const PREFIX_MESSAGE =
  "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** The problems of a label or annotation key (a qualified name: `[prefix/]name`). */
function keyCauses(key: string, field: string): StatusCause[] {
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const out: StatusCause[] = [];
  const bad = (message: string): StatusCause => ({ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(key)}: ${message}`, field });
  if (prefix !== undefined && (prefix === "" || !PREFIX.test(prefix))) out.push(bad(PREFIX_MESSAGE));
  if (name === "") out.push(bad("name part must be non-empty"));
  else if (name.length > 63) out.push(bad("name part must be no more than 63 characters"));
  else if (!NAME_PART.test(name)) out.push(bad(NAME_PART_MESSAGE));
  return out;
}

/**
 * What the server checks of metadata on every write: label keys and values, annotation keys, and
 * on updates of an object being deleted, that no finalizer was added (the server reports that one
 * twice: its generic and its custom-resource checks both run).
 */
export function metadataCauses(meta: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }, old: { deletionTimestamp?: string; finalizers?: string[] } | undefined): StatusCause[] {
  const out: StatusCause[] = [];
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    out.push(...keyCauses(k, "metadata.labels"));
    if (typeof v !== "string" || v.length > 63) out.push({ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(v)}: must be no more than 63 characters`, field: "metadata.labels" });
    else if (!LABEL_VALUE.test(v)) out.push({ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(v)}: ${LABEL_VALUE_MESSAGE}`, field: "metadata.labels" });
  }
  for (const k of Object.keys(meta.annotations ?? {})) out.push(...keyCauses(k.toLowerCase(), "metadata.annotations"));
  if (old?.deletionTimestamp !== undefined) {
    const added = (meta.finalizers ?? []).filter((f) => !(old.finalizers ?? []).includes(f));
    if (added.length > 0) {
      const cause = { reason: "FieldValueForbidden", message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(", ")}}`, field: "metadata.finalizers" };
      out.push(cause, { ...cause });
    }
  }
  return out;
}
