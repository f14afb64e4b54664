import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as prettier from "prettier";
import { runCli } from "../../generator/src/cli/run.js";
import { generateFromOpenApi } from "../../generator/src/generate-openapi.js";
import { readClusterOpenApi } from "../../generator/src/load/openapi-cluster.js";
import { describeE2E } from "../support/e2e.js";
import { REPO } from "../support/paths.js";
import { usesAnyType } from "../support/any-type.js";

const API_SRC = join(REPO, "api/src");

describeE2E("built-in APIs: generate --openapi against the real apiserver", (server) => {
  let dir: string;

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await runCli(args, { cwd: dir, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => "" });
    return { code, stdout, stderr };
  }
  const tree = (root: string): Record<string, string> =>
    Object.fromEntries(readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).sort().map((f) => [f, readFileSync(join(root, f), "utf8")]));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kcg-openapi-"));
    // The documents as files, for the file input, saved under the names kubernetes/api/openapi-spec/v3 uses.
    mkdirSync(join(dir, "docs"));
    for (const s of await readClusterOpenApi({ kubeconfig: server.kubeconfigPath, context: "admin" }, () => undefined)) {
      writeFileSync(join(dir, "docs", `${s.name.replace("cluster:/openapi/v3/", "").replace(/\//g, "__")}_openapi.json`), s.text);
    }
  }, 60_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("the checked-in @kube-codegen/api (api/src) is what the test apiserver's /openapi/v3 generates, byte for byte", async () => {
    // On failure: `npm run generate:api` regenerates it; review the diff.
    const r = await cli(["generate", "--openapi", "cluster", "--kubeconfig", server.kubeconfigPath, "--context", "admin", "--out", API_SRC, "--check"]);
    expect(r.stderr).toMatch(/^connecting to https:\/\/127\.0\.0\.1:\d+ \(context admin\)\nread \d+ OpenAPI v3 documents\n/);
    expect(r.stderr).toMatch(/api\/src is up to date \(\d+ files\)\n$/);
    expect(r.code).toBe(0);
  }, 60_000);

  test("the package covers every built-in group version the server serves, with client-gen names", async () => {
    const index = readFileSync(join(API_SRC, "index.ts"), "utf8");
    // Custom resources installed by other suites have documents too; they are left to the CRD path.
    const run = await cli(["generate", "--openapi", "docs", "--out", "count"]);
    const custom = [...run.stderr.matchAll(/^note: \/apis\/\S+: no built-in \(io\.k8s\.\*\) resources/gm)].length;
    const docs = readdirSync(join(dir, "docs")).length - custom;
    expect(docs).toBeGreaterThanOrEqual(20);
    const accessors = [...index.matchAll(/^ {2}readonly (\w+): \w+\.\w+Client;$/gm)].map((m) => m[1]);
    expect(accessors.length).toBe(docs);
    expect(accessors).toEqual(expect.arrayContaining(["coreV1", "appsV1", "batchV1", "coordinationV1", "eventsV1", "rbacAuthorizationV1", "policyV1", "networkingV1", "autoscalingV2"]));
    const core = readFileSync(join(API_SRC, "core/v1/client.ts"), "utf8");
    for (const sig of ["configMaps(namespace?: string)", "secrets(namespace?: string)", "services(namespace?: string)", "pods(namespace?: string)", "namespaces()", "nodes()", "serviceAccounts(namespace?: string)"]) {
      expect(core).toContain(`  ${sig}:`);
    }
    expect(readFileSync(join(API_SRC, "core/v1/pod.ts"), "utf8")).toContain('  group: "",\n  version: "v1",');
  });

  test("the documents as files give the same bytes as the cluster; --check passes on them and fails on a change", async () => {
    const first = await cli(["generate", "--openapi", "docs", "--out", "a"]);
    expect(first.code).toBe(0);
    expect(tree(join(dir, "a"))).toEqual(tree(API_SRC));
    expect((await cli(["generate", "--openapi", "docs", "--out", "a", "--check"])).code).toBe(0);
    cpSync(join(dir, "a"), join(dir, "b"), { recursive: true });
    writeFileSync(join(dir, "b/apps/v1/types.ts"), `${readFileSync(join(dir, "b/apps/v1/types.ts"), "utf8")}// edited\n`);
    const check = await cli(["generate", "--openapi", "docs", "--out", "b", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("differs: apps/v1/types.ts");
  }, 60_000);

  test("deterministic whatever the order of the documents, and in prettier's layout without running prettier", async () => {
    const sources = readdirSync(join(dir, "docs")).sort().map((f) => ({ name: f, text: readFileSync(join(dir, "docs", f), "utf8") }));
    const forward = await generateFromOpenApi(sources, { out: API_SRC });
    const reversed = await generateFromOpenApi([...sources].reverse(), { out: API_SRC, format: "never" });
    expect([...reversed.files.keys()]).toEqual([...forward.files.keys()]);
    for (const [path, text] of forward.files) expect({ path, same: reversed.files.get(path) === text }).toEqual({ path, same: true });
    // prettier itself leaves the largest and the most varied files unchanged.
    for (const path of ["core/v1/types.ts", "apps/v1/types.ts", "core/v1/client.ts", "core/v1/pod.ts", "meta/v1/types.ts", "index.ts"]) {
      const text = reversed.files.get(path) ?? "";
      expect({ path, text: await prettier.format(text, { parser: "typescript" }) }).toEqual({ path, text });
    }
  }, 60_000);

  test("--group narrows the clients; the group versions its types use keep their types", async () => {
    const r = await cli(["generate", "--openapi", "docs", "--group", "apps", "--group", "coordination.k8s.io", "--out", "narrow", "--quiet"]);
    expect(r.code).toBe(0);
    const files = tree(join(dir, "narrow"));
    expect(Object.keys(files).filter((f) => f.endsWith("client.ts")).sort()).toEqual(["apps/v1/client.ts", "coordination.k8s.io/v1/client.ts"]);
    expect(files["core/v1/types.ts"]).toMatch(/^export interface PodTemplateSpec \{$/m);
    expect(files["core/v1/pod.ts"]).toBeUndefined();
  }, 60_000);

  test("no `any` anywhere in the generated built-ins", () => {
    for (const [f, text] of Object.entries(tree(API_SRC))) expect({ f, any: usesAnyType(text) }).toEqual({ f, any: false });
  });

  test("bad input: an unreadable directory and a non-OpenAPI file are clear errors, and nothing is written", async () => {
    const missing = await cli(["generate", "--openapi", "nope", "--out", "x"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^kube-codegen: error: nope: /);
    writeFileSync(join(dir, "swagger.json"), JSON.stringify({ swagger: "2.0", paths: {} }));
    const bad = await cli(["generate", "--openapi", "swagger.json", "--out", "x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('kube-codegen: error: swagger.json: not an OpenAPI 3 document (no "openapi": "3.x" field)\n');
    expect(readdirSync(dir)).not.toContain("x");
  });
});
