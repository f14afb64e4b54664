import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as prettier from "prettier";
import { loadConfig } from "../../generator/src/config.js";
import { generate } from "../../generator/src/generate.js";
import { checkOutput } from "../../generator/src/write/output.js";
import { REPO } from "../support/paths.js";
import { typecheck } from "../support/typecheck.js";
import { usesAnyType } from "../support/any-type.js";

const OUT = join(REPO, "fixtures/generated");
const env = { cwd: REPO, readStdin: () => "" };
// The options `npm run generate:example` takes from fixtures/kube-codegen.config.yaml (validators on).
const validators = loadConfig("fixtures/kube-codegen.config.yaml", REPO)?.generate.validators === true;

describe("golden output of fixtures/crds", () => {
  test("regenerating gives the checked-in files byte for byte", async () => {
    const result = await generate({ crds: ["fixtures/crds"], out: OUT, validators }, env);
    const diff = checkOutput(OUT, result.files);
    // On failure: run `npm run generate:example` and review the diff of fixtures/generated.
    expect(diff).toEqual({ differ: [], missing: [], stale: [] });
    expect(result.files.size).toBeGreaterThan(40);
  });

  test("prettier (default options) leaves every generated file unchanged, without being run", async () => {
    // format "never": the emitter's own layout, with no prettier fallback.
    expect(validators).toBe(true);
    const result = await generate({ crds: ["fixtures/crds"], out: OUT, format: "never", validators }, env);
    for (const [path, text] of result.files) {
      if (!path.endsWith(".ts")) continue;
      expect({ path, text: await prettier.format(text, { parser: "typescript" }) }).toEqual({ path, text });
    }
  });

  test("no `any` in generated code", () => {
    const result = readFileSync(join(OUT, ".kube-codegen-manifest.json"), "utf8");
    const files = (JSON.parse(result) as { files: string[] }).files;
    for (const f of files) {
      expect({ f, any: usesAnyType(readFileSync(join(OUT, f), "utf8")) }).toEqual({ f, any: false });
    }
  });

  test.each(["ts5", "ts7"] as const)("generated output and the type-level tests type-check with %s --strict", (compiler) => {
    const r = typecheck([join(OUT, "**/*.ts"), join(REPO, "test/types/*.ts")], compiler);
    expect(r.output).toBe("");
    expect(r.ok).toBe(true);
  });

  test("the type-level tests do fail when a type is loosened", () => {
    // Sanity check of the check itself: an unused @ts-expect-error is an error.
    const r = typecheck([join(REPO, "test/golden/fixtures/unused-expect-error.ts")], "ts7");
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/TS2578: Unused '@ts-expect-error' directive/);
  });
});
