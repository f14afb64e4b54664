import * as fc from "fast-check";

/** A CRD schema node (OpenAPI v3 with Kubernetes extensions), as read from YAML. */
export type Schema = Readonly<Record<string, unknown>>;

/** A step from a schema node to the one a rule sits on: a property, `[*]` (items) or `.*` (map values). */
export type Step = { readonly prop: string } | { readonly items: true } | { readonly values: true };

const isSchema = (v: unknown): v is Schema => v !== null && typeof v === "object" && !Array.isArray(v);
const props = (s: Schema): Record<string, Schema> => (isSchema(s["properties"]) ? (s["properties"] as Record<string, Schema>) : {});

// Strings that exercise the rules found in CRDs: names, URLs, IPs, quantities, durations, dates, odd cases.
const STRINGS = ["", "a", "abc", "my-name", "Name_1", "x.y.z", "https://example.com/p", "http://example.com", "example.com", "10.0.0.1", "10.0.0.0/8", "::1", "1Gi", "500m", "1.5", "5m", "1h", "2h30m", "30s", "0", "-1", "v1.2.3", "1.2.3", "TCP", "UDP", "HTTP", "Exact", "PathPrefix", "RegularExpression", "/", "/path", "*", "a b", "UPPER", "kube-system", "default", "2024-01-01T00:00:00Z", "2024-01-01", "true", "null"];
const FORMATS: Record<string, readonly string[]> = {
  "date-time": ["2024-01-01T00:00:00Z", "2024-02-29T10:00:00.5+02:00", "2023-02-29T10:00:00Z", "yesterday"],
  date: ["2024-01-01", "2024-13-01"],
  duration: ["1s", "5m", "1h30m", "-2h", "forever"],
  uuid: ["123e4567-e89b-12d3-a456-426614174000", "123e4567"],
  ipv4: ["10.0.0.1", "10.0.0.256"],
  ipv6: ["::1", "fe80::1", "1.2.3.4"],
  cidr: ["10.0.0.0/8", "10.0.0.0/33"],
  uri: ["https://example.com/x", "not a uri", "/path"],
  hostname: ["example.com", "-bad-"],
  byte: ["aGVsbG8=", "not base64!"],
  "int-or-string": ["80", "http"],
};

/**
 * Values for a schema node: mostly valid by its own keywords, sometimes not (a string too long, a
 * number past its bound, a value outside the enum), so both the server's schema checks and the
 * rules see both sides. `depth` bounds the nesting: past it only required properties are made.
 */
export function valueOf(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  const enumValues = Array.isArray(s["enum"]) ? (s["enum"] as unknown[]) : undefined;
  if (enumValues !== undefined && enumValues.length > 0) return fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...enumValues) }, { weight: 1, arbitrary: fc.constant("not-in-enum") });
  if (s["x-kubernetes-int-or-string"] === true) return fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom("80", "http", "50%", "25%", "1"));
  const examples = [s["default"], s["example"]].filter((x) => x !== undefined);
  const base = baseOf(s, depth);
  return examples.length > 0 ? fc.oneof({ weight: 3, arbitrary: base }, { weight: 1, arbitrary: fc.constantFrom(...examples) }) : base;
}

function baseOf(s: Schema, depth: number): fc.Arbitrary<unknown> {
  switch (s["type"]) {
    case "boolean":
      return fc.boolean();
    case "integer": {
      const min = typeof s["minimum"] === "number" ? s["minimum"] : -2;
      const max = typeof s["maximum"] === "number" ? s["maximum"] : 100;
      const lo = Math.max(min, -1000);
      const hi = Math.max(lo, Math.min(max, lo + 100000));
      return fc.oneof({ weight: 8, arbitrary: fc.integer({ min: lo, max: hi }) }, { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1, 0, 1) });
    }
    case "number":
      return fc.oneof(fc.integer({ min: -2, max: 100 }), fc.constantFrom(0.5, 1.25, 99.9));
    case "string": {
      const format = typeof s["format"] === "string" ? FORMATS[s["format"]] : undefined;
      const pool = format ?? STRINGS;
      const max = typeof s["maxLength"] === "number" ? s["maxLength"] : undefined;
      const min = typeof s["minLength"] === "number" ? s["minLength"] : 0;
      const sized = fc.constantFrom(...pool).map((x) => (max !== undefined && x.length > max ? x.slice(0, max) : x));
      const matching = patternArbitrary(s["pattern"], min, max ?? 64);
      const options = [{ weight: 6, arbitrary: sized }, { weight: 1, arbitrary: fc.constantFrom(...STRINGS) }, { weight: 1, arbitrary: fc.string({ minLength: 0, maxLength: 12 }) }];
      return fc.oneof(...(matching === undefined ? options : [{ weight: 8, arbitrary: matching }, ...options]));
    }
    case "array": {
      const items = isSchema(s["items"]) ? s["items"] : {};
      const minLength = typeof s["minItems"] === "number" ? s["minItems"] : 0;
      const maxItems = typeof s["maxItems"] === "number" ? s["maxItems"] : 3;
      return fc.array(valueOf(items, depth + 1), { minLength: Math.min(minLength, 3), maxLength: Math.max(Math.min(maxItems, 3), Math.min(minLength, 3)) });
    }
    default:
      return objectOf(s, depth);
  }
}

/** Strings that match the schema's pattern (when JavaScript reads it) within its lengths. */
function patternArbitrary(pattern: unknown, min: number, max: number): fc.Arbitrary<string> | undefined {
  if (typeof pattern !== "string") return undefined;
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    return undefined;
  }
  return fc.stringMatching(re).map((x) => x.slice(0, max)).filter((x) => x.length >= min && re.test(x));
}

/** Like {@link valueOf}, but objects get only their required properties: fewer rules to trip over. */
export function minimalOf(s: Schema): fc.Arbitrary<unknown> {
  return valueOf(s, 4);
}

function objectOf(s: Schema, depth: number): fc.Arbitrary<unknown> {
  const p = props(s);
  const names = Object.keys(p);
  if (names.length === 0) {
    if (isSchema(s["additionalProperties"])) return fc.dictionary(fc.constantFrom("a", "b", "key-1", "x.y"), valueOf(s["additionalProperties"], depth + 1), { maxKeys: 2 });
    return fc.constant({});
  }
  const required = new Set(Array.isArray(s["required"]) ? (s["required"] as string[]) : []);
  // Deep in a big schema only the required fields are made, and a few optional ones near the top.
  const kept = depth > 3 ? names.filter((n) => required.has(n)) : names;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const n of kept) model[n] = valueOf(p[n] ?? {}, depth + 1);
  return fc.record(model, { requiredKeys: kept.filter((n) => required.has(n)) });
}

/**
 * An object for the root schema that reaches the node at `steps` (present on the way: a property
 * set, a list of one or two items, a map with one key), with `leaf` values there.
 */
export function objectAlong(root: Schema, steps: readonly Step[], leaf: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const go = (s: Schema, i: number, depth: number): fc.Arbitrary<unknown> => {
    const step = steps[i];
    if (step === undefined) return leaf;
    if ("items" in step) {
      const items = isSchema(s["items"]) ? s["items"] : {};
      return fc.tuple(go(items, i + 1, depth + 1), fc.option(valueOf(items, depth + 1), { nil: undefined })).map(([a, b]) => (b === undefined ? [a] : [a, b]));
    }
    if ("values" in step) {
      const values = isSchema(s["additionalProperties"]) ? s["additionalProperties"] : {};
      return go(values, i + 1, depth + 1).map((v) => ({ k: v }));
    }
    const child = props(s)[step.prop] ?? {};
    return fc.tuple(objectOf(s, Math.max(depth, 4)), go(child, i + 1, depth + 1)).map(([o, v]) => ({ ...(o as object), [step.prop]: v }));
  };
  return go(root, 0, 0);
}

/** Every node with x-kubernetes-validations: its steps from the root and its rules. */
export function ruleNodes(root: Schema): { steps: Step[]; node: Schema; rules: { rule: string; message?: string }[] }[] {
  const out: { steps: Step[]; node: Schema; rules: { rule: string; message?: string }[] }[] = [];
  const visit = (s: Schema, steps: Step[]): void => {
    const rules = s["x-kubernetes-validations"];
    if (Array.isArray(rules) && rules.length > 0) out.push({ steps, node: s, rules: rules as { rule: string; message?: string }[] });
    for (const [k, c] of Object.entries(props(s))) visit(c, [...steps, { prop: k }]);
    if (isSchema(s["items"])) visit(s["items"], [...steps, { items: true }]);
    if (isSchema(s["additionalProperties"])) visit(s["additionalProperties"], [...steps, { values: true }]);
  };
  visit(root, []);
  return out;
}

/** Mutations of a valid object: a field removed, a scalar changed, a list item repeated, a null, a wrong type. */
export function mutantOf(value: unknown, seed: number): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const places: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (places.push({ parent: v, key: i }), walk(x)));
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k !== "apiVersion" && k !== "kind" && k !== "metadata") (places.push({ parent: v as Record<string, unknown>, key: k }), walk(x));
  };
  walk(copy["spec"] ?? copy);
  if (places.length === 0) return copy;
  const rng = fc.sample(fc.integer({ min: 0, max: 1_000_000 }), { seed, numRuns: 2 });
  const place = places[(rng[0] ?? 0) % places.length];
  if (place === undefined) return copy;
  const { parent, key } = place;
  const current = (parent as Record<string | number, unknown>)[key];
  const kind = (rng[1] ?? 0) % 5;
  const set = (v: unknown): void => void ((parent as Record<string | number, unknown>)[key] = v);
  if (kind === 0 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
  else if (kind === 1) set(typeof current === "string" ? `${current}X` : typeof current === "number" ? current + 1000 : typeof current === "boolean" ? !current : "changed");
  else if (kind === 2 && Array.isArray(current) && current.length > 0) current.push(structuredClone(current[0]));
  else if (kind === 3) set(null);
  else set(typeof current === "string" ? 42 : "wrong");
  return copy;
}

/** The value at `steps` in an object (the first item of a list, the first key of a map), or undefined. */
export function valueAt(root: unknown, steps: readonly Step[]): { get: () => unknown; set: (v: unknown) => void } | undefined {
  let parent: Record<string | number, unknown> | undefined;
  let key: string | number | undefined;
  let node = root;
  for (const step of steps) {
    if (node === null || typeof node !== "object") return undefined;
    parent = node as Record<string | number, unknown>;
    key = "items" in step ? 0 : "values" in step ? Object.keys(parent)[0] : step.prop;
    if (key === undefined) return undefined;
    node = parent[key];
  }
  if (parent === undefined || key === undefined) return undefined;
  const [p, k] = [parent, key];
  return { get: () => p[k], set: (v) => void (p[k] = v) };
}

/** Variants of a node's value that tend to flip rules: each property dropped, mutants. */
export function variantsOf(value: unknown, seed: number, count: number): unknown[] {
  const out: unknown[] = [];
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const k of Object.keys(value)) {
      const copy = { ...(value as Record<string, unknown>) };
      delete copy[k];
      out.push(copy);
    }
  }
  for (let i = 0; i < count; i++) out.push((mutantOf({ spec: value }, seed + i) as { spec?: unknown }).spec);
  return out;
}
