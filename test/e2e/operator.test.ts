import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isNotFound, type Condition } from "@kube-codegen/runtime";
import { FINALIZER, LEADER_ELECTION_ID, startOperator, type RunningOperator } from "../../examples/operator/src/operator.js";
import { RecordStore } from "../../examples/operator/src/records.js";
import { controllerManagerBinary, startControllerManager, type ControllerManager } from "../support/controller-manager.js";
import { REPO } from "../support/paths.js";
import { describeWithOwnApiServer } from "./own-apiserver.js";
import { freshNamespace, installCrds } from "./support.js";

// examples/operator end to end, on an apiserver of its own (restarted and compacted below), with the
// real garbage collector of kube-controller-manager built from the same Kubernetes module.

const until = async <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const gone = async (get: () => Promise<unknown>): Promise<true | undefined> => {
  try {
    await get();
    return undefined;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
};

describeWithOwnApiServer("examples/operator against the real apiserver and garbage collector", {}, (own) => {
  let kcm: ControllerManager | undefined;
  let operator: RunningOperator;
  let records: RecordStore;
  let dir: string;
  let ns: string;
  let failNext = 0;

  beforeAll(async () => {
    const kcmBinary = controllerManagerBinary();
    if (kcmBinary === undefined) throw new Error("kube-controller-manager not found beside kube-apiserver (envtest/build-binaries.sh builds it; or set KUBE_CONTROLLER_MANAGER)");
    await installCrds(own.cs.rest, [join(REPO, "examples/operator/crds/website.yaml")]);
    kcm = await startControllerManager(kcmBinary, own.api.kubeconfigPath);
    dir = mkdtempSync(join(tmpdir(), "kcg-records-"));
    records = new RecordStore(dir);
    ns = await freshNamespace(own.cs.rest, "operator");
    operator = await startOperator({
      connection: { kubeconfigPath: own.api.kubeconfigPath },
      records,
      controller: { maxConcurrentReconciles: 2 },
      failAfterCleanup: () => failNext-- > 0,
      // Leader election on, with a renew deadline (20 s) that outlasts the apiserver restart below;
      // handovers are tested in manager-leader.test.ts.
      leaderElection: { namespace: ns, identity: "website-operator-test", leaseDurationMs: 30_000, renewDeadlineMs: 20_000, retryPeriodMs: 1_000 },
      healthProbeBindAddress: "127.0.0.1:0",
      metricsBindAddress: "127.0.0.1:0",
    });
  }, 120_000);

  afterAll(async () => {
    await operator?.stop();
    await kcm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const sites = () => operator.clientset.examplesV1.websites(ns);
  const ready = (name: string, generation?: number) =>
    until(`Website ${name} Ready`, async () => {
      const s = await sites().get(name);
      const c = (s.status?.conditions as Condition[] | undefined)?.find((x) => x.type === "Ready");
      return c?.status === "True" && (generation === undefined || (c.observedGeneration === generation && s.status?.observedGeneration === generation)) ? s : undefined;
    });

  test("a Website gets its ConfigMap, Deployment and Service, owned by it, and a Ready status for its generation", async () => {
    const created = await sites().create({ apiVersion: "examples.kube-codegen.dev/v1", kind: "Website", metadata: { name: "docs" }, spec: { content: "<h1>hello</h1>", replicas: 2 } });
    const site = await ready("docs", created.metadata.generation);
    const ref = { apiVersion: "examples.kube-codegen.dev/v1", kind: "Website", name: "docs", uid: site.metadata.uid, controller: true, blockOwnerDeletion: true };
    const cm = await until("ConfigMap", () => operator.clientset.coreV1.configMaps(ns).get("docs-content"));
    const dep = await operator.clientset.appsV1.deployments(ns).get("docs");
    const svc = await operator.clientset.coreV1.services(ns).get("docs");
    for (const child of [cm, dep, svc]) expect(child.metadata.ownerReferences).toEqual([ref]);
    expect(cm.data?.["index.html"]).toBe("<h1>hello</h1>");
    expect(dep.spec?.replicas).toBe(2);
    expect(site.metadata.finalizers).toEqual([FINALIZER]);
    expect(site.status?.conditions?.find((c) => c.type === "Progressing")).toMatchObject({ status: "True", reason: "RollingOut" }); // no kubelet here
    expect(records.get(ns, "docs")).toMatchObject({ url: `http://docs.${ns}.svc` });
  });

  test("under the manager: it holds the Lease, answers its probes and metrics, and kubectl describe shows its Events", async () => {
    const lease = await operator.clientset.coordinationV1.leases(ns).get(LEADER_ELECTION_ID);
    expect(lease.spec).toMatchObject({ holderIdentity: "website-operator-test", leaseDurationSeconds: 30 });
    const { health, metrics } = operator.manager.addresses;
    expect(await (await fetch(`${health}/readyz?verbose`)).text()).toContain("[+]informers-synced ok");
    expect((await fetch(`${health}/healthz`)).status).toBe(200);
    const text = await (await fetch(`${metrics}/metrics`)).text();
    expect(text).toMatch(/^controller_runtime_reconcile_total\{controller="website",result="requeue_after"\} [1-9]/m); // no kubelet: pods never come, it looks again later
    expect(text).toMatch(/^leader_election_master_status\{name="website-operator\.examples\.kube-codegen\.dev"\} 1$/m);
    const site = await sites().get("docs");
    const events = await until("the Website's Events", async () => {
      const list = await operator.clientset.eventsV1.events(ns).list();
      const mine = list.items.filter((e) => e.regarding?.uid === site.metadata.uid);
      return mine.length > 0 ? mine : undefined;
    });
    expect(events[0]).toMatchObject({ reason: "ChildrenApplied", action: "Apply", type: "Normal", reportingController: "website-operator", regarding: { kind: "Website", name: "docs", namespace: ns } });
  });

  test("a spec change reconciles (generation 2); a status-only update does not", async () => {
    const site = await sites().get("docs");
    await sites().update({ ...site, spec: { content: "<h1>v2</h1>", replicas: 2 } });
    await ready("docs", 2);
    await until("the new content", async () => (await operator.clientset.coreV1.configMaps(ns).get("docs-content")).data?.["index.html"] === "<h1>v2</h1>" || undefined);
    const before = operator.reconciles.filter((r) => r === `${ns}/docs`).length;
    const fresh = await sites().get("docs");
    await sites().updateStatus({ ...fresh, status: { ...fresh.status, url: "http://changed-by-hand" } });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(operator.reconciles.filter((r) => r === `${ns}/docs`).length).toBe(before);
  });

  test("deleting an owned Deployment re-creates it", async () => {
    const old = await operator.clientset.appsV1.deployments(ns).get("docs");
    await operator.clientset.appsV1.deployments(ns).delete("docs");
    const again = await until("a new Deployment", async () => {
      try {
        const d = await operator.clientset.appsV1.deployments(ns).get("docs");
        return d.metadata.uid !== old.metadata.uid ? d : undefined;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    });
    expect(again.metadata.ownerReferences?.[0]?.name).toBe("docs");
  });

  test("deleting a Website: the cleanup runs once in effect (even when the reconcile fails after it), then the real GC removes the children", async () => {
    failNext = 1;
    await sites().delete("docs");
    await until("the Website gone", () => gone(() => sites().get("docs")));
    expect(operator.cleanups()).toBe(1);
    expect(records.get(ns, "docs")).toBeUndefined();
    expect(operator.controller.metrics().reconcileErrors).toBeGreaterThanOrEqual(1);
    await until("the garbage collector removing the Deployment", () => gone(() => operator.clientset.appsV1.deployments(ns).get("docs")), 60_000);
    await until("the garbage collector removing the Service", () => gone(() => operator.clientset.coreV1.services(ns).get("docs")), 60_000);
    await until("the garbage collector removing the ConfigMap", () => gone(() => operator.clientset.coreV1.configMaps(ns).get("docs-content")), 60_000);
  }, 120_000);

  test("an apiserver restart and an etcd compaction mid-run: every Website created around them gets Ready, none lost", async () => {
    const names = Array.from({ length: 6 }, (_v, i) => `site-${i}`);
    for (const name of names.slice(0, 3)) await sites().create({ apiVersion: "examples.kube-codegen.dev/v1", kind: "Website", metadata: { name }, spec: { content: name } });
    await own.api.restart();
    await own.api.compact();
    for (const name of names.slice(3)) {
      await until(`create ${name} after the restart`, async () => {
        try {
          return await sites().create({ apiVersion: "examples.kube-codegen.dev/v1", kind: "Website", metadata: { name }, spec: { content: name } });
        } catch {
          return undefined;
        }
      });
    }
    for (const name of names) await ready(name, 1);
    for (const name of names) expect(operator.reconciles).toContain(`${ns}/${name}`);
  }, 120_000);
});
