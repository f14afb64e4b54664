// Type-level tests of the built-in clients (@kube-codegen/api), compiled by tsc 5.9 and 7 in test/golden.
import { createClientset, createInformerFactory, type Clientset, type appsV1, type coreV1, type coordinationV1 } from "@kube-codegen/api";
import type { Clientset as CrdClientset } from "../../fixtures/generated/index.js";

declare const cs: Clientset;
declare const crds: CrdClientset;

export async function valid(): Promise<void> {
  const cm: coreV1.ConfigMap = await cs.coreV1.configMaps("default").create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "b" } });
  void cm.data?.["a"];
  await cs.coreV1.namespaces().get("default");
  await cs.coreV1.nodes().list({ labelSelector: "role=worker" });
  const deployments = cs.appsV1.deployments("default");
  await deployments.patch("web", { type: "strategic", patch: { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:2" }] } } } } });
  await deployments.patch("web", { type: "strategic", patch: { spec: { template: { spec: { containers: [{ name: "old", $patch: "delete" }] } } } } });
  await deployments.patch("web", { type: "merge", patch: { spec: { replicas: 2 } } });
  await deployments.patchStatus("web", { type: "strategic", patch: { status: { replicas: 1 } } });
  const scale = await deployments.getScale("web");
  await deployments.updateScale("web", { ...scale, spec: { replicas: 3 } });
  await cs.appsV1.statefulSets("default").getScale("db");
  // A kind inside another object: apiVersion and kind may be left out (Embedded<PersistentVolumeClaim>).
  await cs.appsV1.statefulSets("default").create({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db" },
    spec: {
      selector: { matchLabels: { app: "db" } },
      serviceName: "db",
      template: { spec: { containers: [{ name: "db" }] } },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
    },
  });
  await cs.appsV1.replicaSets("default").getScale("rs");
  const d: appsV1.Deployment = await deployments.apply(
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 1 } },
    { fieldManager: "me", force: true },
  );
  void d.status?.conditions?.[0]?.lastTransitionTime;
  const lease: coordinationV1.Lease = await cs.coordinationV1.leases("kube-system").get("leader");
  const renew: string | undefined = lease.spec?.renewTime;
  void renew;
  await cs.eventsV1.events("default").list();
  await cs.batchV1.jobs("default").watch({ resourceVersion: "0" });
  await cs.rbacAuthorizationV1.clusterRoles().get("admin");
  await cs.rbacAuthorizationV1.roleBindings("default").list();
  const log: string = await cs.coreV1.pods("default").getLog("p", { container: "app", tailLines: 10 });
  void log;
  for await (const line of cs.coreV1.pods("default").streamLog("p")) void line.length;
  await cs.coreV1.pods("default").evict("p", { gracePeriodSeconds: 0 });
  const token = await cs.coreV1.serviceAccounts("default").createToken("sa", { audiences: ["api"], expirationSeconds: 600 });
  void token.status?.token;
  const q: coreV1.ResourceRequirements = { limits: { cpu: "500m", memory: "1Gi" } };
  void q;
  await cs.coreV1.bindings("default").create({ apiVersion: "v1", kind: "Binding", metadata: { name: "p" }, target: { name: "node-1" } });
  const factory = createInformerFactory(createClientset({ context: "admin" }), { namespace: "default" });
  const name: string | undefined = factory.appsV1.deployments().lister().namespace("default").get("web")?.metadata.name;
  void name;
  factory.coordinationV1.leases().lister().list();
  factory.coreV1.nodes().lister().get("n1");
}

export async function invalid(): Promise<void> {
  // @ts-expect-error custom resources refuse strategic merge patches: the CRD client does not offer them
  await crds.shopV1.widgets("default").patch("w", { type: "strategic", patch: { spec: { replicas: 2 } } });
  // @ts-expect-error nodes are cluster-scoped: no namespace
  cs.coreV1.nodes("default");
  // @ts-expect-error namespaces are cluster-scoped: no namespace
  cs.coreV1.namespaces("default");
  // @ts-expect-error containers[].name is a string
  await cs.coreV1.pods("default").create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: 1 }] } });
  // @ts-expect-error spec.replicas is a number
  await cs.appsV1.deployments("default").patch("web", { type: "strategic", patch: { spec: { replicas: "2" } } });
  // @ts-expect-error a Pod's apiVersion is "v1"
  await cs.coreV1.pods("default").create({ apiVersion: "apps/v1", kind: "Pod", metadata: { name: "p" } });
  // @ts-expect-error Quantity is the wire's string, not a number
  const q: coreV1.ResourceRequirements = { limits: { cpu: 1 } };
  void q;
  // @ts-expect-error bindings are create-only: no get
  await cs.coreV1.bindings("default").get("p");
  // @ts-expect-error bindings cannot be listed or watched: no informer
  createInformerFactory(cs).coreV1.bindings();
  // @ts-expect-error config maps have no scale subresource
  await cs.coreV1.configMaps("default").getScale("c");
  // @ts-expect-error only pods have logs
  await cs.appsV1.deployments("default").getLog("web");
  // @ts-expect-error only service accounts issue tokens
  await cs.coreV1.pods("default").createToken("p", { audiences: [] });
  // @ts-expect-error a lease's renewTime is a MicroTime string, not a Date
  const renew: Date | undefined = (await cs.coordinationV1.leases("x").get("l")).spec?.renewTime;
  void renew;
}
