// Type-level tests of the generated clients, compiled by tsc 5.9 and 7 in test/golden.
import { createClientset, type Clientset } from "../../fixtures/generated/index.js";
import type { shopV1 } from "../../fixtures/generated/index.js";

declare const cs: Clientset;

export async function valid(): Promise<void> {
  const widgets = cs.shopV1.widgets("default");
  const w: shopV1.Widget = await widgets.get("w");
  await widgets.create({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "x" }, spec: { size: "small" } });
  await widgets.updateStatus(w);
  await widgets.applyStatus({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "x" }, status: { phase: "Ready" } }, { fieldManager: "m" });
  const scale = await widgets.getScale("w");
  await widgets.updateScale("w", { ...scale, spec: { replicas: 3 } });
  await widgets.patch("w", { type: "merge", patch: { spec: { color: null } } });
  await widgets.patch("w", { type: "json", patch: [{ op: "replace", path: "/spec/replicas", value: 2 }] });
  await widgets.apply({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "x" }, spec: { replicas: 2 } }, { fieldManager: "m", force: true });
  for await (const ev of widgets.watch({ resourceVersion: "1" })) {
    if (ev.type === "MODIFIED") {
      const phase: "Pending" | "Ready" | "Failed" | undefined = ev.object.status?.phase;
      void phase;
    }
  }
  for await (const page of cs.shopV1.widgets().listAll({ limit: 10 })) void page.items.length;
  await cs.shopV1.gadgets().get("g");
  await cs.shopV1.gadgets().updateStatus({ apiVersion: "shop.example.com/v1", kind: "Gadget", metadata: { name: "g" } });
  createClientset({ context: "admin", timeoutMs: 5000 });
}

export async function invalid(): Promise<void> {
  const widgets = cs.shopV1.widgets("default");
  // @ts-expect-error spec.size must be one of the enum values
  await widgets.create({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "x" }, spec: { size: 3 } });
  // @ts-expect-error Choice has no status subresource
  await cs.featuresV1.choices("default").updateStatus({ apiVersion: "features.example.com/v1", kind: "Choice", metadata: {} });
  // @ts-expect-error Choice has no scale subresource
  await cs.featuresV1.choices("default").getScale("c");
  // @ts-expect-error Gadget has status but no scale subresource
  await cs.shopV1.gadgets().getScale("g");
  // @ts-expect-error Gadget is cluster-scoped: no namespace argument
  cs.shopV1.gadgets("default");
  // @ts-expect-error server-side apply needs a field manager
  await widgets.apply({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "x" } }, {});
  // @ts-expect-error an apply configuration needs metadata.name
  await widgets.apply({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: {} }, { fieldManager: "m" });
  // @ts-expect-error merge patch values keep their types
  await widgets.patch("w", { type: "merge", patch: { spec: { replicas: "2" } } });
  // @ts-expect-error the object of another kind is not accepted
  await widgets.update({ apiVersion: "shop.example.com/v1", kind: "Gadget", metadata: { name: "x" } });
}

import { createInformerFactory } from "../../fixtures/generated/index.js";

export async function informers(): Promise<void> {
  const factory = createInformerFactory(cs, { namespace: "payments", labelSelector: "app=web" });
  const widgets = factory.shopV1.widgets();
  widgets.onUpdate((oldObj, newObj) => {
    const size: "small" | "medium" | "large" = newObj.spec?.size ?? oldObj.spec?.size ?? "small";
    void size;
  });
  factory.start();
  await factory.waitForCacheSync(AbortSignal.timeout(30_000));
  const w: shopV1.Widget | undefined = widgets.lister().namespace("payments").get("w");
  const all: shopV1.Widget[] = widgets.lister().list("tier in (a,b)");
  const g: shopV1.Gadget | undefined = factory.shopV1.gadgets().lister().get("g");
  void [w, all, g];
  // @ts-expect-error a namespaced lister gets by namespace and name
  widgets.lister().get("w");
  // @ts-expect-error a cluster-scoped lister has no namespaces
  factory.shopV1.gadgets().lister().namespace("x");
  // @ts-expect-error handlers are typed
  widgets.onAdd((obj: shopV1.Gadget) => void obj);
  await factory.shutdown();
}
