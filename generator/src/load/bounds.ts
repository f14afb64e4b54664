import type { DocPath } from "./locate.js";

/**
 * How much work one input document may cause. Inputs are untrusted (other teams' CRDs, third-party
 * charts, live clusters), so every document is checked against these before anything walks it.
 *
 * Measured on the 256 real CRDs of the shared corpus: at most 38 levels of nesting in a document
 * (19 nested schemas) and 35,225 values in one document, no YAML alias anywhere. The caps sit well
 * above that and well below what hurts: 1,000 nested maps crash `tsc` with a stack overflow, an
 * alias bomb expands to billions of values.
 */
export const LIMITS = {
  /** Levels of nesting of objects and arrays in a document (the root is level 1). */
  depth: 200,
  /** Values (objects, arrays, scalars) in one document, counting what YAML aliases expand to. */
  values: 2_000_000,
  /** Values reached through YAML aliases in one document: what aliases may add to it. */
  aliasValues: 100_000,
} as const;

/** Why a document is refused, and where. */
export interface BoundsViolation {
  readonly path: DocPath;
  readonly message: string;
}

/**
 * Walks a parsed document once, with the recursion bounded by {@link LIMITS}.depth, and answers the
 * first reason to refuse it: too deep, too many values, aliases that expand too far or refer to
 * themselves, or a number JSON cannot carry (`.inf`, `.nan`). `aliases` says whether the text can
 * hold YAML aliases at all (it has an anchor); only then are shared objects tracked.
 *
 * With `ownStrings`, the same walk gives every long string value storage of its own. A parser's
 * strings are slices of the text it read (V8 keeps substrings of 13 characters and more as views
 * into their parent), so one enum value or name kept by the model would keep its whole file alive:
 * 34 MB of the union corpus's texts past the load, measured.
 */
export function checkBounds(value: unknown, aliases: boolean, ownStrings = false): BoundsViolation | undefined {
  const path: (string | number)[] = [];
  const seen = aliases ? new Set<object>() : undefined;
  const open = aliases ? new Set<object>() : undefined;
  let values = 0;
  let aliasValues = 0;
  let found: BoundsViolation | undefined;
  const stop = (message: string): false => {
    found = { path: [...path], message };
    return false;
  };
  const visit = (v: unknown, depth: number, viaAlias: boolean): boolean => {
    values++;
    if (viaAlias) aliasValues++;
    if (values > LIMITS.values) return stop(`the document holds more than ${LIMITS.values.toLocaleString("en-US")} values (a limit on untrusted input)`);
    if (aliasValues > LIMITS.aliasValues) {
      return stop(`YAML aliases expand to more than ${LIMITS.aliasValues.toLocaleString("en-US")} values (an alias bomb?); write the repeated parts out or use fewer aliases`);
    }
    if (typeof v === "number") return Number.isFinite(v) || stop(`${String(v)} is not a number JSON can carry (the API server refuses .inf and .nan)`);
    if (typeof v !== "object" || v === null) return true;
    if (depth >= LIMITS.depth) return stop(`nesting deeper than ${LIMITS.depth} levels (a limit on untrusted input; real CRDs nest fewer than 40)`);
    let alias = viaAlias;
    if (seen !== undefined && open !== undefined) {
      if (open.has(v)) return stop("a YAML alias refers to a node that contains it (a recursive alias)");
      if (seen.has(v)) alias = true;
      else seen.add(v);
      open.add(v);
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (ownStrings) v[i] = owned(v[i]);
        path.push(i);
        if (!visit(v[i], depth + 1, alias)) return false;
        path.pop();
      }
    } else {
      for (const key of Object.keys(v)) {
        if (ownStrings) (v as Record<string, unknown>)[key] = owned((v as Record<string, unknown>)[key]);
        path.push(key);
        if (!visit((v as Record<string, unknown>)[key], depth + 1, alias)) return false;
        path.pop();
      }
    }
    open?.delete(v);
    return true;
  };
  visit(value, 1, false);
  return found;
}

/** A long string as a copy of its own (a slice of a fresh concatenation: V8 flattens it first). */
function owned(v: unknown): unknown {
  return typeof v === "string" && v.length >= 13 ? ` ${v}`.slice(1) : v;
}
