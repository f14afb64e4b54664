import { describe, expect, test } from "@jest/globals";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateCrds } from "../../generator/src/load/validate-crd.js";
import type { SourceText } from "../../generator/src/load/sources.js";
import { loadCrds } from "../../generator/src/load/crds.js";
import { readSources } from "../../generator/src/load/sources.js";
import { buildModel } from "../../generator/src/model/build.js";
import { REPO } from "../support/paths.js";

const env = { cwd: REPO, readStdin: () => "" };
const invalid = (name: string) => ({ name: `fixtures/invalid/${name}`, text: readFileSync(join(REPO, "fixtures/invalid", name), "utf8") });

describe("readSources", () => {
  test("directories are searched recursively, in a stable order, each file once", () => {
    const names = readSources(["fixtures/crds", "fixtures/crds/widgets.yaml", "fixtures/crds/../crds"], env).map((s) => s.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain("fixtures/crds/cluster-gadgets.json");
    expect(new Set(names).size).toBe(names.length);
  });

  test("globs", () => {
    expect(readSources(["fixtures/crds/naming-*.yaml"], env).map((s) => s.name)).toEqual([
      "fixtures/crds/naming-groups.yaml",
      "fixtures/crds/naming-keys.yaml",
      "fixtures/crds/naming-kinds.yaml",
    ]);
  });

  test("stdin is read once", () => {
    let reads = 0;
    const sources = readSources(["-", "-"], { cwd: REPO, readStdin: () => `${++reads}` });
    expect(sources).toEqual([{ name: "<stdin>", text: "1" }]);
  });

  test.each([
    ["a missing path", ["no/such/file.yaml"], /no\/such\/file\.yaml: cannot read the input: no such file or directory/],
    ["a glob matching nothing", ["fixtures/*.nothing.yaml"], /no \.yaml, \.yml or \.json file matches the pattern/],
    ["an empty input set", [], /no CRD inputs given/],
  ])("%s is an error", (_n, specs, want) => {
    expect(() => readSources(specs, env)).toThrow(want);
  });

  test("a directory without CRD files is an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "kcg-nocrds-"));
    try {
      writeFileSync(join(dir, "notes.txt"), "not a CRD\n");
      writeFileSync(join(dir, "script.ts"), "export {};\n");
      expect(() => readSources([dir], env)).toThrow(/no CRD files found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("loadCrds", () => {
  test("a List is unwrapped and other documents are skipped with a note", () => {
    const { crds, notes } = loadCrds([{ name: "l.yaml", text: readFileSync(join(REPO, "fixtures/crds/list-wrapper.yaml"), "utf8") }]);
    expect(crds.map((c) => c.name)).toEqual(["bundles.lists.example.com"]);
    expect(notes.map((n) => n.message)).toEqual(["skipped l.yaml, document 1 item 1: ConfigMap not-a-crd is not a CustomResourceDefinition"]);
  });

  test("identical duplicates are merged with a note", () => {
    const text = readFileSync(join(REPO, "fixtures/crds/widgets.yaml"), "utf8");
    const { crds, notes } = loadCrds([{ name: "a.yaml", text }, { name: "b.yaml", text }]);
    expect(crds).toHaveLength(1);
    expect(notes[0]?.message).toMatch(/appears twice with the same spec \(a\.yaml \(document 1\) and b\.yaml \(document 1\)\)/);
  });

  test.each([
    ["a YAML syntax error", "syntax-error.yaml", /^fixtures\/invalid\/syntax-error\.yaml, document 2, line 8: YAML syntax error: /],
    ["apiextensions.k8s.io/v1beta1", "v1beta1.yaml", /v1beta1\.yaml, document 1, line 1: apiextensions\.k8s\.io\/v1beta1 was removed in Kubernetes 1\.22/],
    ["only non-CRD documents", "only-configmap.yaml", /no CustomResourceDefinition \(apiextensions\.k8s\.io\/v1\) found in fixtures\/invalid\/only-configmap\.yaml/],
  ])("%s is an error", (_n, file, want) => {
    expect(() => loadCrds([invalid(file)])).toThrow(want);
  });

  test("a CRD without a schema names the version", () => {
    expect(() => buildModel(loadCrds([invalid("no-schema.yaml")]).crds)).toThrow(
      /no-schema\.yaml, document 1, line 10: at spec\.versions\[0\]\.schema: CustomResourceDefinition things\.bad\.example\.com: version v1 has no schema\.openAPIV3Schema/,
    );
  });

  test("two different CRDs of the same name name both files", () => {
    expect(() => loadCrds([invalid("conflict-a/things.yaml"), invalid("conflict-b/things.yaml")])).toThrow(
      /things\.conflict\.example\.com is defined twice with different specs: in fixtures\/invalid\/conflict-a\/things\.yaml \(document 1\) and in fixtures\/invalid\/conflict-b\/things\.yaml \(document 1\)/,
    );
  });
});

describe("texts are let go once parsed", () => {
  test("the load releases every source after parsing it, in order", () => {
    const released: string[] = [];
    const source = (name: string): SourceText => ({ name, text: readFileSync(join(REPO, "fixtures/crds", name), "utf8"), release: () => void released.push(name) });
    loadCrds([source("widgets.yaml"), source("enums.yaml")]);
    expect(released).toEqual(["widgets.yaml", "enums.yaml"]);
  });

  test("an error after the load reads the file again for its line; a file changed since gives no line rather than a wrong one", () => {
    const dir = mkdtempSync(join(tmpdir(), "kcg-release-"));
    try {
      const bad = readFileSync(join(REPO, "fixtures/invalid/bad-type.yaml"), "utf8");
      writeFileSync(join(dir, "bad.yaml"), bad);
      const check = (): unknown => {
        try {
          validateCrds(loadCrds(readSources(["bad.yaml"], { cwd: dir, readStdin: () => "" })).crds);
        } catch (err) {
          return (err as { origin?: unknown }).origin;
        }
        return undefined;
      };
      expect(check()).toEqual({ file: "bad.yaml", document: 1, line: 21 });
      const sources = readSources(["bad.yaml"], { cwd: dir, readStdin: () => "" });
      const { crds } = loadCrds(sources);
      writeFileSync(join(dir, "bad.yaml"), `# a comment added after the load\n${bad}`);
      expect(() => validateCrds(crds)).toThrow(expect.objectContaining({ origin: { file: "bad.yaml", document: 1 } }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
