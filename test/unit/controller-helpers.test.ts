import { describe, expect, test } from "@jest/globals";
import {
  addFinalizer,
  containsFinalizer,
  createOrPatch,
  createOrUpdate,
  findStatusCondition,
  isBeingDeleted,
  isControlledBy,
  isStatusConditionFalse,
  isStatusConditionTrue,
  mergePatchOf,
  OwnerReferenceError,
  removeFinalizer,
  removeStatusCondition,
  setControllerReference,
  setOwnerReference,
  setStatusCondition,
  type Condition,
  type KubeObject,
} from "@kube-codegen/runtime";
import { createFakeClientset } from "../../fixtures/generated/fake.js";
import type { shopV1 } from "../../fixtures/generated/index.js";

const owner = (ns: string | undefined, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: "examples.dev/v1",
  kind: "Website",
  metadata: { name: "site", uid: "u-1", ...(ns === undefined ? {} : { namespace: ns }) },
  ...extra,
});
const child = (ns: string | undefined): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", ...(ns === undefined ? {} : { namespace: ns }) } });

describe("owner references (controller-runtime's controllerutil)", () => {
  test("setControllerReference sets controller and blockOwnerDeletion, once; isControlledBy sees it", () => {
    const c = child("ns");
    setControllerReference(owner("ns"), c);
    setControllerReference(owner("ns"), c);
    expect(c.metadata.ownerReferences).toEqual([{ apiVersion: "examples.dev/v1", kind: "Website", name: "site", uid: "u-1", controller: true, blockOwnerDeletion: true }]);
    expect(isControlledBy(c, owner("ns"))).toBe(true);
  });

  test("the same owner under another version replaces its reference", () => {
    const c = child("ns");
    setControllerReference(owner("ns"), c);
    setControllerReference(owner("ns", { apiVersion: "examples.dev/v2" }), c);
    expect(c.metadata.ownerReferences?.map((r) => r.apiVersion)).toEqual(["examples.dev/v2"]);
  });

  test.each([
    ["another controller", () => {
      const c = child("ns");
      setControllerReference({ ...owner("ns"), metadata: { name: "other", uid: "u-2", namespace: "ns" } }, c);
      setControllerReference(owner("ns"), c);
    }, /is already controlled by Website other/],
    ["a namespaced owner of a cluster-scoped object", () => setControllerReference(owner("ns"), child(undefined)), /cluster-scoped ConfigMap c cannot be owned by namespaced Website ns\/site/],
    ["owners across namespaces", () => setControllerReference(owner("a"), child("b")), /cross-namespace owner references are disallowed/],
    ["an owner without uid", () => setControllerReference({ ...owner("ns"), metadata: { name: "site", namespace: "ns" } }, child("ns")), /has no name or uid yet/],
  ])("refused: %s", (_n, act, want) => {
    expect(act).toThrow(OwnerReferenceError);
    expect(act).toThrow(want);
  });

  test("a cluster-scoped owner may own namespaced objects; setOwnerReference adds a plain owner beside the controller", () => {
    const c = child("ns");
    setControllerReference(owner(undefined), c);
    setOwnerReference({ ...owner(undefined), kind: "Team", metadata: { name: "t", uid: "u-3" } }, c);
    expect(c.metadata.ownerReferences?.map((r) => [r.kind, r.controller ?? false])).toEqual([["Website", true], ["Team", false]]);
  });
});

describe("finalizers", () => {
  test("add and remove are idempotent and say whether they changed anything", () => {
    const o = child("ns");
    expect([addFinalizer(o, "x/y"), addFinalizer(o, "x/y"), containsFinalizer(o, "x/y")]).toEqual([true, false, true]);
    expect([removeFinalizer(o, "x/y"), removeFinalizer(o, "x/y"), o.metadata.finalizers]).toEqual([true, false, []]);
    expect(isBeingDeleted(o)).toBe(false);
    expect(isBeingDeleted({ ...o, metadata: { ...o.metadata, deletionTimestamp: "2026-12-01T10:00:00Z" } })).toBe(true);
  });
});

describe("conditions (apimachinery's meta.SetStatusCondition)", () => {
  test("lastTransitionTime changes only when the status does; reason, message, generation follow", () => {
    const conditions: Condition[] = [];
    const at = (iso: string) => () => new Date(iso);
    expect(setStatusCondition(conditions, { type: "Ready", status: "False", reason: "Waiting", message: "0/1", observedGeneration: 1 }, at("2026-12-01T10:00:00.123Z"))).toBe(true);
    expect(conditions[0]?.lastTransitionTime).toBe("2026-12-01T10:00:00Z");
    expect(setStatusCondition(conditions, { type: "Ready", status: "False", reason: "Waiting", message: "0/1", observedGeneration: 1 }, at("2026-12-01T11:00:00Z"))).toBe(false);
    expect(setStatusCondition(conditions, { type: "Ready", status: "False", reason: "Still", message: "0/1", observedGeneration: 2 }, at("2026-12-01T11:00:00Z"))).toBe(true);
    expect(conditions[0]).toMatchObject({ lastTransitionTime: "2026-12-01T10:00:00Z", reason: "Still", observedGeneration: 2 });
    expect(setStatusCondition(conditions, { type: "Ready", status: "True", reason: "Done", message: "1/1" }, at("2026-12-01T12:00:00Z"))).toBe(true);
    expect(conditions[0]).toMatchObject({ status: "True", lastTransitionTime: "2026-12-01T12:00:00Z", observedGeneration: 2 });
    expect([isStatusConditionTrue(conditions, "Ready"), isStatusConditionFalse(conditions, "Ready"), findStatusCondition(conditions, "Other")]).toEqual([true, false, undefined]);
    expect([removeStatusCondition(conditions, "Ready"), removeStatusCondition(conditions, "Ready"), conditions]).toEqual([true, false, []]);
  });
});

describe("createOrUpdate and createOrPatch, on the fake clientset", () => {
  const widget = (color: string): shopV1.Widget => ({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "ns" }, spec: { size: "small", color } });

  test("created when absent, unchanged when mutate changes nothing, updated when it does", async () => {
    const cs = createFakeClientset();
    const client = cs.shopV1.widgets("ns");
    const paint = (color: string) => (w: shopV1.Widget): void => {
      w.spec = { ...w.spec, color };
    };
    expect((await createOrUpdate(client, widget("red"), paint("red"))).result).toBe("created");
    expect((await createOrUpdate(client, widget("red"), paint("red"))).result).toBe("unchanged");
    const updated = await createOrUpdate(client, widget("red"), paint("blue"));
    expect([updated.result, updated.object.spec.color, updated.object.metadata.generation]).toEqual(["updated", "blue", 2]);
    expect(cs.rest.actions.map((a) => a.verb)).toEqual(["get", "create", "get", "get", "update"]);
  });

  test("createOrPatch sends a merge patch of exactly what mutate changed", async () => {
    const cs = createFakeClientset(widget("red"));
    const client = cs.shopV1.widgets("ns");
    const r = await createOrPatch(client, widget("ignored"), (w) => {
      w.metadata.labels = { team: "a" };
    });
    expect([r.result, r.object.metadata.labels, r.object.spec.color]).toEqual(["updated", { team: "a" }, "red"]);
    const patch = cs.rest.actions.find((a) => a.verb === "patch");
    expect(patch?.body).toEqual({ metadata: { labels: { team: "a" } } });
    expect((await createOrPatch(client, widget("x"), () => undefined)).result).toBe("unchanged");
  });

  test("mutate may not rename the object", async () => {
    const cs = createFakeClientset(widget("red"));
    await expect(createOrUpdate(cs.shopV1.widgets("ns"), widget("red"), (w) => void (w.metadata.name = "other"))).rejects.toThrow(/must not change the object's name or namespace/);
  });

  test("mergePatchOf: added, changed and removed fields; lists whole", () => {
    expect(mergePatchOf({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { a: 1, b: { c: 5 }, l: [1], e: "x" })).toEqual({ b: { c: 5, d: null }, l: [1], e: "x" });
    expect(mergePatchOf({ a: 1 }, { a: 1 })).toBeUndefined();
  });
});
