import { KubeError } from "../errors.js";

/** One requirement of a label selector. */
export type Requirement =
  | { readonly key: string; readonly op: "=" | "!="; readonly value: string }
  | { readonly key: string; readonly op: "in" | "notin"; readonly values: readonly string[] }
  | { readonly key: string; readonly op: "exists" | "!" }
  | { readonly key: string; readonly op: "<" | ">"; readonly value: number };

/** A parsed label selector: every requirement must hold (AND). The empty selector matches everything. */
export interface LabelSelector {
  readonly requirements: readonly Requirement[];
  /** Whether an object with these labels is selected (no labels: as an empty set). */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** The selector in Kubernetes syntax, as sent to the API server. */
  toString(): string;
}

/** The error for a selector that does not parse. */
export class SelectorError extends KubeError {
  override name = "SelectorError";
}

const KEY = /^(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(?:[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/**
 * Parses a label selector in the Kubernetes syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x,y)`, `a` (exists), `!a` (does not exist), `a>1`, `a<1`, joined by commas.
 */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements: Requirement[] = [];
  let i = 0;
  const s = text;
  const ws = (): void => {
    while (i < s.length && /\s/.test(s[i] ?? "")) i++;
  };
  const fail = (what: string): never => {
    throw new SelectorError(`invalid label selector ${JSON.stringify(text)}: ${what} at position ${i}`);
  };
  const word = (): string => {
    ws();
    const start = i;
    while (i < s.length && /[A-Za-z0-9_.\-/]/.test(s[i] ?? "")) i++;
    return s.slice(start, i);
  };
  ws();
  if (i === s.length) return makeSelector([]);
  for (;;) {
    ws();
    let negated = false;
    if (s[i] === "!") {
      negated = true;
      i++;
    }
    const key = word();
    if (!KEY.test(key)) fail(`bad key ${JSON.stringify(key)}`);
    ws();
    if (negated) {
      requirements.push({ key, op: "!" });
    } else if (i >= s.length || s[i] === ",") {
      requirements.push({ key, op: "exists" });
    } else if (s.startsWith("!=", i) || s.startsWith("==", i) || s[i] === "=") {
      const op = s.startsWith("!=", i) ? "!=" : "=";
      i += s.startsWith("==", i) || op === "!=" ? 2 : 1;
      const value = word();
      if (!VALUE.test(value)) fail(`bad value ${JSON.stringify(value)}`);
      requirements.push({ key, op, value });
    } else if (s[i] === "<" || s[i] === ">") {
      const op = s[i] as "<" | ">";
      i++;
      const raw = word();
      if (!/^-?\d+$/.test(raw)) fail(`${op} needs an integer`);
      requirements.push({ key, op, value: Number(raw) });
    } else {
      const opWord = word();
      if (opWord !== "in" && opWord !== "notin") fail(`unknown operator ${JSON.stringify(opWord)}`);
      ws();
      if (s[i] !== "(") fail("expected (");
      i++;
      const values: string[] = [];
      for (;;) {
        const v = word();
        if (!VALUE.test(v)) fail(`bad value ${JSON.stringify(v)}`);
        values.push(v);
        ws();
        if (s[i] === ",") {
          i++;
          continue;
        }
        if (s[i] === ")") {
          i++;
          break;
        }
        fail("expected , or )");
      }
      if (values.length === 1 && values[0] === "") fail(`the value set of ${opWord} cannot be empty`);
      requirements.push({ key, op: opWord as "in" | "notin", values });
    }
    ws();
    if (i >= s.length) break;
    if (s[i] !== ",") fail("expected ,");
    i++;
  }
  return makeSelector(requirements);
}

function makeSelector(requirements: readonly Requirement[]): LabelSelector {
  return {
    requirements,
    matches(labels) {
      return requirements.every((r) => matchOne(r, labels));
    },
    toString() {
      return requirements.map(format).join(",");
    },
  };
}

function matchOne(r: Requirement, labels: Readonly<Record<string, string>> | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const v = has ? labels[r.key] : undefined;
  switch (r.op) {
    case "=":
      return v === r.value;
    case "!=":
      return v !== r.value;
    case "in":
      return v !== undefined && r.values.includes(v);
    case "notin":
      return v === undefined || !r.values.includes(v);
    case "exists":
      return has;
    case "!":
      return !has;
    case "<":
    case ">": {
      if (v === undefined || !/^-?\d+$/.test(v)) return false;
      return r.op === "<" ? Number(v) < r.value : Number(v) > r.value;
    }
  }
}

function format(r: Requirement): string {
  switch (r.op) {
    case "=":
    case "!=":
      return `${r.key}${r.op}${r.value}`;
    case "in":
    case "notin":
      return `${r.key} ${r.op} (${r.values.join(",")})`;
    case "exists":
      return r.key;
    case "!":
      return `!${r.key}`;
    case "<":
    case ">":
      return `${r.key}${r.op}${r.value}`;
  }
}

/** A selector given as text or already parsed. */
export type SelectorInput = string | LabelSelector;

/** Parses text; passes a parsed selector through. */
export function toSelector(input: SelectorInput | undefined): LabelSelector | undefined {
  if (input === undefined) return undefined;
  return typeof input === "string" ? parseLabelSelector(input) : input;
}
