import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { createRestClient, type RestClient } from "@kube-codegen/runtime";
import { runCli } from "../../generator/src/cli/run.js";
import { describeE2E } from "../support/e2e.js";
import { SHARED_CRDS } from "../support/paths.js";
import { installCrds } from "./support.js";

const PROJECTS = ["cert-manager", "prometheus-operator", "argo-cd"];
const GROUPS = ["cert-manager.io", "acme.cert-manager.io", "monitoring.coreos.com", "argoproj.io"];

describeE2E("generate --cluster and crds export against the real apiserver", (server) => {
  let rest: RestClient;
  let dir: string;
  const files = PROJECTS.flatMap((p) => readdirSync(join(SHARED_CRDS, p)).filter((f) => f.endsWith(".yaml")).map((f) => join(SHARED_CRDS, p, f)));

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
    let stdout = "";
    let stderr = "";
    const started = Date.now();
    const code = await runCli(args, { cwd: dir, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => "" });
    return { code, stdout, stderr, ms: Date.now() - started };
  }
  const tree = (root: string): Record<string, string> =>
    Object.fromEntries(readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).sort().map((f) => [f, readFileSync(join(root, f), "utf8")]));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kcg-cluster-"));
    rest = createRestClient({ kubeconfigPath: server.kubeconfigPath });
    await installCrds(rest, files);
  }, 120_000);

  afterAll(() => {
    rest.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("generate --cluster --group ... gives the same bytes as generate --crds on the same files", async () => {
    const groupArgs = GROUPS.flatMap((g) => ["--group", g]);
    const fromCluster = await cli(["generate", "--cluster", "--kubeconfig", server.kubeconfigPath, ...groupArgs, "--out", "from-cluster"]);
    expect(fromCluster.code).toBe(0);
    expect(fromCluster.stdout).toBe("");
    expect(fromCluster.stderr).toContain(`connecting to ${server.url}`);
    expect(fromCluster.stderr).toMatch(/read \d+ CustomResourceDefinitions, kept 19/);
    const fromFiles = await cli(["generate", "--crds", ...files, "--out", "from-files"]);
    expect(fromFiles.code).toBe(0);
    const a = tree(join(dir, "from-cluster"));
    expect(Object.keys(a).length).toBeGreaterThan(30);
    expect(a).toEqual(tree(join(dir, "from-files")));
  }, 120_000);

  test("crds export writes clean YAML that generates the same output again", async () => {
    const exported = await cli(["crds", "export", "--cluster", "--kubeconfig", server.kubeconfigPath, "--group", "*.cert-manager.io", "--group", "cert-manager.io", "--out", "exported"]);
    expect(exported.code).toBe(0);
    const names = readdirSync(join(dir, "exported")).filter((f) => f.endsWith(".yaml")).sort();
    expect(names).toEqual(["certificaterequests.cert-manager.io.yaml", "certificates.cert-manager.io.yaml", "challenges.acme.cert-manager.io.yaml", "clusterissuers.cert-manager.io.yaml", "issuers.cert-manager.io.yaml", "orders.acme.cert-manager.io.yaml"]);
    const crd = yaml.load(readFileSync(join(dir, "exported/certificates.cert-manager.io.yaml"), "utf8")) as Record<string, unknown>;
    // Top level: no status; metadata: nothing the server filled in.
    expect(Object.keys(crd).sort()).toEqual(["apiVersion", "kind", "metadata", "spec"]);
    expect(Object.keys(crd["metadata"] as object).filter((k) => !["name", "labels", "annotations"].includes(k))).toEqual([]);
    await cli(["generate", "--cluster", "--kubeconfig", server.kubeconfigPath, "--crd", "*.cert-manager.io", "--out", "cm-cluster"]);
    const again = await cli(["generate", "--crds", "exported", "--out", "cm-export"]);
    expect(again.code).toBe(0);
    expect(tree(join(dir, "cm-export"))).toEqual(tree(join(dir, "cm-cluster")));
  }, 120_000);

  test("the unprivileged user gets a 403 that names the missing permission", async () => {
    const r = await cli(["generate", "--cluster", "--kubeconfig", server.kubeconfigPath, "--context", "user", "--out", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/forbidden: .*may not list customresourcedefinitions\.apiextensions\.k8s\.io.*verbs \[list\] on resource customresourcedefinitions in apiGroup apiextensions\.k8s\.io/);
    expect(r.stderr).not.toContain(server.userToken);
  });

  test("a kubeconfig pointing at a closed port: the unreachable-server message, quickly", async () => {
    const kc = join(dir, "closed.yaml");
    writeFileSync(kc, readFileSync(server.kubeconfigPath, "utf8").replace(server.url, "https://127.0.0.1:1"));
    const r = await cli(["generate", "--cluster", "--kubeconfig", kc, "--out", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach the cluster: cannot connect to https:\/\/127\.0\.0\.1:1: connection refused/);
    expect(r.ms).toBeLessThan(15_000);
  });

  test("a group filter that matches nothing: exit 2 with the groups that exist", async () => {
    const r = await cli(["generate", "--cluster", "--kubeconfig", server.kubeconfigPath, "--group", "nope.example.com", "--out", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no CustomResourceDefinition on https:\/\/127\.0\.0\.1:\d+ matches --group nope\.example\.com; the groups there are: .*cert-manager\.io.*monitoring\.coreos\.com/);
  });
});
