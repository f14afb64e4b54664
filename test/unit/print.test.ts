import { describe, expect, test } from "@jest/globals";
import * as prettier from "prettier";
import {
  importLine,
  jsdoc,
  layoutIndexSignature,
  layoutTyped,
  layoutUnionAlias,
  named,
  numberLiteral,
  propertyKey,
  stringArrayProperty,
  stringLiteral,
  type TypeExpr,
} from "../../generator/src/emit/print.js";
import { emitFakeFile } from "../../generator/src/emit/fake-file.js";
import { loadCrds } from "../../generator/src/load/crds.js";
import { buildModel } from "../../generator/src/model/build.js";

const pretty = (code: string): Promise<string> => prettier.format(code, { parser: "typescript" });

describe("escaping", () => {
  test.each([
    ["plain", "abc", '"abc"'],
    ["single quote", "it's", '"it\'s"'],
    ["more doubles than singles", 'say "hi"', "'say \"hi\"'"],
    ["backslash", "a\\b", '"a\\\\b"'],
    ["newline and tab", "a\nb\tc", '"a\\nb\\tc"'],
    ["control char", "\u0001", '"\\u0001"'],
    ["line separator", "a\u2028b", '"a\\u2028b"'],
    ["template-looking", "${x}", '"${x}"'],
    ["an emoji (a surrogate pair) stays as it is", "a😀b", '"a😀b"'],
    ["a lone high surrogate", "a\ud83db", '"a\\ud83db"'],
    ["a lone low surrogate", "a\ude00", '"a\\ude00"'],
    ["DEL", "\u007f", '"\\u007f"'],
    ["single quotes win: the other quote is left alone", '"a" "b" \'', "'\"a\" \"b\" \\''"],
  ])("stringLiteral: %s", (_n, given, want) => {
    expect(stringLiteral(given)).toBe(want);
    // The literal means the same string to JavaScript.
    expect(new Function(`return ${stringLiteral(given)}`)()).toBe(given);
  });

  test.each([
    ["ident", "ident"],
    ["$ref", "$ref"],
    ["ünïcode", "ünïcode"],
    ["foo-bar", '"foo-bar"'],
    ["42", '"42"'],
    ["1st", '"1st"'],
    ["", '""'],
    ["__proto__", "__proto__"],
  ])("propertyKey %s → %s", (given, want) => expect(propertyKey(given)).toBe(want));

  test.each([
    [1, "1"],
    [-1, "-1"],
    [1.5, "1.5"],
    [1e21, "1e21"],
    [1e-7, "1e-7"],
  ])("numberLiteral %s", (given, want) => expect(numberLiteral(given)).toBe(want));

  test("jsdoc breaks */, escapes @ at line start, trims, renders tags", () => {
    expect(jsdoc("  ", "\nfirst */ line  \r\n@param not a tag\n\n", [["default", '"x"'], ["rule", "a\nb"]])).toEqual([
      "  /**",
      "   * first *\\/ line",
      "   * \\@param not a tag",
      "   *",
      '   * @default "x"',
      "   * @rule a",
      "   *   b",
      "   */",
    ]);
    expect(jsdoc("", undefined, [])).toEqual([]);
  });
});

// Every layout case is checked against prettier itself: the emitter's promise is "what prettier prints".
const ref = (n: number): TypeExpr => named(`T${"x".repeat(n)}`);
const layoutCases: [string, string, TypeExpr][] = [
  ["short name", "a?: ", ref(3)],
  ["long name never breaks", `${"p".repeat(70)}?: `, ref(30)],
  ["long hugged nullable", `${"p".repeat(70)}?: `, { t: "union", members: [ref(30), named("null")] }],
  ["long array", `${"p".repeat(70)}?: `, { t: "array", of: { t: "array", of: ref(30) } }],
  ["short map", "m?: ", { t: "map", value: named("string") }],
  ["long map", `${"p".repeat(60)}?: `, { t: "map", value: ref(10) }],
  ["long nullable map", `${"p".repeat(60)}?: `, { t: "union", members: [{ t: "map", value: ref(10) }, named("null")] }],
  ["long array of maps", `${"p".repeat(60)}?: `, { t: "array", of: { t: "map", value: ref(10) } }],
  ["nested maps", "a?: ", { t: "map", value: { t: "map", value: ref(60) } }],
  ["map with a very long value", "a?: ", { t: "map", value: ref(90) }],
  ["nullable array breaks after the colon", `${"p".repeat(60)}?: `, { t: "union", members: [{ t: "array", of: ref(10) }, named("null")] }],
];

describe("layouts equal prettier's", () => {
  test.each(layoutCases)("property: %s", async (_n, head, type) => {
    const printed = layoutTyped("  ", head, type, ";");
    const code = ["interface X {", ...printed.lines, "}", ""].join("\n");
    if (printed.exact) expect(await pretty(code)).toBe(code);
  });

  test("all property layouts are known (exact)", () => {
    const unknown = layoutCases.filter(([, head, type]) => !layoutTyped("  ", head, type, ";").exact).map(([name]) => name);
    expect(unknown).toEqual([]);
  });

  test.each([
    ["short", ["1", "2"]],
    ["fits on the next line", ['"' + "a".repeat(30) + '"', '"' + "b".repeat(30) + '"']],
    ["one per line", Array.from({ length: 8 }, (_, i) => `"value-number-${i}"`)],
    ["single long", ['"' + "a".repeat(80) + '"']],
  ])("union alias: %s", async (_n, members) => {
    const code = [...layoutUnionAlias("SomeEnumName", members).lines, ""].join("\n");
    expect(await pretty(code)).toBe(code);
  });

  test.each([
    ["short", ["A", "B"]],
    ["long", Array.from({ length: 9 }, (_, i) => `SomeLongTypeName${i}`)],
  ])("import: %s", async (_n, names) => {
    const code = [...importLine(names, "@kube-codegen/runtime", true), ""].join("\n");
    expect(await pretty(code)).toBe(code);
  });

  test.each([
    ["short", ["a", "b"]],
    ["long", ["cert-manager", "a".repeat(30), "b".repeat(30)]],
    ["empty", []],
  ])("string array property: %s", async (_n, values) => {
    const code = ["const x = {", ...stringArrayProperty("  ", "names", values, ","), "};", ""].join("\n");
    expect(await pretty(code)).toBe(code);
  });

  test("long index signature breaks its brackets", async () => {
    const printed = layoutIndexSignature("    ", ref(80));
    const code = ["interface X {", "  a: {", ...printed.lines, "  };", "}", ""].join("\n");
    expect(printed.exact).toBe(true);
    expect(await pretty(code)).toBe(code);
  });
});

describe("fake.ts at scale", () => {
  test("descriptors and validators past the line width are exact: prettier leaves the file as emitted", async () => {
    const group = "averyveryverylongprovidergroupnameforscale.example.com";
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `serviceentrieswithlongnames.${group}` },
      spec: {
        group,
        scope: "Namespaced",
        names: { kind: "ServiceEntryWithALongName", listKind: "ServiceEntryWithALongNameList", plural: "serviceentrieswithlongnames", singular: "serviceentrywithalongname" },
        versions: [{ name: "v1alpha3", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { host: { type: "string", default: "x" } } } } } } }],
      },
    };
    const { model } = buildModel(loadCrds([{ name: "long.json", text: JSON.stringify(crd) }]).crds, { validators: true });
    const fake = emitFakeFile(model, true);
    expect(fake.text).toMatch(/\n {4}descriptor:\n {6}\w+\.\w+,\n/);
    expect(fake.text).toMatch(/\n {4}validator:\n {6}\w+\.\w+,\n/);
    expect(fake.exact).toBe(true);
    expect(await pretty(fake.text)).toBe(fake.text);
  });
});
