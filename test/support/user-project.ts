import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { REPO } from "./paths.js";
import type { Compiler } from "./typecheck.js";

/**
 * The environment of a process that plays a user's project outside the workspace: no `npm_*`
 * variables of the `npm test` that runs us (npm_config_local_prefix would point npm at the
 * workspace), no `node_modules/.bin` of the repository on PATH, and this Node first.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  const path = (process.env["PATH"] ?? "").split(delimiter).filter((p) => p !== "" && !p.startsWith(REPO));
  env["PATH"] = [dirname(process.execPath), ...path].join(delimiter);
  return { ...env, ...extra };
}

/** Runs a command in `cwd` with `userEnv()`; throws with its output unless it exits 0. */
export function run(cmd: string, args: readonly string[], cwd: string, extra: Record<string, string> = {}, timeoutMs = 240_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env: userEnv(extra), encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited with ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
  return r;
}

/**
 * The compiler options a demanding user turns on; `skipLibCheck: false` checks the packages'
 * declarations too. In a JSON file of their own, which the type-check bench reads as well.
 */
export const USER_COMPILER_OPTIONS: Readonly<Record<string, unknown>> = JSON.parse(readFileSync(join(REPO, "test/support/user-compiler-options.json"), "utf8")) as Record<string, unknown>;

const TSC: Record<Compiler, string> = {
  ts5: join(REPO, "node_modules/typescript/bin/tsc"),
  ts7: join(REPO, "node_modules/typescript7/bin/tsc"),
};

/**
 * Runs the repository's tsc (5.9 or 7) on a project's own tsconfig.json. Only the compiler comes
 * from the repository: types and modules resolve from the project's node_modules.
 */
export function tsc(compiler: Compiler, project: string, args: readonly string[] = []): { ok: boolean; output: string } {
  const r = spawnSync(process.execPath, [TSC[compiler], "-p", project, ...args], { env: userEnv(), encoding: "utf8", maxBuffer: 64 << 20 });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

/** Version range of a devDependency of the workspace root, so a user's project installs the same (cached) one. */
export function rootDevDependency(name: string): string {
  const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  const range = pkg.devDependencies[name];
  if (range === undefined) throw new Error(`${name} is not a devDependency of the workspace`);
  return range;
}

/** Writes a JSON file, two-space indented. */
export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
