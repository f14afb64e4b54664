import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "./paths.js";

/** Which compiler: TypeScript 5.9 (classic) or 7 (native). */
export type Compiler = "ts5" | "ts7";

const TSC: Record<Compiler, string> = {
  ts5: join(REPO, "node_modules/typescript/bin/tsc"),
  ts7: join(REPO, "node_modules/typescript7/bin/tsc"),
};

/**
 * Type-checks files with `--strict` (and the stricter flags users turn on), resolving
 * `@kube-codegen/runtime` to the built runtime. Returns tsc's diagnostics, one per line.
 */
export function typecheck(include: readonly string[], compiler: Compiler, extra: { readonly skipLibCheck?: boolean; readonly allowImportingTsExtensions?: boolean } = {}): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "kcg-tsc-"));
  try {
    const tsconfig = {
      compilerOptions: {
        target: "es2023",
        lib: ["es2023"],
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noEmit: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noImplicitOverride: true,
        verbatimModuleSyntax: true,
        skipLibCheck: extra.skipLibCheck ?? false,
        ...(extra.allowImportingTsExtensions === true ? { allowImportingTsExtensions: true } : {}),
        // A Node project: the runtime's types use Node's (Buffer, AbortSignal).
        types: ["node"],
        typeRoots: [join(REPO, "node_modules/@types")],
        paths: {
          "@kube-codegen/runtime": [join(REPO, "runtime/dist/index.d.ts")],
          "@kube-codegen/runtime/fake": [join(REPO, "runtime/dist/fake/index.d.ts")],
          "@kube-codegen/runtime/webhook": [join(REPO, "runtime/dist/webhook/index.d.ts")],
          "@kube-codegen/api": [join(REPO, "api/src/index.ts")],
          "@kube-codegen/api/fake": [join(REPO, "api/src/fake.ts")],
        },
      },
      include,
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    const r = spawnSync(process.execPath, [TSC[compiler], "-p", join(dir, "tsconfig.json")], { encoding: "utf8", maxBuffer: 64 << 20 });
    const output = `${r.stdout}${r.stderr}`.trim();
    return { ok: r.status === 0, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
