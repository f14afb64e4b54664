import { expect, test } from "@jest/globals";
import { controller, generationChanged, silentLogger, type Result } from "@kube-codegen/runtime";
import { createFakeClientset } from "../../fixtures/generated/fake.js";
import { createInformerFactory, type shopV1 } from "../../fixtures/generated/index.js";

// A controller runs unchanged on the fake clientset: informers list and watch the in-memory API
// server, the reconcile writes status through the same typed client, and generationChanged sees
// the generations the fake keeps as the API server does.

const widget = (name: string, color: string): shopV1.Widget => ({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { namespace: "ns", name }, spec: { color, size: "small" } });

const until = async (what: string, probe: () => Promise<boolean> | boolean): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

test("a controller on the fake clientset reconciles creates and spec changes, not its own status writes", async () => {
  const cs = createFakeClientset(widget("a", "red"));
  const factory = createInformerFactory(cs);
  const widgets = factory.shopV1.widgets();
  const seen: string[] = [];
  const c = controller("widgets", { logger: silentLogger })
    .for(widgets, generationChanged())
    .reconcile(async ({ namespace, name }): Promise<Result | void> => {
      const w = widgets.lister().namespace(namespace ?? "").get(name);
      if (w === undefined) return;
      seen.push(`${name}@${w.metadata.generation ?? 0}`);
      // A status write: the fake keeps the generation, so generationChanged drops the event it causes.
      const fresh = await cs.shopV1.widgets(namespace).get(name);
      await cs.shopV1.widgets(namespace).updateStatus({ ...fresh, status: { phase: "Ready", observedGeneration: fresh.metadata.generation ?? 0 } });
    });
  const stop = new AbortController();
  factory.start();
  const running = c.start(stop.signal);
  await until("a reconciled", () => seen.includes("a@1"));
  await cs.shopV1.widgets("ns").create(widget("b", "blue"));
  await until("b reconciled", () => seen.includes("b@1"));
  const a = await cs.shopV1.widgets("ns").get("a");
  expect(a.status).toEqual({ phase: "Ready", observedGeneration: 1 });
  await cs.shopV1.widgets("ns").update({ ...a, spec: { color: "green", size: "small" } });
  await until("a's spec change reconciled", () => seen.includes("a@2"));
  await new Promise((r) => setTimeout(r, 100));
  expect(seen).toEqual(["a@1", "b@1", "a@2"]);
  // What the controller did is on record in the fake's actions.
  expect(cs.rest.actions.filter((x) => x.verb === "update" && x.subresource === "status").length).toBe(3);
  stop.abort();
  await running;
  await factory.shutdown();
});
