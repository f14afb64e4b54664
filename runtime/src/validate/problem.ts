/**
 * One reason the API server would refuse a value, in the server's terms: where, which kind of
 * error (`Invalid value`, `Required value`, ...), and a line that reads like its answer.
 */
export interface ValidationProblem {
  /** Where, as `.spec.ports[0].name` (empty for the object itself). */
  readonly path: string;
  /** What is wrong there: `must be integer`, `must have required property 'image'`, a rule's message. */
  readonly message: string;
  /** The server's error type: `Invalid value`, `Required value`, `Unsupported value`, `Duplicate value`, `Forbidden`, `Too many`, `Too long`. */
  readonly type: ProblemType;
  /** The line the server would write: `spec.replicas: Invalid value: 12: must be less than 10`. */
  readonly text: string;
  /** The CEL rule that failed, for a problem from `x-kubernetes-validations`. */
  readonly rule?: string;
}

/** The server's field error types (k8s.io/apimachinery/pkg/util/validation/field). */
export type ProblemType = "Invalid value" | "Required value" | "Unsupported value" | "Duplicate value" | "Forbidden" | "Too many" | "Too long";

/** A rule or check that could not be made here, with the reason: the verdict does not cover it. */
export interface NotChecked {
  /** The schema place, as `.spec.rules[*]`. */
  readonly path: string;
  /** The rule (CEL) or pattern. */
  readonly what: string;
  /** Why: `not implemented here: isFoo`, `the engine cannot parse it: ...`. */
  readonly reason: string;
}

/** The server's field path for one of ours: no leading dot. */
export const fieldOf = (path: string): string => (path.startsWith(".") ? path.slice(1) : path);

/** How the server shows a value in `Invalid value: ...`: JSON for scalars, the type name for the rest. */
export function shown(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return '"array"';
  if (typeof value === "object") return '"object"';
  return JSON.stringify(value) ?? String(value);
}

/** A problem with its server-style line. */
export function problem(path: string, type: ProblemType, message: string, value?: { readonly shown: string }): ValidationProblem {
  const field = fieldOf(path) || "<root>";
  const text = value === undefined ? `${field}: ${type}${message === "" ? "" : `: ${message}`}` : `${field}: ${type}: ${value.shown}${message === "" ? "" : `: ${message}`}`;
  return { path, message, type, text };
}
