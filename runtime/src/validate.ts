import { createRequire } from "node:module";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import { KubeError } from "./errors.js";

/**
 * Validators from a kind's schema, as generated code creates them (`shopV1.validateWidget`). They
 * answer what the API server's schema validation would say about an object, before it is sent:
 * types, required fields (except those the server defaults), enums, bounds, lengths, patterns,
 * item and property counts, `set` lists without duplicates, nullability. Not checked: CEL rules
 * (`x-kubernetes-validations`), formats, and uniqueness of `map` list keys — the server still does
 * those. Unknown fields pass (the server prunes them) unless `unknownFields: "error"` is asked for,
 * which is what `fieldValidation=Strict` would answer.
 */

/** One reason a value does not match its schema. */
export interface ValidationProblem {
  /** Where, as `.spec.ports[0].name` (empty for the object itself). */
  readonly path: string;
  /** What is wrong there: `must be integer`, `must have required property 'image'`. */
  readonly message: string;
}

/** The outcome of {@link Validator.validate}. */
export type ValidationResult<T> = { readonly valid: true; readonly value: T } | { readonly valid: false; readonly problems: readonly ValidationProblem[] };

/** Options of one validation. */
export interface ValidateOptions {
  /** `ignore` (default): unknown fields pass, as the server prunes them; `error`: they are problems. */
  readonly unknownFields?: "ignore" | "error" | undefined;
}

/** Thrown by {@link Validator.parse}; lists every problem. */
export class ValidationError extends KubeError {
  override name = "ValidationError";
  constructor(
    readonly kind: string,
    readonly problems: readonly ValidationProblem[],
  ) {
    super(`invalid ${kind}: ${problems.map((p) => (p.path === "" ? p.message : `${p.path}: ${p.message}`)).join("; ")}`);
  }
}

/** Checks values against one kind's schema. The schema is compiled on first use. */
export interface Validator<T> {
  /** The kind and API version it checks: `Widget (shop.example.com/v1)`. */
  readonly kind: string;
  /** Every problem, or the value typed. Never throws. */
  validate(value: unknown, options?: ValidateOptions): ValidationResult<T>;
  /** True when the value matches. */
  is(value: unknown, options?: ValidateOptions): value is T;
  /** The value typed, or a {@link ValidationError} listing every problem. */
  parse(value: unknown, options?: ValidateOptions): T;
}

/** The marker the generator leaves on objects whose unknown fields the server keeps. */
const OPEN = "x-kubernetes-preserve-unknown-fields";

let ajv: Ajv | undefined;
function compiler(): Ajv {
  // Schemas come from the generator: known keywords only (plus the marker), no formats, and
  // patterns as JavaScript reads them without the `u` flag (closest to Go's RE2 for CRD patterns).
  // strictTypes and strictRequired are off: allOf/anyOf/oneOf branches of a structural schema carry
  // checks (required among them) without types or properties of their own.
  // ajv is loaded on the first validation, not when the runtime is imported.
  ajv ??= new (createRequire(import.meta.url)("ajv") as typeof import("ajv")).Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, validateFormats: false, unicodeRegExp: false, keywords: [OPEN] });
  return ajv;
}

/**
 * A validator for `kind` from a JSON Schema in the generator's form (a JSON text: cheap for the
 * TypeScript compiler, parsed on first use).
 */
export function createValidator<T>(kind: string, schemaJson: string): Validator<T> {
  let lenient: ValidateFunction | undefined;
  let strict: ValidateFunction | undefined;
  const compiled = (options: ValidateOptions | undefined): ValidateFunction => {
    if (options?.unknownFields === "error") return (strict ??= compiler().compile(closed(JSON.parse(schemaJson) as unknown)));
    return (lenient ??= compiler().compile(JSON.parse(schemaJson) as object));
  };
  const validate = (value: unknown, options?: ValidateOptions): ValidationResult<T> => {
    const fn = compiled(options);
    if (fn(value)) return { valid: true, value: value as T };
    return { valid: false, problems: problemsOf(fn.errors ?? [], value) };
  };
  return {
    kind,
    validate,
    is: (value, options): value is T => compiled(options)(value),
    parse(value, options) {
      const r = validate(value, options);
      if (!r.valid) throw new ValidationError(kind, r.problems);
      return r.value;
    },
  };
}

/** The same schema with unknown fields refused wherever the server would prune them. */
function closed(schema: unknown): object {
  const walk = (node: unknown): unknown => {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return node;
    const out: Record<string, unknown> = { ...(node as Record<string, unknown>) };
    const props = out["properties"];
    if (typeof props === "object" && props !== null) {
      out["properties"] = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, walk(v)]));
      if (!("additionalProperties" in out) && out[OPEN] !== true) out["additionalProperties"] = false;
    }
    // Not into allOf/anyOf/oneOf/not: their properties only add checks to the fields of the
    // schema around them, so closing them would refuse those fields.
    for (const k of ["items", "additionalProperties"]) if (k in out) out[k] = walk(out[k]);
    return out;
  };
  return walk(schema) as object;
}

/** ajv's errors as paths and messages; a failed `anyOf` of int-or-string says both options once. */
function problemsOf(errors: readonly ErrorObject[], value: unknown): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let message = e.message ?? e.keyword;
    if (e.keyword === "enum") message += `: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    if (e.keyword === "additionalProperties") message = `unknown field ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
    const problem = { path: readablePath(e.instancePath, value), message };
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

/** `/spec/ports/0/name` → `.spec.ports[0].name`, reading the value to tell array indexes from keys. */
function readablePath(pointer: string, value: unknown): string {
  if (pointer === "") return "";
  let out = "";
  let node = value;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      out += `[${key}]`;
      node = node[Number(key)];
      continue;
    }
    out += /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return out;
}
