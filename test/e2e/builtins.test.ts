import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { ApiStatusError, isNotFound, type KubeObject, type WatchEvent } from "@kube-codegen/runtime";
import { createClientset, createInformerFactory, type Clientset, type appsV1, type coreV1 } from "@kube-codegen/api";
import { describeE2E } from "../support/e2e.js";
import { freshNamespace } from "./support.js";

/** What the CRUD walk needs of a typed client (every built-in client below has it). */
interface Crud<T extends KubeObject> {
  create(o: T): Promise<T>;
  get(name: string): Promise<T>;
  list(o: { labelSelector: string }): Promise<{ metadata: { resourceVersion?: string }; items: T[] }>;
  update(o: T): Promise<T>;
  patch(name: string, p: { type: "merge"; patch: { metadata: { annotations: Record<string, string> } } }): Promise<T>;
  delete(name: string, o: { propagationPolicy: "Background" }): Promise<unknown>;
  watch(o: { resourceVersion?: string | undefined }): AsyncIterable<WatchEvent<T>>;
}

const microTime = (): string => new Date().toISOString().replace("Z", "000Z");
const labels = (pick: string): Record<string, string> => ({ suite: "builtins", pick });
const container = (name: string, image = "registry.k8s.io/pause:3.10"): coreV1.Container => ({ name, image });
const deployment = (name: string, pick = "yes"): appsV1.Deployment => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, labels: labels(pick) },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [container("app")] } },
  },
});

describeE2E("built-in clients (@kube-codegen/api) against the real apiserver", (server) => {
  let cs: Clientset;
  let ns: string;

  beforeAll(async () => {
    cs = createClientset({ kubeconfigPath: server.kubeconfigPath, context: "admin" });
    ns = await freshNamespace(cs.rest, "builtins");
    // No kube-controller-manager: make the namespace's default service account that pods need.
    await cs.coreV1.serviceAccounts(ns).create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
  }, 60_000);

  afterAll(() => cs.rest.close());

  // Each kind: create two, get, list by label selector, update, merge patch, watch the delete.
  const kinds: [string, () => Crud<KubeObject>, (name: string, pick: string) => KubeObject][] = [
    ["ConfigMap", () => cs.coreV1.configMaps(ns) as unknown as Crud<KubeObject>, (name, pick) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels: labels(pick) }, data: { k: "v" } }) as coreV1.ConfigMap],
    ["Secret", () => cs.coreV1.secrets(ns) as unknown as Crud<KubeObject>, (name, pick) => ({ apiVersion: "v1", kind: "Secret", metadata: { name, labels: labels(pick) }, type: "Opaque", stringData: { password: "s3cret" } }) as coreV1.Secret],
    ["Service", () => cs.coreV1.services(ns) as unknown as Crud<KubeObject>, (name, pick) => ({ apiVersion: "v1", kind: "Service", metadata: { name, labels: labels(pick) }, spec: { ports: [{ port: 80, targetPort: "http" }], selector: { app: name } } }) as coreV1.Service],
    ["ServiceAccount", () => cs.coreV1.serviceAccounts(ns) as unknown as Crud<KubeObject>, (name, pick) => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, labels: labels(pick) } }) as coreV1.ServiceAccount],
    ["Deployment", () => cs.appsV1.deployments(ns) as unknown as Crud<KubeObject>, (name, pick) => deployment(name, pick)],
    ["Job", () => cs.batchV1.jobs(ns) as unknown as Crud<KubeObject>, (name, pick) => ({ apiVersion: "batch/v1", kind: "Job", metadata: { name, labels: labels(pick) }, spec: { template: { spec: { restartPolicy: "Never", containers: [container("job")] } } } })],
    ["Lease", () => cs.coordinationV1.leases(ns) as unknown as Crud<KubeObject>, (name, pick) => ({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name, labels: labels(pick) }, spec: { holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: microTime(), renewTime: microTime() } })],
    ["Event", () => cs.eventsV1.events(ns) as unknown as Crud<KubeObject>, (name, pick) => ({
      apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name, labels: labels(pick) }, eventTime: microTime(), reportingController: "kube-codegen.io/e2e", reportingInstance: "e2e-1",
      action: "Testing", reason: "Tested", type: "Normal", note: "an event", regarding: { apiVersion: "v1", kind: "ConfigMap", name: "configmap-b", namespace: ns },
    })],
    ["Role", () => cs.rbacAuthorizationV1.roles(ns) as unknown as Crud<KubeObject>, (name, pick) => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, labels: labels(pick) }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }] })],
    ["RoleBinding", () => cs.rbacAuthorizationV1.roleBindings(ns) as unknown as Crud<KubeObject>, (name, pick) => ({
      apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name, labels: labels(pick) }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" }, subjects: [{ kind: "User", name: "alice" }],
    })],
  ];

  test.each(kinds)("%s: create, get, list with a selector, update, patch, watch, delete", async (kind, client, make) => {
    const c = client();
    const name = `${kind.toLowerCase()}-a`;
    const created = await c.create(make(name, "yes"));
    expect(created.kind === undefined || created.kind === kind).toBe(true);
    await c.create(make(`${kind.toLowerCase()}-b`, "no"));
    expect((await c.get(name)).metadata.uid).toBe(created.metadata.uid);
    const picked = await c.list({ labelSelector: "suite=builtins,pick=yes" });
    expect(picked.items.map((o) => o.metadata.name)).toEqual([name]);
    const updated = await c.update({ ...created, metadata: { ...created.metadata, labels: { ...created.metadata.labels, updated: "yes" } } });
    expect(updated.metadata.labels?.["updated"]).toBe("yes");
    expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
    const patched = await c.patch(name, { type: "merge", patch: { metadata: { annotations: { patched: "yes" } } } });
    expect(patched.metadata.annotations?.["patched"]).toBe("yes");
    const watch = c.watch({ resourceVersion: patched.metadata.resourceVersion })[Symbol.asyncIterator]();
    const first = watch.next();
    await c.delete(name, { propagationPolicy: "Background" });
    // A kind with a garbage-collection finalizer (Job) is MODIFIED first, then DELETED.
    const events: string[] = [];
    for (let r = await first; !r.done; r = await watch.next()) {
      const ev: WatchEvent<KubeObject> = r.value;
      if (ev.type === "BOOKMARK") continue;
      events.push(`${ev.type} ${ev.object.metadata.name ?? ""}`);
      if (ev.type === "DELETED") break;
    }
    await watch.return?.(undefined);
    expect(events.at(-1)).toBe(`DELETED ${name}`);
    expect((await c.list({ labelSelector: "suite=builtins" })).items.map((o) => o.metadata.name)).toEqual([`${kind.toLowerCase()}-b`]);
  });

  test("Namespace (cluster-scoped): create, get, list with a selector, delete", async () => {
    const name = `${ns}-extra`;
    await cs.coreV1.namespaces().create({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { extra: ns } } });
    expect((await cs.coreV1.namespaces().get(name)).status?.phase).toBe("Active");
    expect((await cs.coreV1.namespaces().list({ labelSelector: `extra=${ns}` })).items.map((n) => n.metadata.name)).toEqual([name]);
    await cs.coreV1.namespaces().delete(name);
    expect((await cs.coreV1.namespaces().get(name)).status?.phase).toBe("Terminating");
  });

  describe("Deployment extras", () => {
    test("a strategic merge patch merges containers by name; a merge patch replaces the list", async () => {
      const d = cs.appsV1.deployments(ns);
      await d.create(deployment("smp"));
      const smp = await d.patch("smp", { type: "strategic", patch: { spec: { template: { spec: { containers: [container("sidecar")] } } } } });
      expect(smp.spec.template.spec?.containers.map((c) => c.name)).toEqual(["sidecar", "app"]);
      const deleted = await d.patch("smp", { type: "strategic", patch: { spec: { template: { spec: { containers: [{ name: "sidecar", $patch: "delete" }] } } } } });
      expect(deleted.spec.template.spec?.containers.map((c) => c.name)).toEqual(["app"]);
      const merged = await d.patch("smp", { type: "merge", patch: { spec: { template: { spec: { containers: [container("only")] } } } } });
      expect(merged.spec.template.spec?.containers.map((c) => c.name)).toEqual(["only"]);
    });

    test("server-side apply owns the fields it sets; a second manager conflicts unless forced", async () => {
      const d = cs.appsV1.deployments(ns);
      const applied = await d.apply({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "ssa" }, spec: deployment("ssa").spec }, { fieldManager: "e2e-a" });
      expect(applied.metadata.managedFields?.map((m) => m.manager)).toContain("e2e-a");
      const conflict = await d.apply({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "ssa" }, spec: { replicas: 5 } }, { fieldManager: "e2e-b" }).catch((e: unknown) => e);
      expect(conflict).toBeInstanceOf(ApiStatusError);
      expect((conflict as ApiStatusError).code).toBe(409);
      expect((await d.apply({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "ssa" }, spec: { replicas: 5 } }, { fieldManager: "e2e-b", force: true })).spec.replicas).toBe(5);
    });

    test("scale: getScale, updateScale and patchScale go through /scale to spec.replicas; the status subresource", async () => {
      const d = cs.appsV1.deployments(ns);
      await d.create(deployment("scaled"));
      const scale = await d.getScale("scaled");
      expect({ kind: scale.kind, apiVersion: scale.apiVersion, replicas: scale.spec?.replicas }).toEqual({ kind: "Scale", apiVersion: "autoscaling/v1", replicas: 1 });
      await d.updateScale("scaled", { ...scale, spec: { replicas: 3 } });
      expect((await d.get("scaled")).spec.replicas).toBe(3);
      await d.patchScale("scaled", { type: "merge", patch: { spec: { replicas: 2 } } });
      expect((await d.get("scaled")).spec.replicas).toBe(2);
      const status = await d.patchStatus("scaled", { type: "merge", patch: { status: { observedGeneration: 7, replicas: 2 } } });
      expect(status.status?.observedGeneration).toBe(7);
      expect((await d.getStatus("scaled")).status?.replicas).toBe(2);
      expect((await cs.appsV1.statefulSets(ns).list()).items).toEqual([]);
    });
  });

  test("serviceaccounts/token issues a bound token for the audience", async () => {
    const tr = await cs.coreV1.serviceAccounts(ns).createToken("default", { audiences: ["kube-codegen-e2e"], expirationSeconds: 600 });
    expect(tr.kind).toBe("TokenRequest");
    expect(tr.status?.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const payload = JSON.parse(Buffer.from((tr.status?.token ?? "").split(".")[1] ?? "", "base64url").toString("utf8")) as { aud: string[]; sub: string };
    expect(payload).toMatchObject({ aud: ["kube-codegen-e2e"], sub: `system:serviceaccount:${ns}:default` });
  });

  describe("pods without a kubelet", () => {
    beforeAll(async () => {
      await cs.coreV1.pods(ns).create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [container("app")] } });
    });

    test("pods/log: the request the server answers for a pod with no node", async () => {
      // The server checks the request (pod, container, options) and, with no node to ask, answers
      // 200 with an empty log.
      expect(await cs.coreV1.pods(ns).getLog("p", { container: "app", tailLines: 5, timestamps: true })).toBe("");
      const lines: string[] = [];
      for await (const line of cs.coreV1.pods(ns).streamLog("p", { container: "app", signal: AbortSignal.timeout(10_000) })) lines.push(line);
      expect(lines).toEqual([]);
      // What it checks: the container must be the pod's, named as we sent it.
      const wrong = await cs.coreV1.pods(ns).getLog("p", { container: "nope", tailLines: 5, timestamps: true }).catch((x: unknown) => x);
      expect(wrong).toBeInstanceOf(ApiStatusError);
      const e = wrong as ApiStatusError;
      expect(e.request.url).toBe(`/api/v1/namespaces/${ns}/pods/p/log?container=nope&timestamps=true&tailLines=5`);
      expect({ code: e.code, reason: e.reason }).toEqual({ code: 400, reason: "BadRequest" });
      expect(e.status.message).toMatch(/container nope is not valid for pod p/);
      const follow = await (async () => {
        for await (const line of cs.coreV1.pods(ns).streamLog("p", { container: "nope" })) void line;
      })().catch((x: unknown) => x);
      expect((follow as ApiStatusError).request.url).toBe(`/api/v1/namespaces/${ns}/pods/p/log?container=nope&follow=true`);
      expect((follow as ApiStatusError).code).toBe(400);
      expect(isNotFound(await cs.coreV1.pods(ns).getLog("missing").catch((x: unknown) => x))).toBe(true);
    });

    test("pods/eviction evicts (an unscheduled pod goes at once)", async () => {
      const status = await cs.coreV1.pods(ns).evict("p");
      expect(status.status).toBe("Success");
      expect(isNotFound(await cs.coreV1.pods(ns).get("p").catch((e: unknown) => e))).toBe(true);
    });
  });

  test("one informer factory: deployment and config map informers with listers", async () => {
    const factory = createInformerFactory(cs, { namespace: ns });
    const deployments = factory.appsV1.deployments();
    const configMaps = factory.coreV1.configMaps();
    const seen: string[] = [];
    deployments.addEventHandler({
      onAdd: (d) => void seen.push(`add ${d.metadata.name ?? ""}`),
      onUpdate: (_a, b) => void seen.push(`update ${b.metadata.name ?? ""}`),
    });
    factory.start();
    try {
      await factory.waitForCacheSync(AbortSignal.timeout(30_000));
      await cs.appsV1.deployments(ns).create(deployment("informed"));
      await cs.coreV1.configMaps(ns).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "informed", labels: { app: "x" } } });
      await until(() => deployments.lister().namespace(ns).get("informed") !== undefined && configMaps.lister().namespace(ns).get("informed") !== undefined);
      expect(deployments.lister().namespace(ns).get("informed")?.spec.replicas).toBe(1);
      expect(configMaps.lister().list("app=x").map((c) => c.metadata.name)).toEqual(["informed"]);
      await cs.appsV1.deployments(ns).patchScale("informed", { type: "merge", patch: { spec: { replicas: 4 } } });
      await until(() => deployments.lister().namespace(ns).get("informed")?.spec.replicas === 4);
      expect(seen).toEqual(expect.arrayContaining(["add informed", "update informed"]));
    } finally {
      await factory.shutdown();
    }
  });
});

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
