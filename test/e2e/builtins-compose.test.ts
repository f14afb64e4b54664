import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KubeObject, RestClient } from "@kube-codegen/runtime";
import { runCli } from "../../generator/src/cli/run.js";
import { describeE2E } from "../support/e2e.js";
import { REPO } from "../support/paths.js";
import { typecheck } from "../support/typecheck.js";
import { fixtureCrds, freshNamespace, installCrds } from "./support.js";

// The generated code must live inside the repository for `@kube-codegen/api` to resolve.
const OUT = join(REPO, ".tmp", `composed-${process.pid}`);

interface Informer {
  lister(): { namespace(ns: string): { get(name: string): KubeObject | undefined } };
}
interface Composed {
  createClientset(o: { kubeconfigPath: string; context: string }): {
    rest: RestClient;
    appsV1: { rest?: never; deployments(ns: string): { create(o: KubeObject): Promise<KubeObject> } };
    shopV1: { widgets(ns: string): { create(o: KubeObject): Promise<KubeObject> } };
  };
  createInformerFactory(cs: unknown, o: { namespace: string }): {
    appsV1: { deployments(): Informer };
    shopV1: { widgets(): Informer };
    start(): void;
    waitForCacheSync(signal?: AbortSignal): Promise<void>;
    shutdown(): Promise<void>;
  };
}

describeE2E("CRD clients composed with the built-ins (generate --builtins)", (server) => {
  let composed: Composed;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    let stderr = "";
    const code = await runCli(["generate", "--crds", "fixtures/crds", "--builtins", "--out", OUT, "--quiet"], { cwd: REPO, stdout: () => undefined, stderr: (t) => (stderr += t), readStdin: () => "" });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    composed = (await import(join(OUT, "index.ts"))) as Composed;
  }, 60_000);

  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  test("the composed output type-checks (tsc 7 --strict) with built-in and CRD accessors side by side", () => {
    writeFileSync(
      join(OUT, "usage.ts"),
      [
        'import { createClientset, createInformerFactory, type appsV1, type shopV1 } from "./index.js";',
        "export async function use(): Promise<[appsV1.Deployment, shopV1.Widget]> {",
        '  const cs = createClientset({ context: "admin" });',
        '  const f = createInformerFactory(cs, { namespace: "x" });',
        '  f.appsV1.deployments().lister().namespace("x").get("d");',
        '  f.shopV1.widgets().lister().namespace("x").get("w");',
        '  await cs.appsV1.deployments("x").patch("d", { type: "strategic", patch: { spec: { replicas: 2 } } });',
        "  // @ts-expect-error custom resources refuse strategic merge patches",
        '  await cs.shopV1.widgets("x").patch("w", { type: "strategic", patch: {} });',
        '  return [await cs.appsV1.deployments("x").get("d"), await cs.shopV1.widgets("x").get("w")];',
        "}",
        "",
      ].join("\n"),
    );
    const r = typecheck([join(OUT, "**/*.ts")], "ts7");
    expect(r.output).toBe("");
    expect(r.ok).toBe(true);
  }, 60_000);

  test("one clientset on one connection and one informer factory serve a Deployment and a Widget", async () => {
    const cs = composed.createClientset({ kubeconfigPath: server.kubeconfigPath, context: "admin" });
    try {
      await installCrds(cs.rest, fixtureCrds("widgets.yaml"));
      const ns = await freshNamespace(cs.rest, "composed");
      const factory = composed.createInformerFactory(cs, { namespace: ns });
      const deployments = factory.appsV1.deployments();
      const widgets = factory.shopV1.widgets();
      factory.start();
      try {
        await factory.waitForCacheSync(AbortSignal.timeout(30_000));
        await cs.appsV1.deployments(ns).create({
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "web" },
          spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }] } } },
        } as KubeObject);
        await cs.shopV1.widgets(ns).create({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: "small" } } as KubeObject);
        const deadline = Date.now() + 15_000;
        while (deployments.lister().namespace(ns).get("web") === undefined || widgets.lister().namespace(ns).get("w") === undefined) {
          if (Date.now() > deadline) throw new Error("informers did not see both objects");
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(deployments.lister().namespace(ns).get("web")?.kind).toBe("Deployment");
        expect(widgets.lister().namespace(ns).get("w")?.kind).toBe("Widget");
      } finally {
        await factory.shutdown();
      }
    } finally {
      cs.rest.close();
    }
  }, 60_000);
});
