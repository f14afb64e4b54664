import { createRequire } from "node:module";
import type { CelEnv, CelInput } from "@bufbuild/cel";
import { kubernetesFunctions } from "./library.js";

type Cel = typeof import("@bufbuild/cel");

/** A compiled CEL expression, or why it cannot be checked here. */
export type Compiled = { readonly ok: true; run(vars: Record<string, unknown>): { value: unknown } | { error: string } } | { readonly ok: false; readonly reason: string };

let loaded: { cel: Cel; env: CelEnv } | undefined;

/**
 * The engine (@bufbuild/cel, loaded on first use like ajv) with the standard definitions and
 * macros, the strings extension and Kubernetes' libraries.
 */
function engine(): { cel: Cel; env: CelEnv } {
  if (loaded !== undefined) return loaded;
  const require = createRequire(import.meta.url);
  const cel = require("@bufbuild/cel") as Cel;
  const ext = require("@bufbuild/cel/ext") as { strings: CelEnv["funcs"] };
  const env = cel.celEnv({ funcs: [...Array.from(ext.strings), ...kubernetesFunctions(cel)] });
  loaded = { cel, env };
  return loaded;
}

/** Function names the engine resolves itself (operators, indexing, logic). */
const isOperator = (name: string): boolean => /^[_@!]/.test(name);

/** Programs by expression: CRDs repeat rules (1,322 in the corpus, 258 distinct). */
const cache = new Map<string, Compiled>();

/** Empties the program cache (benchmarks measure compilation cold). */
export function forgetCompiled(): void {
  cache.clear();
}

/** Compiles an expression; functions the environment lacks make it "not checked" with their names. */
export function compile(expression: string): Compiled {
  let c = cache.get(expression);
  if (c === undefined) cache.set(expression, (c = compileNew(expression)));
  return c;
}

function compileNew(expression: string): Compiled {
  const { cel, env } = engine();
  let parsed: ReturnType<Cel["parse"]>;
  try {
    parsed = cel.parse(expression);
  } catch (err) {
    return { ok: false, reason: `the engine cannot parse it: ${(err as Error).message.split("\n")[0] ?? ""}` };
  }
  const missing = new Set<string>();
  walkCalls(parsed.expr, (fn, target) => {
    if (isOperator(fn)) return;
    if (target !== undefined && env.funcs.find(`${target}.${fn}`) !== undefined) return;
    if (env.funcs.find(fn) === undefined) missing.add(target !== undefined && /^(format|sets|math|optional|ip|strings|base64|cel)$/.test(target) ? `${target}.${fn}` : fn);
  });
  if (missing.size > 0) return { ok: false, reason: `not implemented here: ${[...missing].sort().join(", ")}` };
  const program = cel.plan(env, parsed);
  return {
    ok: true,
    run(vars) {
      const r = program(vars as Record<string, CelInput>);
      return cel.isCelError(r) ? { error: r.message } : { value: r };
    },
  };
}

/** Every call in a parsed expression: its function name and, for `x.f()` on a plain identifier, that identifier. */
function walkCalls(node: unknown, visit: (fn: string, target: string | undefined) => void): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) walkCalls(n, visit);
    return;
  }
  const o = node as Record<string, unknown>;
  if (o["$typeName"] === "cel.expr.Expr.Call") {
    const target = o["target"] as { exprKind?: { case?: string; value?: { name?: string } } } | undefined;
    visit(String(o["function"]), target?.exprKind?.case === "identExpr" ? target.exprKind.value?.name : undefined);
  }
  for (const [k, v] of Object.entries(o)) if (k !== "$typeName" && typeof v === "object") walkCalls(v, visit);
}

let converters: { timestamp: Compiled; duration: Compiled } | undefined;

/**
 * A string of a schema with `format: date`, `date-time`, `duration` or `byte` as the server types it
 * in rules (timestamp, duration, bytes); the string itself when it does not convert.
 */
export function typedString(format: string, s: string): unknown {
  if (format === "byte") {
    const b = Buffer.from(s, "base64");
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  }
  converters ??= { timestamp: compile("timestamp(s)"), duration: compile("duration(s)") };
  const c = format === "duration" ? converters.duration : converters.timestamp;
  if (!c.ok) return s;
  const r = c.run({ s: format === "date" ? `${s}T00:00:00Z` : s });
  return "value" in r ? r.value : s;
}
