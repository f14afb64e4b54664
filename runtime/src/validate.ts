import { createRequire } from "node:module";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import { KubeError } from "./errors.js";
import { compileRules, type RuleSet, type SchemaNode } from "./cel/rules.js";
import { checkFormat, SERVER_FORMATS } from "./validate/formats.js";
import { metadataProblems } from "./validate/metadata.js";
import { prepare } from "./validate/prepare.js";
import { unchangedAt } from "./validate/ratchet.js";
import { serverProblem } from "./validate/messages.js";
import type { NotChecked, ValidationProblem } from "./validate/problem.js";

export type { NotChecked, ProblemType, ValidationProblem } from "./validate/problem.js";

/**
 * Validators from a kind's schema, as generated code creates them (`shopV1.validateWidget`). They
 * answer what the API server would answer for an object, before it is sent: on a copy, nulls where
 * the schema is not nullable dropped and defaults applied (as the server does first), then types,
 * required fields, enums, bounds, lengths, patterns, counts, `set` lists without duplicates,
 * nullability, the formats the server checks, `map` list keys without duplicates, metadata (name,
 * labels, annotations),
 * and the CEL rules (`x-kubernetes-validations`; transition rules only when `old` is given). A
 * rule this runtime cannot evaluate is listed in `notChecked`, never counted as passed. Unknown
 * fields pass (the server prunes them) unless `unknownFields: "error"` is asked for, which is what
 * `fieldValidation=Strict` would answer.
 */

/** The outcome of {@link Validator.validate}; `value` is the object as the server would keep it (defaults applied). */
export type ValidationResult<T> =
  | { readonly valid: true; readonly value: T; readonly notChecked: readonly NotChecked[] }
  | { readonly valid: false; readonly problems: readonly ValidationProblem[]; readonly notChecked: readonly NotChecked[] };

/** Options of one validation. */
export interface ValidateOptions {
  /** `ignore` (default): unknown fields pass, as the server prunes them; `error`: they are problems. */
  readonly unknownFields?: "ignore" | "error" | undefined;
  /** `prune` (default): a null where the schema is not nullable is dropped, as the server does; `error`: it is a problem (the generated type has no null there). */
  readonly nulls?: "prune" | "error" | undefined;
  /** The object as stored, for an update: transition rules (`oldSelf`) are evaluated, and rules on unchanged values ratchet as on the server. */
  readonly old?: unknown;
}

/** Thrown by {@link Validator.parse}; lists every problem. */
export class ValidationError extends KubeError {
  override name = "ValidationError";
  constructor(
    readonly kind: string,
    readonly problems: readonly ValidationProblem[],
  ) {
    super(`invalid ${kind}: ${problems.map((p) => p.text).join("; ")}`);
  }
}

/** Checks values against one kind's schema. The schema is compiled on first use. */
export interface Validator<T> {
  /** The kind and API version it checks: `Widget (shop.example.com/v1)`. */
  readonly kind: string;
  /** Every problem, or the value (defaulted) typed. Never throws. */
  validate(value: unknown, options?: ValidateOptions): ValidationResult<T>;
  /** True when the value matches. */
  is(value: unknown, options?: ValidateOptions): value is T;
  /** The value as the server would keep it (defaults applied), typed, or a {@link ValidationError} listing every problem. */
  parse(value: unknown, options?: ValidateOptions): T;
  /** The CEL rules this validator cannot evaluate, with the reason (compiles them if needed). */
  notChecked(): readonly NotChecked[];
}

/** The marker the generator leaves on objects whose unknown fields the server keeps. */
const OPEN = "x-kubernetes-preserve-unknown-fields";
/** Keywords the generator keeps for the runtime's own passes (ajv ignores them). */
const KEPT = [OPEN, "x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kube-codegen-nullable"];

let ajv: Ajv | undefined;
function compiler(): Ajv {
  // Schemas come from the generator: known keywords only (plus the kept ones), the formats the
  // server checks, and patterns read by an RE2 engine (@bufbuild/re2), as Go reads them. strictTypes and strictRequired are off: allOf/anyOf/oneOf branches of a
  // structural schema carry checks (required among them) without types or properties of their own.
  // ajv is loaded on the first validation, not when the runtime is imported.
  if (ajv !== undefined) return ajv;
  const require = createRequire(import.meta.url);
  const { RE2JS } = require("@bufbuild/re2") as typeof import("@bufbuild/re2");
  const regExp = Object.assign((pattern: string) => RE2JS.compile(pattern), { code: 'require("@bufbuild/re2").RE2JS.compile' });
  const formats = Object.fromEntries([...SERVER_FORMATS].map((f) => [f, { type: "string" as const, validate: (s: string) => checkFormat(f, s) }]));
  ajv = new (require("ajv") as typeof import("ajv")).Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, validateFormats: true, formats, unicodeRegExp: false, code: { regExp }, keywords: KEPT });
  return ajv;
}

/**
 * A validator for `kind` from a JSON Schema in the generator's form (a JSON text: cheap for the
 * TypeScript compiler, parsed on first use).
 */
export function createValidator<T>(kind: string, schemaJson: string): Validator<T> {
  let schema: SchemaNode | undefined;
  let lenient: ValidateFunction | undefined;
  let strict: ValidateFunction | undefined;
  let rules: RuleSet | undefined;
  const parsed = (): SchemaNode => (schema ??= JSON.parse(schemaJson) as SchemaNode);
  const compiled = (options: ValidateOptions | undefined): ValidateFunction => {
    if (options?.unknownFields === "error") return (strict ??= compiler().compile(closed(forAjv(JSON.parse(schemaJson) as unknown))));
    return (lenient ??= compiler().compile(forAjv(JSON.parse(schemaJson) as unknown) as object));
  };
  const ruleSet = (): RuleSet => (rules ??= compileRules(parsed()));
  const validate = (value: unknown, options?: ValidateOptions): ValidationResult<T> => {
    const fn = compiled(options);
    const prepared = prepare(value, parsed(), options?.nulls !== "error");
    const old = options !== undefined && "old" in options && options.old !== undefined ? { value: prepare(options.old, parsed(), true) } : undefined;
    if (!fn(prepared)) {
      // On update, problems where the object is as it was ratchet (are not reported), as on the server.
      const errors = (fn.errors ?? []).filter((e) => old === undefined || !unchangedAt(e.instancePath, prepared, old.value, parsed()));
      if (errors.length > 0) return { valid: false, problems: problemsOf(errors, prepared), notChecked: ruleSet().notChecked };
    }
    const checked = ruleSet().check(prepared, old);
    const problems = [...metadataProblems(prepared), ...checked.problems];
    const notChecked = checked.notChecked.length === 0 ? ruleSet().notChecked : [...ruleSet().notChecked, ...checked.notChecked];
    if (problems.length > 0) return { valid: false, problems, notChecked };
    return { valid: true, value: prepared as T, notChecked };
  };
  return {
    kind,
    validate,
    is: (value, options): value is T => validate(value, options).valid,
    parse(value, options) {
      const r = validate(value, options);
      if (!r.valid) throw new ValidationError(kind, r.problems);
      return r.value;
    },
    notChecked: () => ruleSet().notChecked,
  };
}

/** Formats by the server's normalized names (`date-time` → `datetime`); those it does not check dropped. */
function forAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "format" && typeof v === "string") {
      const name = v.replace(/-/g, "");
      if (SERVER_FORMATS.has(name)) out[k] = name;
    } else if (k === "default" || k === "enum" || k === "x-kubernetes-validations") out[k] = v;
    else out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, c]) => [p, forAjv(c)])) : forAjv(v);
  }
  return out;
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

/** ajv's errors as problems; a failed `anyOf` of int-or-string says both options once. */
function problemsOf(errors: readonly ErrorObject[], value: unknown): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const p = serverProblem(e, readablePath(e.instancePath, value), value);
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
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
