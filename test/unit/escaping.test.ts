import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "typescript";
import { runCli } from "../../generator/src/cli/run.js";
import { generateFromSources } from "../../generator/src/generate.js";
import { typecheck } from "../support/typecheck.js";

// Every string from an input that reaches the output goes through the one escaping module
// (emit/print.ts). Each payload below would declare `PWNED` (or break the file) if it were pasted
// into code; the output must compile and hold them as data only: in string literals and comments,
// never as a token of code.

const PAYLOADS = [
  "*/ export const PWNED = 1; /*",
  "/* */ export const PWNED = 1; //",
  "`; export const PWNED = 1; `",
  "${PWNED}",
  '"; export const PWNED = 1; "',
  "'; export const PWNED = 1; '",
  "\\\"; export const PWNED = 1; //",
  "a\\",
  "line\nexport const PWNED = 1;\n",
  "crlf\r\nexport const PWNED = 1;",
  "sep\u2028export const PWNED = 1;\u2029",
  "lone \ud800 surrogate \udc00",
  "controls \u0000\u0001\u001b\u007f",
  "@deprecated @internal PWNED",
  "</script><script>PWNED</script>",
];

type Obj = Record<string, unknown>;

/** A CRD whose every free-text field carries every payload. */
function hostileCrd(): Obj {
  const props: Obj = {};
  PAYLOADS.forEach((p, i) => {
    props[`key${i}`] = { type: "string", description: p, default: p, pattern: "^[\\s\\S]*$", enum: [p, `${p}2`] };
    props[p] = { type: "string", description: `as a key: ${p}` };
    props[`rule${i}`] = { type: "string", "x-kubernetes-validations": [{ rule: `self != ${JSON.stringify(p)}`, message: p.replace(/[\r\n]/g, " ") }] };
    props[`obj${i}`] = { type: "object", description: p, properties: { [`inner${p}`]: { type: "integer", description: p } } };
  });
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "hostiles.escaping.example.com" },
    spec: {
      group: "escaping.example.com",
      scope: "Namespaced",
      names: { plural: "hostiles", singular: "hostile", kind: "Hostile", listKind: "HostileList", shortNames: ["hst"], categories: ["all-hostile"] },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          deprecated: true,
          deprecationWarning: PAYLOADS.join(" | ").replace(/[\r\n]/g, " "),
          additionalPrinterColumns: PAYLOADS.map((p, i) => ({ name: `c${i}`, type: "string", jsonPath: ".spec.key0", description: p })),
          schema: { openAPIV3Schema: { type: "object", description: PAYLOADS.join("\n"), properties: { spec: { type: "object", description: PAYLOADS[0], properties: props } } } },
        },
      ],
    },
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kcg-escape-"));
  // The output is ESM, as in a user's project.
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((e) => {
    const p = join(root, e);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Identifier tokens of a file, as the TypeScript scanner reads them (comments and strings skipped). */
function identifiers(text: string): Set<string> {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const out = new Set<string>();
  for (let t = scanner.scan(); t !== ts.SyntaxKind.EndOfFileToken; t = scanner.scan()) {
    if (t === ts.SyntaxKind.Identifier) out.add(scanner.getTokenText());
  }
  return out;
}

describe("hostile text in every field that reaches the output", () => {
  let out: string;
  beforeAll(async () => {
    const generated = await generateFromSources([{ name: "hostile.json", text: JSON.stringify(hostileCrd()) }], { out: "/nonexistent", format: "never", validators: true });
    out = join(dir, "out");
    for (const [path, text] of generated.files) {
      mkdirSync(dirname(join(out, path)), { recursive: true });
      writeFileSync(join(out, path), text);
    }
  });

  test("the output type-checks under tsc 5.9 and 7 (strict)", () => {
    for (const compiler of ["ts5", "ts7"] as const) {
      const r = typecheck([join(out, "**/*.ts")], compiler);
      expect([compiler, r.output]).toEqual([compiler, ""]);
    }
  }, 120_000);

  test("no payload became code: no PWNED identifier, nothing the scanner stumbles on", () => {
    const files = filesUnder(out);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      expect([f, identifiers(text).has("PWNED")]).toEqual([f, false]);
      const parsed = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
      expect([f, (parsed as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length]).toEqual([f, 0]);
    }
  });

  test("the payloads are there, as data: enum values as string literals, descriptions in comments", () => {
    const types = readFileSync(join(out, "escaping.example.com/v1/types.ts"), "utf8");
    const sf = ts.createSourceFile("types.ts", types, ts.ScriptTarget.Latest, true);
    const literals = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isStringLiteral(n)) literals.add(n.text);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    for (const p of PAYLOADS) {
      // Lone surrogates survive in string literals as escapes (\ud800), so they compare equal.
      expect(literals.has(p)).toBe(true);
    }
  });

  test("written and checked again, the output is up to date (lone surrogates do not make --check differ)", async () => {
    const input = join(dir, "hostile.json");
    writeFileSync(input, JSON.stringify(hostileCrd()));
    const io = { cwd: dir, stdout: () => undefined, stderr: () => undefined, readStdin: () => "" };
    expect(await runCli(["generate", "--crds", input, "--out", join(dir, "disk"), "--validators"], io)).toBe(0);
    expect(await runCli(["generate", "--crds", input, "--out", join(dir, "disk"), "--validators", "--check"], io)).toBe(0);
  });
});
