import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../generator/src/cli/run.js";
import { REPO } from "../support/paths.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kcg-cli-"));
  cpSync(join(REPO, "fixtures/crds"), join(dir, "crds"), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { cwd: dir, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => stdin });
  return { code, stdout, stderr };
}

function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(root)) return out;
  for (const f of readdirSync(root, { recursive: true, encoding: "utf8" }).sort()) {
    const p = join(root, f);
    try {
      out[f] = readFileSync(p, "utf8");
    } catch {
      // a directory
    }
  }
  return out;
}

describe("kube-codegen generate", () => {
  test("writes the output and a manifest, and --check then passes", async () => {
    const gen = await cli(["generate", "--crds", "crds", "--out", "out", "--validators"]);
    expect(gen.code).toBe(0);
    expect(gen.stderr).toMatch(/generated 24 kinds in \d+ files under out/);
    expect(gen.stderr).toMatch(/note: skipped crds\/list-wrapper\.yaml, document 1 item 1: ConfigMap not-a-crd/);
    expect(gen.stderr).toMatch(/note: checks\.validation\.example\.com v1: the validator does not check a CEL rule \(the server still does; results list it as notChecked\): \.spec\.opt: "self\.\?a\.orValue\(''\) != 'bad'" \(the engine cannot parse it: /);
    expect(gen.stderr).not.toContain("pattern");
    const manifest = JSON.parse(readFileSync(join(dir, "out/.kube-codegen-manifest.json"), "utf8")) as { files: string[] };
    expect(manifest.files).toContain("shop.example.com/v1/types.ts");
    expect(manifest.files).toContain("shop.example.com/v1/validate.ts");
    const check = await cli(["generate", "--crds", "crds", "--out", "out", "--validators", "--check"]);
    expect(check).toMatchObject({ code: 0 });
  });

  test("a new output directory (the staging folder, renamed) gets the mode any folder made there gets, and nothing staged is left", async () => {
    mkdirSync(join(dir, "nested"));
    const gen = await cli(["generate", "--crds", "crds", "--out", "nested/out"]);
    expect(gen.code).toBe(0);
    mkdirSync(join(dir, "nested/sibling"));
    const mode = (p: string): number => statSync(join(dir, p)).mode & 0o777;
    expect(mode("nested/out")).toBe(mode("nested/sibling"));
    expect(mode("nested/out/shop.example.com")).toBe(mode("nested/sibling"));
    expect(readdirSync(join(dir, "nested")).sort()).toEqual(["out", "sibling"]);
    expect(JSON.parse(readFileSync(join(dir, "nested/out/.kube-codegen-manifest.json"), "utf8")).files).toContain("shop.example.com/v1/types.ts");
    const check = await cli(["generate", "--crds", "crds", "--out", "nested/out", "--check"]);
    expect(check.code).toBe(0);
  });

  test("--check lists files that differ, are missing or are stale, and writes nothing", async () => {
    await cli(["generate", "--crds", "crds", "--out", "out"]);
    writeFileSync(join(dir, "out/shop.example.com/v1/types.ts"), "// edited\n");
    rmSync(join(dir, "out/index.ts"));
    rmSync(join(dir, "crds/enums.yaml")); // Choice is no longer produced: choice.ts is stale
    const before = tree(join(dir, "out"));
    const check = await cli(["generate", "--crds", "crds", "--out", "out", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("differs: shop.example.com/v1/types.ts");
    expect(check.stderr).toContain("missing: index.ts");
    expect(check.stderr).toContain("stale:   features.example.com/v1/choice.ts");
    expect(tree(join(dir, "out"))).toEqual(before);
  });

  test("regenerating removes files it wrote before and no longer produces, and nothing else", async () => {
    await cli(["generate", "--crds", "crds", "--out", "out"]);
    writeFileSync(join(dir, "out/mine.ts"), "// the user's own file\n");
    rmSync(join(dir, "crds/naming-kinds.yaml"));
    const gen = await cli(["generate", "--crds", "crds", "--out", "out"]);
    expect(gen.code).toBe(0);
    expect(existsSync(join(dir, "out/globals.example.com"))).toBe(false);
    expect(existsSync(join(dir, "out/mine.ts"))).toBe(true);
    expect(gen.stderr).toMatch(/removed\)/);
  });

  test("bad input: exit 2, one paragraph naming the file, nothing written, no stack trace", async () => {
    await cli(["generate", "--crds", "crds", "--out", "out"]);
    const before = tree(join(dir, "out"));
    cpSync(join(REPO, "fixtures/invalid/bad-type.yaml"), join(dir, "crds/zz-bad-type.yaml"));
    const gen = await cli(["generate", "--crds", "crds", "--out", "out"]);
    expect(gen.code).toBe(2);
    expect(gen.stderr).toMatch(/^kube-codegen: error: crds\/zz-bad-type\.yaml, document 1, line 21: at spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\.spec\.properties\.count\.type: /);
    expect(gen.stderr.trim().split("\n")).toHaveLength(1);
    expect(gen.stderr).not.toMatch(/\n\s+at /);
    expect(tree(join(dir, "out"))).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.startsWith(".kube-codegen-tmp"))).toEqual([]);
  });

  test("a write that fails after files were staged: exit 2, the output as it was, nothing staged left", async () => {
    await cli(["generate", "--crds", "crds", "--out", "out"]);
    writeFileSync(join(dir, "out/index.ts"), "// edited: the next run stages a new one first\n");
    // A folder where a later file (in path order) goes: reading it to compare fails mid-run.
    rmSync(join(dir, "out/shop.example.com/v1/types.ts"));
    mkdirSync(join(dir, "out/shop.example.com/v1/types.ts"));
    const before = tree(join(dir, "out"));
    const gen = await cli(["generate", "--crds", "crds", "--out", "out"]);
    expect(gen.code).toBe(2);
    expect(gen.stderr).toMatch(/^kube-codegen: error: cannot write the output to .*out: EISDIR/);
    expect(tree(join(dir, "out"))).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.startsWith(".kube-codegen-tmp"))).toEqual([]);
  });

  test.each([
    ["an unreadable path", ["generate", "--crds", "nope", "--out", "out"], /nope: cannot read the input: no such file or directory/],
    ["no inputs", ["generate", "--out", "out"], /no CRD inputs/],
    ["no output", ["generate", "--crds", "crds"], /no output directory/],
    ["an unknown flag", ["generate", "--crds", "crds", "--out", "o", "--bogus"], /Unknown argument: bogus/],
    ["no command", [], /name a command: generate/],
    ["--threads 0", ["generate", "--crds", "crds", "--out", "out", "--threads", "0"], /--threads must be a whole number of at least 1, got 0/],
    ["--threads 1.5", ["generate", "--crds", "crds", "--out", "out", "--threads", "1.5"], /--threads must be a whole number of at least 1, got 1\.5/],
    ["--threads many", ["generate", "--crds", "crds", "--out", "out", "--threads", "many"], /--threads must be a whole number of at least 1, got NaN/],
  ])("%s: exit 2", async (_n, args, want) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(want);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  test("a bare `generate` reads kube-codegen.config.yaml; paths are relative to the config file", async () => {
    mkdirSync(join(dir, "cfg"));
    writeFileSync(join(dir, "kube-codegen.config.yaml"), "crds: [crds/widgets.yaml]\nout: cfg/out\ngroupAliases:\n  shop.example.com: store\n");
    const r = await cli(["generate"]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "cfg/out/index.ts"), "utf8")).toContain('import * as storeV1 from "./shop.example.com/v1/index.js";');
  });

  test("validators are opt-in: none by default; --validators or validators: true in the config; --no-validators wins over the config; a non-boolean is an error", async () => {
    const validateFiles = (out: string): string[] => Object.keys(tree(join(dir, out))).filter((f) => f.endsWith("validate.ts"));
    expect((await cli(["generate", "--crds", "crds", "--out", "out"])).code).toBe(0);
    expect(validateFiles("out")).toEqual([]);
    expect(readFileSync(join(dir, "out/shop.example.com/v1/index.ts"), "utf8")).not.toContain("validate");
    expect((await cli(["generate", "--crds", "crds", "--out", "out", "--validators"])).code).toBe(0);
    expect(validateFiles("out")).toContain("shop.example.com/v1/validate.ts");
    expect(readFileSync(join(dir, "out/shop.example.com/v1/index.ts"), "utf8")).toContain('export * from "./validate.js";');
    writeFileSync(join(dir, "kube-codegen.config.yaml"), "crds: [crds]\nout: out2\nvalidators: true\n");
    expect((await cli(["generate"])).code).toBe(0);
    expect(validateFiles("out2")).toContain("shop.example.com/v1/validate.ts");
    // The flag wins over the config, and the files it no longer makes are removed.
    expect((await cli(["generate", "--no-validators"])).code).toBe(0);
    expect(validateFiles("out2")).toEqual([]);
    writeFileSync(join(dir, "kube-codegen.config.yaml"), "crds: [crds]\nout: out2\nvalidators: 'yes'\n");
    const bad = await cli(["generate"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/kube-codegen\.config\.yaml.*validators must be true or false/);
  });

  test("an unknown config key is an error", async () => {
    writeFileSync(join(dir, "kube-codegen.config.json"), JSON.stringify({ crds: ["crds"], out: "out", outt: "x" }));
    const r = await cli(["generate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kube-codegen\.config\.json: unknown key "outt"/);
  });

  test("reads CRDs from stdin", async () => {
    const r = await cli(["generate", "--crds", "-", "--out", "out"], readFileSync(join(REPO, "fixtures/crds/widgets.yaml"), "utf8"));
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "out/shop.example.com/v1/widget.ts"))).toBe(true);
  });

  test("the same input in any order gives the same bytes, with no absolute path or timestamp", async () => {
    const files = readdirSync(join(dir, "crds")).sort();
    await cli(["generate", "--crds", ...files.map((f) => `crds/${f}`), "--out", "a"]);
    await cli(["generate", "--crds", ...[...files].reverse().map((f) => `crds/${f}`), "--out", "b"]);
    const a = tree(join(dir, "a"));
    expect(tree(join(dir, "b"))).toEqual(a);
    const all = Object.values(a).join("\n");
    expect(all).not.toContain(dir);
    expect(all).not.toMatch(/20\d\d-\d\d-\d\dT/);
  });
});

describe("config: the cluster section", () => {
  test.each([
    ["cluster: { context: prod, groups: a.example.com, crds: [x] }\nout: o\n", undefined],
    ["cluster: { contxt: prod }\nout: o\n", /unknown or malformed key cluster\.contxt/],
    ["cluster: { groups: [1] }\nout: o\n", /cluster\.groups must be a name or a list of names/],
    ["cluster: nope\n", /cluster must be a mapping/],
  ])("%j", async (text, error) => {
    const { loadConfig } = await import("../../generator/src/config.js");
    writeFileSync(join(dir, "kube-codegen.config.yaml"), text);
    if (error === undefined) expect(loadConfig(undefined, dir)?.cluster).toEqual({ context: "prod", groups: ["a.example.com"], crds: ["x"] });
    else expect(() => loadConfig(undefined, dir)).toThrow(error);
  });

  test("crds export needs --cluster", async () => {
    const r = await cli(["crds", "export", "--out", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/crds export reads from a cluster: pass --cluster/);
  });
});
