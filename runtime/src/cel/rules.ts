import { compile, typedString, type Compiled } from "./engine.js";
import { UNSUPPORTED } from "./unsupported.js";
import { opaque } from "./opaque.js";
import { problem, shown, type NotChecked, type ProblemType, type ValidationProblem } from "../validate/problem.js";
import { deepEqual } from "../validate/ratchet.js";

/** A schema node in the generator's form (see generator/src/model/validation.ts). */
export type SchemaNode = Readonly<Record<string, unknown>>;

/** An `x-kubernetes-validations` entry. */
interface RuleSpec {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
  readonly fieldPath?: string;
  readonly optionalOldSelf?: boolean;
}

interface CompiledRule {
  readonly spec: RuleSpec;
  readonly program: Compiled;
  readonly message: Compiled | undefined;
  readonly transition: boolean;
}

/** What the walk does at one schema node: only nodes with rules or map lists below them are kept. */
interface Plan {
  readonly schema: SchemaNode;
  readonly rules: readonly CompiledRule[];
  readonly props: ReadonlyMap<string, Plan>;
  readonly items: Plan | undefined;
  readonly additional: Plan | undefined;
  readonly mapKeys: readonly string[] | undefined;
}

/** The CEL rules and list-map keys of one kind's schema, compiled once (on first use). */
export interface RuleSet {
  /** Rules that cannot be checked here, with the reason. */
  readonly notChecked: readonly NotChecked[];
  /**
   * Problems of a value (already defaulted) that passed the schema; `old` for an update. A rule
   * that this runtime could not evaluate on this value (see {@link UNSUPPORTED}) is listed in
   * `notChecked` instead, never counted as passed or failed.
   */
  check(value: unknown, old: { readonly value: unknown } | undefined): { problems: ValidationProblem[]; notChecked: NotChecked[] };
}


const REASONS: Record<string, ProblemType> = { FieldValueRequired: "Required value", FieldValueDuplicate: "Duplicate value", FieldValueForbidden: "Forbidden", FieldValueInvalid: "Invalid value" };

/** Compiles the rules found in the schema. */
export function compileRules(root: SchemaNode): RuleSet {
  const notChecked: NotChecked[] = [];
  const build = (node: SchemaNode, at: string): Plan | undefined => {
    const specs = Array.isArray(node["x-kubernetes-validations"]) ? (node["x-kubernetes-validations"] as RuleSpec[]) : [];
    const rules = specs.map((spec): CompiledRule => {
      const program = compile(spec.rule);
      if (!program.ok) notChecked.push({ path: at || ".", what: spec.rule, reason: program.reason });
      const message = spec.messageExpression === undefined ? undefined : compile(spec.messageExpression);
      return { spec, program, message, transition: /\boldSelf\b/.test(spec.rule) };
    });
    const props = new Map<string, Plan>();
    const p = node["properties"];
    if (p !== null && typeof p === "object") {
      for (const [k, child] of Object.entries(p as Record<string, SchemaNode>)) {
        const c = build(child, `${at}.${k}`);
        if (c !== undefined) props.set(k, c);
      }
    }
    const items = isNode(node["items"]) ? build(node["items"], `${at}[*]`) : undefined;
    const additional = isNode(node["additionalProperties"]) ? build(node["additionalProperties"], `${at}.*`) : undefined;
    const mapKeys = node["x-kubernetes-list-type"] === "map" && Array.isArray(node["x-kubernetes-list-map-keys"]) ? (node["x-kubernetes-list-map-keys"] as string[]) : undefined;
    if (rules.length === 0 && props.size === 0 && items === undefined && additional === undefined && mapKeys === undefined) return undefined;
    return { schema: node, rules, props, items, additional, mapKeys };
  };
  const plan = build(root, "");
  return {
    notChecked,
    check(value, old) {
      const out: Out = { problems: [], notChecked: [] };
      if (plan !== undefined) walk(plan, value, old, "", out, true);
      return out;
    },
  };
}

/** What a walk collects. */
interface Out {
  readonly problems: ValidationProblem[];
  readonly notChecked: NotChecked[];
}

const isNode = (v: unknown): v is SchemaNode => v !== null && typeof v === "object" && !Array.isArray(v);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function walk(plan: Plan, value: unknown, old: { readonly value: unknown } | undefined, path: string, out: Out, root = false): void {
  if (value === undefined || value === null) return;
  if (plan.rules.length > 0) evaluate(plan, value, old, path, out, root);
  if (Array.isArray(value)) {
    if (plan.mapKeys !== undefined) duplicates(plan.mapKeys, value, path, out.problems);
    if (plan.items === undefined) return;
    // Only map lists correlate items with the old object (by key); atomic lists and sets do not.
    const oldItems = plan.mapKeys !== undefined && old !== undefined && Array.isArray(old.value) ? old.value : undefined;
    value.forEach((item, i) => {
      const before = oldItems?.find((o) => plan.mapKeys?.every((k) => isObject(o) && isObject(item) && deepEqual(o[k], item[k])));
      walk(plan.items as Plan, item, before === undefined ? undefined : { value: before }, `${path}[${i}]`, out);
    });
    return;
  }
  if (!isObject(value)) return;
  const oldObject = old !== undefined && isObject(old.value) ? old.value : undefined;
  for (const [k, v] of Object.entries(value)) {
    const child = plan.props.get(k) ?? (isNode(plan.schema["properties"]) && k in plan.schema["properties"] ? undefined : plan.additional);
    if (child === undefined) continue;
    walk(child, v, oldObject !== undefined && k in oldObject ? { value: oldObject[k] } : undefined, `${path}${/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`}`, out);
  }
}

function evaluate(plan: Plan, value: unknown, old: { readonly value: unknown } | undefined, path: string, out: Out, root: boolean): void {
  const self = toCel(root ? rootView(value) : value, plan.schema);
  let oldSelf: unknown;
  for (const r of plan.rules) {
    if (!r.program.ok) continue;
    const vars: Record<string, unknown> = { self };
    if (r.transition) {
      if (old === undefined && r.spec.optionalOldSelf !== true) continue; // as on create: transition rules are skipped
      oldSelf ??= old === undefined ? undefined : toCel(root ? rootView(old.value) : old.value, plan.schema);
      vars["oldSelf"] = r.spec.optionalOldSelf === true ? opaque("optional", old === undefined ? [] : [oldSelf]) : oldSelf;
    } else if (old !== undefined && deepEqual(old.value, value)) {
      continue; // ratcheting: an unchanged value keeps passing on update
    }
    const result = r.program.run(vars);
    if ("value" in result && result.value === true) continue;
    const at = path + (r.spec.fieldPath ?? "");
    const type = REASONS[r.spec.reason ?? "FieldValueInvalid"] ?? "Invalid value";
    // The server shows a scalar's value, the type of an object or list, and nothing with a fieldPath.
    const bad = r.spec.fieldPath !== undefined ? undefined : { shown: shown(value) };
    if ("error" in result && (result.error.includes(UNSUPPORTED) || result.error.startsWith("unbound function"))) {
      out.notChecked.push({ path: path || ".", what: r.spec.rule, reason: result.error.replace(UNSUPPORTED, "") });
      continue;
    }
    if ("error" in result) {
      out.problems.push({ ...problem(at, "Invalid value", `${result.error} evaluating rule: ${r.spec.rule}`, bad), rule: r.spec.rule });
      continue;
    }
    let message = r.spec.message ?? `failed rule: ${r.spec.rule}`;
    if (r.message?.ok === true) {
      const m = r.message.run(vars);
      if ("value" in m && typeof m.value === "string" && m.value.trim() !== "") message = m.value;
    }
    out.problems.push({ ...problem(at, type, message, type === "Invalid value" ? bad : undefined), rule: r.spec.rule });
  }
}

/** The root as rules see it: metadata has only name and generateName. */
function rootView(value: unknown): unknown {
  if (!isObject(value) || !isObject(value["metadata"])) return value;
  const { name, generateName } = value["metadata"];
  const metadata: Record<string, unknown> = {};
  if (name !== undefined) metadata["name"] = name;
  if (generateName !== undefined) metadata["generateName"] = generateName;
  return { ...value, metadata };
}

const TYPED_FORMATS: ReadonlySet<string> = new Set(["date", "datetime", "date-time", "duration", "byte"]);

/**
 * JSON as CEL values, typed as the server types them from the schema: integers (where the schema
 * says integer, int-or-string or nothing) become int, strings of format date/date-time timestamps,
 * duration durations, byte bytes; declared property names are escaped.
 */
export function toCel(value: unknown, schema: SchemaNode | undefined): unknown {
  if (typeof value === "string") {
    const format = schema?.["format"];
    return typeof format === "string" && TYPED_FORMATS.has(format) ? typedString(format === "datetime" ? "date-time" : format, value) : value;
  }
  if (typeof value === "number") {
    const t = schema?.["type"];
    const double = t === "number" || (Array.isArray(t) && t.includes("number"));
    return !double && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    const items = schema !== undefined && isNode(schema["items"]) ? schema["items"] : undefined;
    return value.map((v) => toCel(v, items));
  }
  if (isObject(value)) {
    const props = schema !== undefined && isNode(schema["properties"]) ? (schema["properties"] as Record<string, SchemaNode>) : undefined;
    const additional = schema !== undefined && isNode(schema["additionalProperties"]) ? schema["additionalProperties"] : undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const declared = props?.[k];
      out[declared !== undefined ? escapeName(k) : k] = toCel(v, declared ?? additional);
    }
    return out;
  }
  return value;
}

/** CEL keywords a schema property cannot be called by in a rule: `namespace` is read as `__namespace__`. */
const RESERVED = new Set(["true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"]);

/** Kubernetes' escaping of property names in CEL: keywords, `__`, `.`, `-` and `/`. */
function escapeName(name: string): string {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/[_./-]/.test(name)) return name;
  return name.replace(/__|[./-]/g, (m) => (m === "__" ? "__underscores__" : m === "." ? "__dot__" : m === "-" ? "__dash__" : "__slash__"));
}

/** Map-list items must differ in their keys: the server answers `Duplicate value` for the later one. */
function duplicates(keys: readonly string[], items: readonly unknown[], path: string, out: ValidationProblem[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!isObject(item)) return;
    const id = JSON.stringify(keys.map((k) => item[k] ?? null));
    if (seen.has(id)) {
      const shownKeys = keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(item[k] ?? null)}`).join(",");
      out.push(problem(`${path}[${i}]`, "Duplicate value", "", { shown: `{${shownKeys}}` }));
    }
    seen.add(id);
  });
}
