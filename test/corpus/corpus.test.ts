import { afterAll, describe, expect, test } from "@jest/globals";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as prettier from "prettier";
import { generate, type GeneratedOutput } from "../../generator/src/generate.js";
import { writeOutput } from "../../generator/src/write/output.js";
import { IN_CI, SHARED_CRDS, sharedFixtures } from "../support/paths.js";
import { typecheck } from "../support/typecheck.js";
import { usesAnyType } from "../support/any-type.js";
import { createValidator } from "@kube-codegen/runtime";
import { compile } from "../../runtime/src/cel/engine.js";
import { readdirSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const shared = sharedFixtures();
const env = { cwd: SHARED_CRDS, readStdin: () => "" };
const union = shared.available ? readFileSync(join(SHARED_CRDS, "UNION.txt"), "utf8").trim().split("\n") : [];
const tmp = mkdtempSync(join(tmpdir(), "kcg-corpus-"));
// Generated code is ESM, as in a user's project with "type": "module".
writeFileSync(join(tmp, "package.json"), '{ "type": "module" }\n');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const kindsOf = (r: GeneratedOutput): number => r.model.groups.reduce((n, g) => n + g.versions.reduce((m, v) => m + v.kinds.length, 0), 0);

if (!shared.available && !IN_CI) {
  process.stderr.write(`corpus suite skipped: ${shared.reason}\n`);
}

(shared.available || IN_CI ? describe : describe.skip)("real-world CRDs from ../shared/fixtures/crds", () => {
  let unionOutput: GeneratedOutput | undefined;

  test("the shared fixtures are present", () => {
    expect(shared.reason).toBe("");
    expect(union).toHaveLength(224);
  });

  test("the union (224 files, 238 CRDs) generates in one run and type-checks with tsc 7 and 5.9", async () => {
    // With validators (opt-in): the type-check, any and prettier tests below cover them too.
    unionOutput = await generate({ crds: union, out: join(tmp, "union"), validators: true }, env);
    expect(new Set(unionOutput.model.groups.flatMap((g) => g.versions.flatMap((v) => v.kinds.map((k) => k.crdName)))).size).toBe(238);
    writeOutput(join(tmp, "union"), unionOutput.files);
    for (const compiler of ["ts7", "ts5"] as const) {
      const r = typecheck([join(tmp, "union/**/*.ts")], compiler);
      expect(r.output).toBe("");
      expect(r.ok).toBe(true);
    }
  }, 240_000);

  test("no `any` in the union's output", () => {
    expect(unionOutput).toBeDefined();
    for (const [path, text] of unionOutput?.files ?? []) {
      if (usesAnyType(text)) throw new Error(`\`any\` in ${path}`);
    }
  });

  test("every kind's validator compiles (lenient and strict) and answers for a bare object and a wrong kind", () => {
    expect(unionOutput).toBeDefined();
    let kinds = 0;
    let unchecked = 0;
    let rules = 0;
    const notChecked: string[] = [];
    for (const g of unionOutput?.model.groups ?? []) {
      for (const gv of g.versions) {
        for (const k of gv.kinds) {
          const v = createValidator(`${k.kind} (${gv.apiVersion})`, k.validationSchemaJson);
          const bare = { apiVersion: gv.apiVersion, kind: k.kind, metadata: { name: "x" } };
          const lenient = v.validate(bare);
          const strict = v.validate({ ...bare, spare: 1 }, { unknownFields: "error" });
          // A bare object passes unless the schema requires more at the root; a spare root field never passes strict.
          expect({ kind: k.crdName, strict: strict.valid }).toEqual({ kind: k.crdName, strict: false });
          if (!lenient.valid) for (const p of lenient.problems) expect({ kind: k.crdName, path: p.path, message: p.message }).toEqual({ kind: k.crdName, path: "", message: expect.stringMatching(/^must have required property/) });
          expect(v.is({ ...bare, kind: `${k.kind}X` })).toBe(false);
          // Every CEL rule compiles here: a rule that cannot be checked would be listed with its reason.
          for (const n of v.notChecked()) notChecked.push(`${k.crdName} ${gv.apiVersion} ${n.path}: ${n.reason}: ${n.what}`);
          rules += (k.validationSchemaJson.match(/"rule":/g) ?? []).length;
          kinds++;
          unchecked += k.uncheckedPatterns.length;
        }
      }
    }
    process.stderr.write(`[corpus] ${kinds} validators compiled with ${rules} CEL rules (${notChecked.length} not checked); ${unchecked} patterns are not RE2 regular expressions and go unchecked\n`);
    expect(notChecked).toEqual([]);
    expect(kinds).toBeGreaterThanOrEqual(238);
  }, 120_000);

  test("every CEL rule of every CRD file (all variants: 1,322 rules in 88 files) compiles, or is listed with its reason", () => {
    const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [join(d, e.name)] : []));
    const rules: { file: string; rule: string }[] = [];
    const visit = (file: string, node: unknown): void => {
      if (node === null || typeof node !== "object") return;
      if (Array.isArray(node)) return node.forEach((n) => visit(file, n));
      const o = node as Record<string, unknown>;
      const v = o["x-kubernetes-validations"];
      if (Array.isArray(v)) for (const r of v as { rule: string }[]) rules.push({ file, rule: r.rule });
      for (const [k, c] of Object.entries(o)) if (k !== "x-kubernetes-validations") visit(file, c);
    };
    for (const f of files(SHARED_CRDS)) for (const d of parseAllDocuments(readFileSync(f, "utf8"))) visit(f, (d.toJS() as { spec?: unknown } | null)?.spec);
    expect(rules).toHaveLength(1322);
    expect(new Set(rules.map((r) => r.file)).size).toBe(88);
    const failing = rules.flatMap((r) => {
      const c = compile(r.rule);
      return c.ok ? [] : [`${r.file}: ${c.reason}: ${r.rule}`];
    });
    expect(failing).toEqual([]);
  });

  test("prettier leaves the union's output unchanged", async () => {
    expect(unionOutput).toBeDefined();
    const changed: string[] = [];
    for (const [path, text] of unionOutput?.files ?? []) {
      if (path.endsWith(".ts") && (await prettier.format(text, { parser: "typescript" })) !== text) changed.push(path);
    }
    expect(changed).toEqual([]);
  }, 300_000);

  test("the same files in reverse order give the same bytes", async () => {
    const reversed = await generate({ crds: [...union].reverse(), out: join(tmp, "union"), validators: true }, env);
    expect(reversed.files.size).toBe(unionOutput?.files.size);
    for (const [path, text] of reversed.files) expect(text === unionOutput?.files.get(path)).toBe(true);
  }, 120_000);

  test.each([["argo-workflows/minimal"], ["gateway-api/standard"]])("the variant %s generates on its own and type-checks", async (variant) => {
    const out = join(tmp, variant.replace("/", "-"));
    const r = await generate({ crds: [variant], out }, env);
    expect(kindsOf(r)).toBeGreaterThan(3);
    writeOutput(out, r.files);
    const tc = typecheck([join(out, "**/*.ts")], "ts7");
    expect(tc.output).toBe("");
  }, 120_000);

  test("two conflicting variants of one CRD in one run is an error naming both files", async () => {
    await expect(generate({ crds: ["gateway-api/standard", "gateway-api/experimental"], out: join(tmp, "x") }, env)).rejects.toThrow(
      /CustomResourceDefinition \S+\.gateway\.networking\.k8s\.io is defined twice with different specs: in gateway-api\/experimental\/\S+\.yaml \(document 1\) and in gateway-api\/standard\/\S+\.yaml \(document 1\)/,
    );
  });
});
