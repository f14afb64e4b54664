import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "../support/paths.js";

// `npm run docs`: TypeDoc over every package's public exports, with its validation on and
// warnings as errors — so an export without a doc comment fails this test.

const TYPEDOC = join(REPO, "node_modules/typedoc/bin/typedoc");
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kcg-docs-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function typedoc(args: readonly string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [TYPEDOC, "--options", join(REPO, "typedoc.json"), ...args], { cwd: REPO, encoding: "utf8", maxBuffer: 16 << 20 });
  // eslint-disable-next-line no-control-regex
  return { status: r.status, output: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "") };
}

test("the API reference builds with every export documented and every referenced type exported", () => {
  const out = join(dir, "api");
  const r = typedoc(["--out", out]);
  expect(r.output.split("\n").filter((l) => /\[(warning|error)\]/.test(l))).toEqual([]);
  expect(r.status).toBe(0);
  // The entry points the README links.
  expect(existsSync(join(out, "modules/_kube-codegen_runtime.html"))).toBe(true);
  expect(existsSync(join(out, "modules/kube-codegen.html"))).toBe(true);
}, 120_000);

test("an export without a doc comment fails the build", () => {
  const pkg = join(dir, "undocumented");
  mkdirSync(join(pkg, "src"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "undocumented", version: "0.0.0", type: "module", exports: "./src/index.ts" }));
  writeFileSync(join(pkg, "tsconfig.json"), JSON.stringify({ extends: join(REPO, "tsconfig.json"), compilerOptions: { noEmit: true, types: [] }, include: ["src"] }));
  writeFileSync(join(pkg, "README.md"), "# undocumented\n");
  writeFileSync(join(pkg, "src/index.ts"), "/** Documented. */\nexport const a = 1;\nexport function lonely(): number {\n  return a;\n}\n");
  const r = typedoc(["--entryPoints", pkg, "--out", join(dir, "bad")]);
  expect(r.output).toMatch(/\[warning\] lonely \(CallSignature\), defined in undocumented\/src\/index\.ts, does not have any documentation/);
  expect(r.status).not.toBe(0);
}, 120_000);
