import type { ErrorObject } from "ajv";
import { fieldOf, problem, shown, type ValidationProblem } from "./problem.js";

/**
 * One ajv error as the API server would word it (kube-openapi's validation errors, as
 * apiextensions reports them): `spec.replicas: Invalid value: 12: spec.replicas in body should be
 * less than or equal to 10`. `message` keeps ajv's short form (`must be <= 10`).
 */
export function serverProblem(e: ErrorObject, path: string, root: unknown): ValidationProblem {
  let message = e.message ?? e.keyword;
  const params = e.params as Record<string, unknown>;
  const field = fieldOf(path) || "<root>";
  const value = valueAt(root, e.instancePath);
  const v = { shown: shown(value) };
  const base = (): ValidationProblem => problem(path, "Invalid value", message, v);
  switch (e.keyword) {
    case "enum": {
      const allowed = (params["allowedValues"] as unknown[]).map((x) => JSON.stringify(x)).join(", ");
      message += `: ${allowed}`;
      return { ...problem(path, "Unsupported value", `supported values: ${allowed}`, { shown: JSON.stringify(value) }), message };
    }
    case "additionalProperties": {
      const name = String(params["additionalProperty"]);
      message = `unknown field ${JSON.stringify(name)}`;
      const full = field === "<root>" ? name : `${field}.${name}`;
      return { path, message, type: "Invalid value", text: `unknown field ${JSON.stringify(full)}` };
    }
    case "required": {
      const missing = String(params["missingProperty"]);
      return { ...problem(`${path}.${missing}`, "Required value", ""), path, message };
    }
    case "type":
      return { ...problem(path, "Invalid value", `${field} in body must be of type ${String(params["type"]).replace(",null", "")}: ${typeOfValue(value)}`, { shown: typeOfValue(value) }), message };
    case "maxLength":
      return { ...problem(path, "Too long", `may not be more than ${String(params["limit"])} bytes`), message };
    case "maxItems":
      return { ...problem(path, "Too many", `must have at most ${String(params["limit"])} items`, { shown: String((value as unknown[]).length) }), message };
    case "maxProperties":
      return { ...problem(path, "Too many", `must have at most ${String(params["limit"])} items`, { shown: String(Object.keys(value as object).length) }), message };
    case "uniqueItems":
    {
      const later = Math.max(Number(params["i"]), Number(params["j"]));
      return { ...problem(`${path}[${later}]`, "Duplicate value", "", { shown: JSON.stringify((value as unknown[])[later]) }), path, message };
    }
    case "format": {
      const name = DASHED[String(params["format"])] ?? String(params["format"]);
      return { ...problem(path, "Invalid value", `${field} in body must be of type ${name}: ${JSON.stringify(value)}`, v), message };
    }
  }
  const server: Record<string, () => string> = {
    minimum: () => `${field} in body should be greater than or equal to ${String(params["limit"])}`,
    exclusiveMinimum: () => `${field} in body should be greater than ${String(params["limit"])}`,
    maximum: () => `${field} in body should be less than or equal to ${String(params["limit"])}`,
    exclusiveMaximum: () => `${field} in body should be less than ${String(params["limit"])}`,
    minLength: () => `${field} in body should be at least ${String(params["limit"])} chars long`,
    pattern: () => `${field} in body should match '${String(params["pattern"])}'`,
    minItems: () => `${field} in body should have at least ${String(params["limit"])} items`,
    minProperties: () => `${field} in body should have at least ${String(params["limit"])} properties`,
    multipleOf: () => `${field} in body should be a multiple of ${String(params["multipleOf"])}`,
    oneOf: () => `${field} in body must match exactly one schema in oneOf`,
    anyOf: () => `${field} in body must match at least one schema in anyOf`,
    not: () => `${field} in body must not match the schema in not`,
  };
  const say = server[e.keyword];
  if (say === undefined) return base();
  return { ...problem(path, "Invalid value", say(), v), message };
}

/** Format names as CRDs spell them (ajv gets them without dashes, the server's normalized form). */
const DASHED: Record<string, string> = { datetime: "date-time", k8sshortname: "k8s-short-name", k8slongname: "k8s-long-name" };

function typeOfValue(v: unknown): string {
  if (v === null) return '"null"';
  if (Array.isArray(v)) return '"array"';
  if (typeof v === "number") return Number.isInteger(v) ? '"integer"' : '"number"';
  return JSON.stringify(typeof v);
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let node = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}
