import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { createClientset as createBuiltins, coreV1 } from "@kube-codegen/api";
import { SharedInformerFactory, createRestClient, stripManagedFields, type PartialObjectMetadata, type RestClient } from "@kube-codegen/runtime";
import { shopV1 } from "../../fixtures/generated/index.js";
import { describeWithOwnApiServer } from "./own-apiserver.js";
import { freshNamespace } from "./support.js";

// Metadata-only informers against the real apiserver, through the test proxy, which sees every
// byte the client receives: a Secret's data and a Widget's spec must never be among them.

const until = async (what: string, probe: () => boolean): Promise<void> => {
  const deadline = Date.now() + 20_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describeWithOwnApiServer("metadata-only informers", {}, (own) => {
  const SECRET_DATA = Buffer.from("the-password-that-must-stay-on-the-server").toString("base64");
  const COLOR = "a-colour-only-the-spec-has";
  let received = "";
  let rest: RestClient;
  let ns: string;

  beforeAll(async () => {
    ns = await freshNamespace(own.cs.rest, "metadata");
    const builtins = createBuiltins({ kubeconfigPath: own.api.kubeconfigPath });
    await builtins.coreV1.secrets(ns).create({ apiVersion: "v1", kind: "Secret", metadata: { name: "db", labels: { app: "db" } }, data: { password: SECRET_DATA } });
    await own.cs.shopV1.widgets(ns).create({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "w1", labels: { app: "shop" } }, spec: { size: "small", color: COLOR } });
    builtins.rest.close();
    own.proxy.tap = (_url, chunk) => {
      received += chunk.toString("latin1");
    };
    rest = createRestClient({ kubeconfigPath: own.proxy.kubeconfigPath() });
  }, 60_000);

  afterAll(() => {
    own.proxy.tap = undefined;
    rest?.close();
  });

  test("Secrets and Widgets cached as PartialObjectMetadata: names, labels, handlers, no data ever received", async () => {
    const factory = new SharedInformerFactory(rest, { namespace: ns, transform: stripManagedFields });
    const secrets = factory.metadataInformerFor(coreV1.secretResource);
    const widgets = factory.metadataInformerFor(shopV1.widgetResource);
    const updates: string[] = [];
    secrets.addEventHandler({ onUpdate: (_old: PartialObjectMetadata, obj: PartialObjectMetadata) => void updates.push(`${obj.metadata.name ?? ""} ${obj.metadata.labels?.["tier"] ?? ""}`) });
    factory.start();
    await factory.waitForCacheSync(AbortSignal.timeout(20_000));

    const secret = secrets.lister().namespace(ns).get("db");
    expect(secret).toMatchObject({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { name: "db", namespace: ns, labels: { app: "db" } } });
    expect(Object.keys(secret ?? {}).sort()).toEqual(["apiVersion", "kind", "metadata"]);
    expect(secret?.metadata.managedFields).toBeUndefined(); // the stock transform
    expect(widgets.lister().namespace(ns).list().map((w) => w.metadata.name)).toEqual(["w1"]);

    // A change arrives through the metadata watch.
    const builtins = createBuiltins({ kubeconfigPath: own.api.kubeconfigPath });
    const s = await builtins.coreV1.secrets(ns).get("db");
    await builtins.coreV1.secrets(ns).update({ ...s, metadata: { ...s.metadata, labels: { app: "db", tier: "gold" } }, data: { password: SECRET_DATA } });
    builtins.rest.close();
    await until("the label update", () => updates.includes("db gold"));

    // What reached this process: metadata, and never the Secret's data or the Widget's spec.
    expect(received).toContain("PartialObjectMetadata");
    expect(received).toContain('"db"');
    expect(received).not.toContain(SECRET_DATA);
    expect(received).not.toContain(COLOR);
    await factory.shutdown();
  });

  test("a full informer of the same Secrets, for contrast, does receive the data", async () => {
    received = "";
    const factory = new SharedInformerFactory(rest, { namespace: ns });
    factory.informerFor<{ object: coreV1.Secret; list: coreV1.SecretList; descriptor: typeof coreV1.secretResource }>(coreV1.secretResource);
    factory.start();
    await factory.waitForCacheSync(AbortSignal.timeout(20_000));
    expect(received).toContain(SECRET_DATA);
    await factory.shutdown();
  });
});
