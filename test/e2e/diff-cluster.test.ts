import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { createResourceClient, createRestClient, customResourceDefinitionResource, type KubeObject, type ResourceDescriptor, type RestClient } from "@kube-codegen/runtime";
import { runCli } from "../../generator/src/cli/run.js";
import { describeE2E } from "../support/e2e.js";
import { REPO } from "../support/paths.js";
import { installCrds } from "./support.js";

const FIX = join(REPO, "fixtures/diff");

interface CrdKind {
  object: KubeObject & { spec?: unknown; status?: { storedVersions?: string[] } };
  list: { metadata: { resourceVersion?: string }; items: (KubeObject & { spec?: unknown })[] };
  descriptor: ResourceDescriptor;
}

interface Report {
  old: string;
  findings: { rule: string; severity: string; version?: string; reason?: string; file?: string }[];
  crds: { added: string[]; removed: string[]; compared: string[] };
}

describeE2E("diff with a cluster side against the real apiserver", (server) => {
  let rest: RestClient;

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await runCli(args, { cwd: REPO, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => "" });
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    rest = createRestClient({ kubeconfigPath: server.kubeconfigPath });
    const crds = createResourceClient<CrdKind>(rest, customResourceDefinitionResource);
    // Install the CRD with v1beta1 as its storage version, then move storage to v1: the server
    // records both in status.storedVersions, which only a cluster side can tell.
    await installCrds(rest, [join(FIX, "storage-version-changed/new.yaml")]);
    const current = await crds.get("widgets.diff.example.com");
    const next = yaml.load(readFileSync(join(FIX, "version-removed/old.yaml"), "utf8")) as CrdKind["object"];
    await crds.update({ ...next, metadata: { ...next.metadata, resourceVersion: current.metadata.resourceVersion ?? "" } });
    for (let i = 0; i < 100; i++) {
      const got = await crds.get("widgets.diff.example.com");
      if ((got.status?.storedVersions ?? []).includes("v1")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(() => rest.close());

  test("the installed CRD against its own file: no findings (server defaults are not changes)", async () => {
    const r = await cli(["diff", "cluster", join(FIX, "version-removed/old.yaml"), "--kubeconfig", server.kubeconfigPath, "--format", "json", "--fail-on", "info"]);
    expect(r.stderr).toContain(`connecting to ${server.url}`);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings).toEqual([]);
    expect(report.crds.compared).toEqual(["widgets.diff.example.com"]);
    // Only the other side's groups were compared: the other suites' CRDs in this cluster are not "removed".
    expect(report.crds.removed).toEqual([]);
    expect(r.code).toBe(0);
  });

  test("removing a version still in status.storedVersions: breaking, and the reason says why", async () => {
    const r = await cli(["diff", "cluster", join(FIX, "version-removed/new.yaml"), "--kubeconfig", server.kubeconfigPath, "--context", "admin", "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.old).toBe("cluster (context admin)");
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: "version-removed", severity: "breaking", version: "v1beta1", file: join(FIX, "version-removed/new.yaml").replace(`${REPO}/`, "") }),
    ]);
    expect(report.findings[0]?.reason).toMatch(/refuses this change while v1beta1 is in status\.storedVersions: migrate stored objects first$/);
  });

  test("the cluster as the new side: a file's CRD against what is installed", async () => {
    const r = await cli(["diff", join(FIX, "version-removed/new.yaml"), "cluster", "--kubeconfig", server.kubeconfigPath, "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => `${f.rule} ${f.severity} ${f.version ?? ""}`)).toEqual(["version-added info v1beta1"]);
    expect(report.findings[0]?.file).toBeUndefined();
  });

  test("--group widens the cluster side: CRDs of other groups show as added", async () => {
    const other = await installCrds(rest, [join(REPO, "fixtures/crds/enums.yaml")]);
    const r = await cli(["diff", join(FIX, "version-removed/old.yaml"), "cluster", "--kubeconfig", server.kubeconfigPath, "--group", "*", "--format", "json"]);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.crds.compared).toEqual(["widgets.diff.example.com"]);
    expect(report.crds.added).toEqual(expect.arrayContaining(other));
    expect(report.crds.added).not.toContain("widgets.diff.example.com");
  });

  test("a user without the RBAC permission: exit 2 naming it", async () => {
    const r = await cli(["diff", "cluster", join(FIX, "version-removed/new.yaml"), "--kubeconfig", server.kubeconfigPath, "--context", "user"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/forbidden: .*verbs \[list\] on resource customresourcedefinitions/);
  });
});
