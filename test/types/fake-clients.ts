// Type-level tests of the generated fake clientset, compiled by tsc 5.9 and 7 in test/golden.
import { createClientset, type Clientset, type shopV1 } from "../../fixtures/generated/index.js";
import { createFakeClientset, createFakeClientsetWith, type FakeClientset } from "../../fixtures/generated/fake.js";
import { statusErrors } from "@kube-codegen/runtime/fake";

/** A user's function that takes the clientset: it accepts the real one and the fake alike. */
async function readyWidgets(cs: Clientset, namespace: string): Promise<string[]> {
  const list = await cs.shopV1.widgets(namespace).list();
  return list.items.filter((w: shopV1.Widget) => w.status?.phase === "Ready").map((w) => w.metadata.name ?? "");
}

export async function sameInterface(): Promise<void> {
  await readyWidgets(createClientset(), "shop");
  await readyWidgets(createFakeClientset(), "shop");
  const asReal: Clientset = createFakeClientset();
  const fake: FakeClientset = createFakeClientsetWith({ historySize: 10 });
  const w: shopV1.Widget = await fake.shopV1.widgets("shop").get("w");
  fake.rest.prependReactor("update", "widgets", () => ({ error: statusErrors.conflict(fake.shopV1.widgets().resource, "w") }));
  const verbs: string[] = fake.rest.actions.map((a) => a.verb);
  void [asReal, w, verbs];
}

export function invalid(): void {
  const real = createClientset();
  // @ts-expect-error the real clientset has no reactors
  real.rest.prependReactor("*", "*", () => undefined);
  // @ts-expect-error seed objects are Kubernetes objects
  createFakeClientset({ name: "w" });
  // @ts-expect-error seeds are of the kinds the fake serves
  createFakeClientset({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" } });
  // @ts-expect-error and typed as those kinds
  createFakeClientset({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: "huge" } });
  // @ts-expect-error the fake has the same typed clients: no status subresource on Choice
  void createFakeClientset().featuresV1.choices("x").updateStatus;
}
