import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvtestError, startEnvironment, type Environment } from "@kube-codegen/envtest";
import { isForbidden } from "@kube-codegen/runtime";
import { createClientset } from "../../fixtures/generated/index.js";
import { describeE2E, e2eBinaries } from "../support/e2e.js";
import { REPO } from "../support/paths.js";

const EXAMPLES = join(REPO, "envtest/examples");

describeE2E("@kube-codegen/envtest", () => {
  const binaries = e2eBinaries();
  const childEnv = { ...process.env, KUBE_APISERVER: binaries?.kubeApiserver ?? "", ETCD: binaries?.etcd ?? "" };
  let env: Environment;
  beforeAll(async () => {
    env = await startEnvironment({ crds: [join(REPO, "fixtures/crds")], ...(binaries !== undefined ? { binaries } : {}) });
  }, 120_000);
  afterAll(() => env?.stop());

  test("installs a directory of CRDs: served at once, to the admin and not to the user", async () => {
    const admin = createClientset(env.config("admin"));
    const byDefault = createClientset(env.config());
    try {
      const w = await admin.shopV1.widgets("default").create({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: "small" } });
      expect(w.spec.replicas).toBe(1);
      expect((await admin.featuresV1.choices("default").list()).items).toEqual([]);
      const asUser = createClientset(env.config("user"));
      const refused = await asUser.shopV1.widgets("default").get("w").catch((err: unknown) => err);
      expect(isForbidden(refused)).toBe(true);
      asUser.rest.close();
      expect((await byDefault.shopV1.widgets("default").get("w")).metadata.uid).toBe(w.metadata.uid); // the default is the admin
    } finally {
      admin.rest.close();
      byDefault.rest.close();
    }
  });

  test("a CRD source that does not exist, or whose names are refused, is a clear error", async () => {
    await expect(env.installCrds(["/nonexistent/crds"])).rejects.toThrow(new EnvtestError("CRD source /nonexistent/crds does not exist"));
    const clash = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "others.shop.example.com" }, spec: { group: "shop.example.com", scope: "Namespaced", names: { kind: "Other", plural: "others", shortNames: ["wd"] }, versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }] } };
    await expect(env.installCrds([clash], { timeoutMs: 10_000 })).rejects.toThrow(/CRD others.shop.example.com: names not accepted: .*wd/);
  });

  test("the node:test example of the README runs", () => {
    const r = spawnSync(process.execPath, ["--test", join(EXAMPLES, "node-test.example.mjs")], { cwd: REPO, env: childEnv, encoding: "utf8", timeout: 120_000 });
    expect(`${r.stdout}${r.stderr}`).toMatch(/pass 1\n.*fail 0/);
    expect(r.status).toBe(0);
  }, 130_000);

  test("the jest example of the README runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "kcg-jest-example-"));
    try {
      const config = {
        rootDir: REPO,
        testEnvironment: "node",
        extensionsToTreatAsEsm: [".ts"],
        transform: { "^.+\\.ts$": join(REPO, "test/support/ts-transform.cjs") },
        moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
        testMatch: [join(EXAMPLES, "jest.example.test.ts")],
      };
      writeFileSync(join(dir, "jest.config.json"), JSON.stringify(config));
      const r = spawnSync(process.execPath, ["--experimental-vm-modules", join(REPO, "node_modules/jest/bin/jest.js"), "--config", join(dir, "jest.config.json")], { cwd: REPO, env: childEnv, encoding: "utf8", timeout: 120_000 });
      expect(`${r.stdout}${r.stderr}`).toMatch(/Tests:\s+1 passed, 1 total/);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 130_000);

  test("the README shows the examples as they are", () => {
    const readme = readFileSync(join(REPO, "envtest/README.md"), "utf8");
    for (const f of ["jest.example.test.ts", "node-test.example.mjs"]) expect(readme).toContain(readFileSync(join(EXAMPLES, f), "utf8"));
  });
});
