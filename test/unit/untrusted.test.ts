import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../generator/src/cli/run.js";
import { loadCrds } from "../../generator/src/load/crds.js";
import { LIMITS } from "../../generator/src/load/bounds.js";
import { formatPath } from "../../generator/src/load/locate.js";
import { crdProblems } from "../../generator/src/load/validate-crd.js";
import { MANIFEST, unsafePathReason, writeOutput } from "../../generator/src/write/output.js";
import { boundedMessage, MESSAGE_MAX } from "../../generator/src/diff/compare.js";

// Inputs are untrusted: other teams' CRDs, third-party charts, live clusters. Each test here is an
// attack or a mistake that got through once.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kcg-untrusted-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], cwd = dir): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const code = await runCli(args, { cwd, stdout: () => undefined, stderr: (t) => (stderr += t), readStdin: () => "" });
  return { code, stderr };
}

type Obj = Record<string, unknown>;

interface CrdShape {
  metadata: Obj;
  spec: Obj & { names: Obj; versions: Obj[] };
}

/** A valid CRD as an object; `edit` changes a copy. */
function crd(edit: (c: CrdShape) => void = () => undefined): Obj {
  const c = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" } as Obj,
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" } as Obj,
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size: { type: "string" } } } } } },
        } as Obj,
      ],
    } as Obj & { names: Obj; versions: Obj[] },
  };
  edit(c);
  return c;
}

const specProps = (c: { spec: { versions: Obj[] } }): Obj =>
  ((((c.spec.versions[0] as Obj)["schema"] as Obj)["openAPIV3Schema"] as Obj)["properties"] as Obj)["spec"] as Obj;

function write(name: string, value: Obj | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

describe("names that reach paths and identifiers are checked as the API server checks them", () => {
  test.each([
    ["a group of ..", (c: CrdShape) => ((c.spec["group"] = ".."), (c.metadata["name"] = "widgets..")), /at spec\.group: .*Invalid value: "\.\.": a lowercase RFC 1123 subdomain/],
    ["a group of ../../x", (c: CrdShape) => ((c.spec["group"] = "../../x"), (c.metadata["name"] = "widgets.../../x")), /at spec\.group: .*RFC 1123 subdomain/],
    ["a group of /tmp/x", (c: CrdShape) => ((c.spec["group"] = "/tmp/x"), (c.metadata["name"] = "widgets./tmp/x")), /at spec\.group/],
    ["a group with */ in it", (c: CrdShape) => ((c.spec["group"] = "x*/export const PWNED = 1;/*.io"), (c.metadata["name"] = "widgets.x*/export const PWNED = 1;/*.io")), /at spec\.group/],
    ["a group without a dot", (c: CrdShape) => ((c.spec["group"] = "example"), (c.metadata["name"] = "widgets.example")), /should be a domain with at least one dot/],
    ["a version of ..", (c: CrdShape) => ((c.spec.versions[0] as Obj)["name"] = ".."), /at spec\.versions\[0\]\.name: .*DNS-1035 label/],
    ["a kind with */", (c: CrdShape) => ((c.spec.names["kind"] = "W*/x"), (c.spec.names["listKind"] = "WList")), /at spec\.names\.kind: .*may have mixed case, but should otherwise match/],
    ["a 301-character kind", (c: CrdShape) => ((c.spec.names["kind"] = `W${"x".repeat(300)}`), (c.spec.names["listKind"] = "WList")), /at spec\.names\.kind: .*must be no more than 63 characters/],
    ["an uppercase plural", (c: CrdShape) => ((c.spec.names["plural"] = "Widgets"), (c.metadata["name"] = "Widgets.example.com")), /at spec\.names\.plural/],
    ["a short name with a dot", (c: CrdShape) => (c.spec.names["shortNames"] = ["w.x"]), /at spec\.names\.shortNames\[0\]/],
    ["metadata.name other than <plural>.<group>", (c: CrdShape) => (c.metadata["name"] = "gadgets.example.com"), /must be spec\.names\.plural\+"\."\+spec\.group/],
    ["an unknown scope", (c: CrdShape) => (c.spec["scope"] = "Global"), /at spec\.scope: .*Unsupported value: "Global"/],
  ])("%s: exit 2 with file, line and path, nothing written", async (name, edit, want) => {
    const input = write(`${name.replace(/\W+/g, "-")}.json`, crd(edit));
    const out = join(dir, "a", "b", "out");
    const r = await cli(["generate", "--crds", input, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^kube-codegen: error: .*\\.json, document 1, line 1: `));
    expect(r.stderr).toMatch(want);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(dir, "a"))).toBe(false);
  });
});

describe("the writer never reaches outside --out", () => {
  test.each([
    ["../x", /"\.\." path segment/],
    ["/etc/passwd", /absolute path/],
    ["a/./b.ts", /"\." path segment/],
    ["a//b.ts", /empty path segment/],
    ["a\\b.ts", /backslash/],
    [`${"x".repeat(256)}.ts`, /longer than 255 bytes/],
  ])("%s is refused", (path, want) => {
    expect(unsafePathReason(path)).toMatch(want);
  });

  test("ordinary generated paths pass", () => {
    expect(unsafePathReason("cert-manager.io/v1/certificate.ts")).toBeUndefined();
  });

  test("a manifest edited to list ../x is refused, and nothing is removed or written", async () => {
    const out = join(dir, "manifest-out");
    const victim = join(dir, "x");
    writeFileSync(victim, "the user's own file");
    const input = write("ok.json", crd());
    expect((await cli(["generate", "--crds", input, "--out", out])).code).toBe(0);
    const manifest = join(out, MANIFEST);
    const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { files: string[] };
    writeFileSync(manifest, JSON.stringify({ ...parsed, files: [...parsed.files, "../x"] }));
    const r = await cli(["generate", "--crds", input, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lists "\.\.\/x", a "\.\." path segment; refusing to remove or write anything/);
    expect(readFileSync(victim, "utf8")).toBe("the user's own file");
    // --check refuses it too.
    expect((await cli(["generate", "--crds", input, "--out", out, "--check"])).code).toBe(2);
  });

  test("a symbolic link inside --out that leads out is not written through", () => {
    const out = join(dir, "link-out");
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(out, { recursive: true });
    mkdirSync(elsewhere, { recursive: true });
    symlinkSync(elsewhere, join(out, "example.com"));
    expect(() => writeOutput(out, new Map([["example.com/v1/types.ts", "export {};\n"]]))).toThrow(/resolves outside the output directory/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

describe("bounded work: caps on nesting, size and YAML aliases, for generate and diff", () => {
  const bomb = (): string => {
    let text = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nx0: &a0 {type: string}\n";
    for (let i = 1; i < 10; i++) text += `x${i}: &a${i} {${Array.from({ length: 9 }, (_v, j) => `p${j}: *a${i - 1}`).join(", ")}}\n`;
    return `${text}spec:\n  group: example.com\n  names: {plural: widgets, kind: Widget}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {type: object, properties: *a9}\n`;
  };
  const deep = (levels: number): Obj =>
    crd((c) => {
      let node: Obj = { type: "string" };
      for (let i = 0; i < levels; i++) node = { type: "object", additionalProperties: node };
      specProps(c)["properties"] = { deep: node };
    });
  const cases: [string, () => string, RegExp][] = [
    ["a 9×9 YAML alias bomb", () => write("bomb.yaml", bomb()), /bomb\.yaml, document 1, line \d+: .*YAML aliases expand to more than 100,000 values/],
    ["a recursive alias", () => write("recursive.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  group: example.com\n  names: {plural: widgets, kind: Widget}\n  scope: Namespaced\n  versions:\n    - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: &s {type: object, properties: {self: *s}}}}\n"), /recursive\.yaml, document 1, line \d+: .*a YAML alias refers to a node that contains it/],
    ["3,000 nested maps in JSON", () => write("deep.json", deep(3000)), /deep\.json, document 1, line 1: .*nesting deeper than 200 levels/],
    ["1,000 nested maps in JSON", () => write("deep1000.json", deep(1000)), /deep1000\.json, document 1.*nesting deeper than 200 levels/],
    ["a non-finite number", () => write("inf.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  group: example.com\n  names: {plural: widgets, kind: Widget}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            n: {type: number, enum: [.inf, -.inf, .nan]}\n"), /inf\.yaml, document 1, line 16: at spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\.n\.enum\[0\]: Infinity is not a number JSON can carry/],
  ];
  test.each(cases)("%s: generate refuses it naming the file and document", async (_n, file, want) => {
    const r = await cli(["generate", "--crds", file(), "--out", join(dir, "bounded-out")]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(want)]);
  });
  test.each(cases)("%s: diff refuses it too (exit 2)", async (_n, file, want) => {
    const f = file();
    const r = await cli(["diff", f, f]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(want)]);
  });

  test("a valid CRD 45 objects deep in block YAML is accepted, as its JSON twin is", () => {
    let yaml = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names:\n    plural: widgets\n    kind: Widget\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n";
    let indent = "          ";
    for (let i = 0; i < 45; i++) {
      yaml += `${indent}properties:\n${indent}  l${i}:\n${indent}    type: object\n`;
      indent += "    ";
    }
    expect(loadCrds([{ name: "deep.yaml", text: yaml }]).crds).toHaveLength(1);
  });

  test("the caps sit well above the real corpus (38 levels, 35,225 values in its largest document)", () => {
    expect(LIMITS.depth).toBeGreaterThanOrEqual(5 * 38);
    expect(LIMITS.values).toBeGreaterThanOrEqual(50 * 35_225);
  });
});

describe("CRDs the API server refuses are refused (the server's wording)", () => {
  const schema = (props: Obj) => crd((c) => (specProps(c)["properties"] = props));
  test.each<[string, Obj, RegExp]>([
    ["$ref", schema({ a: { $ref: "#/definitions/x" } }), /\$ref: Forbidden: \$ref is not supported/],
    ["definitions", schema({ a: { type: "object", definitions: { x: { type: "string" } } } }), /definitions is not supported/],
    ["a default of the wrong type", schema({ a: { type: "integer", default: "three" } }), /a\.default: Invalid value: "three": must be of type integer/],
    ["a property without type", schema({ a: { description: "untyped" } }), /a\.type: Required value: must not be empty for specified object fields/],
    ["x-kubernetes-preserve-unknown-fields: false", schema({ a: { type: "object", "x-kubernetes-preserve-unknown-fields": false } }), /Invalid value: false: must be true or undefined/],
    ["nullable of the wrong JSON type", schema({ a: { type: "string", nullable: "yes" } }), /a\.nullable: cannot be decoded: "yes" is not a boolean/],
    ["description of the wrong JSON type", schema({ a: { type: "string", description: 5 } }), /cannot be decoded: 5 is not a string/],
    ["x-kubernetes-int-or-string of the wrong JSON type", schema({ a: { "x-kubernetes-int-or-string": "true" } }), /cannot be decoded: "true" is not a boolean/],
    ["non-string required entries", schema({ a: { type: "object", required: [1] } }), /a\.required: cannot be decoded: \[1\] is not a list of strings/],
    ["type inside anyOf", schema({ a: { type: "string", anyOf: [{ type: "string" }] } }), /anyOf\[0\]\.type: Forbidden: must be empty to be structural/],
    ["properties with additionalProperties: false", schema({ a: { type: "object", properties: { b: { type: "string" } }, additionalProperties: false } }), /additionalProperties and properties are mutual exclusive/],
    ["an unknown x-kubernetes-list-type", schema({ a: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "bag" } }), /Unsupported value: "bag"/],
    ['maxLength: "ten"', schema({ a: { type: "string", maxLength: "ten" } }), /maxLength: cannot be decoded: "ten" is not an integer/],
    ["no storage version", crd((c) => ((c.spec.versions[0] as Obj)["storage"] = false)), /must have exactly one version marked as storage version/],
    ["two storage versions", crd((c) => c.spec.versions.push({ ...(c.spec.versions[0] as Obj), name: "v2" })), /must have exactly one version marked as storage version/],
    ["a root apiVersion of type integer", crd((c) => ((((c.spec.versions[0] as Obj)["schema"] as Obj)["openAPIV3Schema"] as Obj)["properties"] = { apiVersion: { type: "integer" } })), /properties\.apiVersion\.type: Invalid value: "integer": must be string/],
    ["metadata at the root restricting labels", crd((c) => ((((c.spec.versions[0] as Obj)["schema"] as Obj)["openAPIV3Schema"] as Obj)["properties"] = { metadata: { type: "object", properties: { labels: { type: "object" } } } })), /must not specify anything other than name and generateName/],
  ])("%s", (_n, c, want) => {
    const { problems } = crdProblems(c as never);
    expect(problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join("\n")).toMatch(want);
  });

  test("and the other way round: additionalProperties: true beside properties, which the server allows, generates", async () => {
    const input = write("open.json", schemaOpen());
    const r = await cli(["generate", "--crds", input, "--out", join(dir, "open-out")]);
    expect([r.code, r.stderr]).toEqual([0, expect.stringMatching(/generated 1 kinds/)]);
    expect(readFileSync(join(dir, "open-out/example.com/v1/types.ts"), "utf8")).toMatch(/size\?: string;\n {2}\[key: string\]: unknown;/);
  });
  const schemaOpen = (): Obj => crd((c) => (specProps(c)["additionalProperties"] = true));

  test("unknown schema fields are a note (the server drops them), not an error", async () => {
    const r = await cli(["generate", "--crds", write("typo.json", crd((c) => (specProps(c)["descripton"] = "typo"))), "--out", join(dir, "typo-out")]);
    expect([r.code, r.stderr]).toEqual([0, expect.stringMatching(/note: widgets\.example\.com: v1: the API server drops unknown schema fields: descripton/)]);
  });
});

describe("the diff's JSON report stays within its own schema", () => {
  test("a long message is cut in the middle to the schema's maxLength, never inside a surrogate pair", () => {
    const long = `${"a".repeat(499)}😀${"b".repeat(1200)}`;
    const cut = boundedMessage(long);
    expect(cut.length).toBeLessThanOrEqual(MESSAGE_MAX);
    expect(cut).toMatch(/^a+…b+$/);
    expect(boundedMessage("short")).toBe("short");
  });
});
