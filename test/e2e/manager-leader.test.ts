import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { createClientset, type Clientset } from "@kube-codegen/api";
import { LeaderElectionLostError } from "@kube-codegen/runtime";
import { ApiProxy } from "../support/api-proxy.js";
import { describeE2E } from "../support/e2e.js";
import { SHORT, startReplica, until, WriteLog, type Replica } from "./manager-support.js";
import { freshNamespace } from "./support.js";

// CONTROLLER.md §6 item 7 against the real apiserver: managers with leader election on a Lease,
// each reconciling every ConfigMap of a namespace over and over (requeueAfter 100 ms), stamping its
// identity into the object (data.writer, fieldManager). The server's order of writes is read from a
// watch. Short timings: lease 3 s, renew deadline 2 s, retry period 0.5 s.

describeE2E("manager: leader election on a Lease against the real apiserver", (server) => {
  let cs: Clientset;
  const proxies: ApiProxy[] = [];
  const replicas: Replica[] = [];
  const target = { url: server.url, caPem: server.caPem, token: server.adminToken };
  const direct = { kubeconfigPath: server.kubeconfigPath, context: "admin" };

  beforeAll(async () => {
    cs = createClientset(direct);
  }, 60_000);

  afterAll(async () => {
    for (const r of replicas) r.stop.abort();
    await Promise.all(replicas.map((r) => r.done));
    for (const p of proxies) await p.stop();
    cs.rest.close();
  });

  const via = async (): Promise<ApiProxy> => {
    const p = await ApiProxy.start(target);
    proxies.push(p);
    return p;
  };
  const run = (r: Replica): Replica => (replicas.push(r), r);
  /** A fresh namespace with three ConfigMaps, and a log of the writes to them. */
  const setup = async (prefix: string): Promise<{ ns: string; log: WriteLog; lease: (id: string) => ReturnType<ReturnType<Clientset["coordinationV1"]["leases"]>["get"]> }> => {
    const ns = await freshNamespace(cs.rest, prefix);
    for (const name of ["a", "b", "c"]) await cs.coreV1.configMaps(ns).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: {} });
    const log = new WriteLog(cs, ns, (await cs.coreV1.configMaps(ns).list()).metadata.resourceVersion ?? "");
    return { ns, log, lease: (id) => cs.coordinationV1.leases(ns).get(id) };
  };

  test("two managers: exactly one reconciles; aborting it hands over within the lease duration plus the jittered retry, and no two write at once", async () => {
    const { ns, log, lease } = await setup("leader-abort");
    const a = run(startReplica("replica-a", direct, ns, { id: "abort", releaseOnCancel: false }));
    await until("a leads", () => a.acquiredAt);
    const b = run(startReplica("replica-b", direct, ns, { id: "abort", releaseOnCancel: false }));
    await until("b's caches", () => b.manager.synced);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(b.acquiredAt).toBeUndefined();
    expect(b.reconcileTimes).toHaveLength(0);
    expect(a.reconcileTimes.length).toBeGreaterThan(10);
    const aborted = Date.now();
    a.stop.abort(); // no release: b must wait the lease out
    expect(await a.done).toBeUndefined();
    await until("b leads", () => b.acquiredAt, 15_000);
    const handover = (b.acquiredAt ?? 0) - aborted;
    process.stderr.write(`manager e2e: handover after abort (no release) took ${handover} ms (lease 3000, retry 500)\n`);
    // b's expiry starts when it last saw a's record change (≤ one jittered retry, 1.1 s, after a's last
    // renewal), then b notices at its next jittered retry (≤ 1.1 s).
    expect(handover).toBeGreaterThanOrEqual(SHORT.leaseDurationMs - SHORT.retryPeriodMs);
    expect(handover).toBeLessThanOrEqual(SHORT.leaseDurationMs + 2 * 2.2 * SHORT.retryPeriodMs + 500);
    await until("b writes", () => log.writes.some((w) => w.writer === "replica-b"));
    await new Promise((r) => setTimeout(r, 500));
    await log.stop();
    // The server's order: a's writes, then b's — never interleaved.
    expect(log.runs().map(([w]) => w)).toEqual(["replica-a", "replica-b"]);
    expect((await cs.coreV1.configMaps(ns).get("a")).data?.["writer"]).toBe("replica-b");
    expect((await lease("abort")).spec).toMatchObject({ holderIdentity: "replica-b", leaseTransitions: 1, leaseDurationSeconds: 3 });
    b.stop.abort();
    await b.done;
  }, 60_000);

  test("cutting the leader's connection: it stops leading (and reconciling) before the lease could expire for the other, which takes over", async () => {
    const pa = await via();
    const pb = await via();
    const { ns, log, lease } = await setup("leader-cut");
    const a = run(startReplica("cut-a", { kubeconfigPath: pa.kubeconfigPath() }, ns, { id: "cut" }));
    await until("a leads", () => a.acquiredAt);
    const b = run(startReplica("cut-b", { kubeconfigPath: pb.kubeconfigPath() }, ns, { id: "cut" }));
    await until("b's caches", () => b.manager.synced);
    await until("a writes", () => log.writes.some((w) => w.writer === "cut-a"));
    const cut = Date.now();
    pa.refuse = true;
    pa.cutConnections();
    const err = await a.done; // the manager stops by itself, and says why
    expect(err).toBeInstanceOf(LeaderElectionLostError);
    const stoppedLeading = a.lostAt ?? Date.now();
    await until("b leads", () => b.acquiredAt, 15_000);
    const lastA = Math.max(...a.reconcileTimes);
    process.stderr.write(`manager e2e: cut at 0, a stopped leading at ${stoppedLeading - cut} ms, last reconcile start ${lastA - cut} ms, b leads at ${(b.acquiredAt ?? 0) - cut} ms\n`);
    // a gives up within one retry period plus the renew deadline of its last renewal
    expect(stoppedLeading - cut).toBeLessThanOrEqual(SHORT.retryPeriodMs + SHORT.renewDeadlineMs + 300);
    expect(lastA).toBeLessThan(b.acquiredAt ?? 0);
    expect(stoppedLeading).toBeLessThan(b.acquiredAt ?? 0);
    expect((b.acquiredAt ?? 0) - cut).toBeGreaterThanOrEqual(SHORT.leaseDurationMs - SHORT.retryPeriodMs);
    await until("b writes", () => log.writes.some((w) => w.writer === "cut-b"));
    await new Promise((r) => setTimeout(r, 300));
    await log.stop();
    expect(log.runs().map(([w]) => w)).toEqual(["cut-a", "cut-b"]);
    expect((await lease("cut")).spec?.holderIdentity).toBe("cut-b");
    b.stop.abort();
    expect(await b.done).toBeUndefined();
  }, 60_000);

  test("release on cancel hands over at once; leaseTransitions counts every handover", async () => {
    const { ns, log, lease } = await setup("leader-release");
    const ids = ["rel-1", "rel-2", "rel-3"];
    const rs = ids.map((id) => run(startReplica(id, direct, ns, { id: "release" })));
    const order: string[] = [];
    for (let handovers = 0; handovers < 3; handovers++) {
      const leader = await until("a leader", () => rs.find((r) => r.acquiredAt !== undefined && !order.includes(r.identity)));
      order.push(leader.identity);
      await until("it writes", () => log.writes.some((w) => w.writer === leader.identity));
      if (handovers === 2) break;
      const stopped = Date.now();
      leader.stop.abort();
      expect(await leader.done).toBeUndefined();
      expect((await lease("release")).spec?.holderIdentity).toBe("");
      const next = await until("the next leader", () => rs.find((r) => r.acquiredAt !== undefined && !order.includes(r.identity)), 10_000);
      const took = (next.acquiredAt ?? 0) - stopped;
      process.stderr.write(`manager e2e: handover on release took ${took} ms (graceful stop included)\n`);
      expect(took).toBeLessThan(SHORT.leaseDurationMs);
    }
    await new Promise((r) => setTimeout(r, 300));
    await log.stop();
    expect(log.runs().map(([w]) => w)).toEqual(order);
    expect((await lease("release")).spec?.leaseTransitions).toBe(2);
    const last = rs.find((r) => r.identity === order[2]);
    last?.stop.abort();
    await last?.done;
    expect((await lease("release")).spec?.holderIdentity).toBe("");
  }, 60_000);
});
