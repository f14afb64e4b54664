import { expect, test } from "@jest/globals";
import { isNotFound } from "@kube-codegen/runtime";
import { createFakeClientset } from "../../api/src/fake.js";

// The built-in package has a fake clientset too: the same fake API server, serving every built-in
// kind (stored as sent: the OpenAPI input carries no structural schema, so no defaults).

test("built-in kinds on the fake: core at /api/v1, namespaced and cluster-scoped, watch, NotFound", async () => {
  const cs = createFakeClientset({ apiVersion: "v1", kind: "Namespace", metadata: { name: "payments" } });
  const cm = await cs.coreV1.configMaps("payments").create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "1" } });
  expect(cm.metadata).toMatchObject({ namespace: "payments", name: "settings", resourceVersion: expect.any(String), uid: expect.any(String) });
  expect((await cs.coreV1.configMaps("payments").get("settings")).data).toEqual({ a: "1" });
  expect((await cs.coreV1.namespaces().list()).items.map((n) => n.metadata.name)).toEqual(["payments"]);
  const lease = await cs.coordinationV1.leases("payments").create({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "leader" }, spec: { holderIdentity: "a", leaseDurationSeconds: 15 } });
  await cs.coordinationV1.leases("payments").update({ ...lease, spec: { ...lease.spec, holderIdentity: "b" } });
  await expect(cs.coordinationV1.leases("payments").update({ ...lease, spec: { holderIdentity: "c" } })).rejects.toMatchObject({ status: { reason: "Conflict" } });
  await cs.coreV1.configMaps("payments").delete("settings");
  await cs.coreV1.configMaps("payments").get("settings").catch((err: unknown) => expect(isNotFound(err)).toBe(true));
  // Strategic merge patch is not modelled: the fake answers as a server without it would (415).
  await expect(cs.coordinationV1.leases("payments").patch("leader", { type: "strategic", patch: { spec: { holderIdentity: "d" } } })).rejects.toMatchObject({ status: { code: 415, reason: "UnsupportedMediaType" } });
  expect(cs.rest.actions.map((a) => `${a.verb} ${a.resource}`)).toEqual([
    "create configmaps", "get configmaps", "list namespaces", "create leases", "update leases", "update leases", "delete configmaps", "get configmaps",
  ]);
});
