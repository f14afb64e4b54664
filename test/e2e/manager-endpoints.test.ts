import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { createClientset, type Clientset } from "@kube-codegen/api";
import { EventBroadcaster, restEventSink, silentLogger, type EventObject, type KubeObject } from "@kube-codegen/runtime";
import { ApiProxy } from "../support/api-proxy.js";
import { describeE2E } from "../support/e2e.js";
import { parsePrometheusText } from "../support/prometheus-text.js";
import { startReplica, until, type Replica } from "./manager-support.js";
import { freshNamespace } from "./support.js";

// CONTROLLER.md §5 and §6 item 10 against the real apiserver: the manager's endpoints, and Events.

describeE2E("manager: probes, metrics and events against the real apiserver", (server) => {
  let cs: Clientset;
  let ns: string;
  let proxy: ApiProxy;
  let replica: Replica | undefined;
  const direct = { kubeconfigPath: server.kubeconfigPath, context: "admin" };

  beforeAll(async () => {
    cs = createClientset(direct);
    ns = await freshNamespace(cs.rest, "endpoints");
    await cs.coreV1.configMaps(ns).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "one" }, data: {} });
    proxy = await ApiProxy.start({ url: server.url, caPem: server.caPem, token: server.adminToken });
  }, 60_000);

  afterAll(async () => {
    replica?.stop.abort();
    await replica?.done;
    await proxy.stop();
    cs.rest.close();
  });

  const get = async (url: string): Promise<{ status: number; body: string; type: string }> => {
    const res = await fetch(url);
    return { status: res.status, body: await res.text(), type: res.headers.get("content-type") ?? "" };
  };

  test("/readyz is false until the caches synced, then true; /healthz answers; a failing named check shows in ?verbose; /metrics parses with controller-runtime's names", async () => {
    proxy.refuse = true; // the caches cannot sync yet
    replica = startReplica("endpoints-1", { kubeconfigPath: proxy.kubeconfigPath() }, ns, { id: "endpoints" }, { healthProbeBindAddress: "127.0.0.1:0", metricsBindAddress: "127.0.0.1:0" });
    const mgr = replica.manager;
    let broken = true;
    mgr.addReadyzCheck("webhook-certs", () => {
      if (broken) throw new Error("certificates not loaded");
    });
    const health = await until("the probe endpoint", () => mgr.addresses.health);
    const metricsUrl = await until("the metrics endpoint", () => mgr.addresses.metrics);
    expect((await get(`${health}/healthz`))).toMatchObject({ status: 200, body: "ok" });
    const notReady = await get(`${health}/readyz?verbose`);
    expect(notReady.status).toBe(500);
    expect(notReady.body).toBe("[+]ping ok\n[-]informers-synced failed: reason withheld\n[-]webhook-certs failed: reason withheld\nreadyz check failed\n");
    expect((await get(`${health}/readyz/ping`)).status).toBe(200);
    expect((await get(`${health}/readyz/nope`)).status).toBe(404);
    proxy.refuse = false;
    await until("synced", () => mgr.synced);
    const still = await get(`${health}/readyz?verbose&exclude=webhook-certs`);
    expect(still).toMatchObject({ status: 200, body: "[+]ping ok\n[+]informers-synced ok\nreadyz check passed\n" });
    expect((await get(`${health}/readyz`)).status).toBe(500);
    broken = false;
    expect(await get(`${health}/readyz`)).toMatchObject({ status: 200, body: "ok" });
    expect((await get(`${health}/healthz?verbose`)).body).toBe("[+]ping ok\n[+]leader-election ok\nhealthz check passed\n");
    expect((await fetch(`${health}/healthz`, { method: "POST" })).status).toBe(405);

    // Five reconciles finished (started is not enough: two may still be in flight), as /metrics counts them.
    const scraped = await until("five finished reconciles on /metrics", async () => {
      const s = await get(`${metricsUrl}/metrics`);
      const total = parsePrometheusText(s.body).find((f) => f.name === "controller_runtime_reconcile_total");
      return Number(total?.metrics.find((m) => m.labels?.["result"] === "requeue_after")?.value ?? 0) >= 5 && s;
    });
    expect(scraped.status).toBe(200);
    expect(scraped.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = new Map(parsePrometheusText(scraped.body).map((f) => [f.name, f]));
    const want: Record<string, string> = {
      controller_runtime_reconcile_total: "COUNTER",
      controller_runtime_reconcile_errors_total: "COUNTER",
      controller_runtime_terminal_reconcile_errors_total: "COUNTER",
      controller_runtime_reconcile_time_seconds: "HISTOGRAM",
      controller_runtime_active_workers: "GAUGE",
      controller_runtime_max_concurrent_reconciles: "GAUGE",
      workqueue_depth: "GAUGE",
      workqueue_adds_total: "COUNTER",
      workqueue_queue_duration_seconds: "HISTOGRAM",
      workqueue_work_duration_seconds: "HISTOGRAM",
      workqueue_unfinished_work_seconds: "GAUGE",
      workqueue_longest_running_processor_seconds: "GAUGE",
      workqueue_retries_total: "COUNTER",
      rest_client_requests_total: "COUNTER",
      rest_client_request_duration_seconds: "HISTOGRAM",
      leader_election_master_status: "GAUGE",
      kube_codegen_informer_synced: "GAUGE",
      kube_codegen_events_total: "COUNTER",
    };
    for (const [name, type] of Object.entries(want)) expect([name, families.get(name)?.type]).toEqual([name, type]);
    const reconciles = families.get("controller_runtime_reconcile_total")?.metrics ?? [];
    expect(reconciles.map((m) => m.labels?.["result"]).sort()).toEqual(["error", "requeue", "requeue_after", "success"]);
    expect(reconciles.every((m) => m.labels?.["controller"] === "stamper")).toBe(true);
    expect(Number(reconciles.find((m) => m.labels?.["result"] === "requeue_after")?.value)).toBeGreaterThanOrEqual(5);
    expect(families.get("workqueue_adds_total")?.metrics[0]?.labels).toEqual({ name: "stamper" });
    expect(families.get("controller_runtime_max_concurrent_reconciles")?.metrics[0]).toMatchObject({ labels: { controller: "stamper" }, value: "2" });
    // (the parser folds labelled histograms badly: read their lines from the text)
    const count = /^controller_runtime_reconcile_time_seconds_count\{controller="stamper"\} (\d+)$/m.exec(scraped.body);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(5);
    expect(scraped.body).toMatch(/^controller_runtime_reconcile_time_seconds_bucket\{controller="stamper",le="0\.005"\} \d+$/m);
    expect(scraped.body).toMatch(/^controller_runtime_reconcile_time_seconds_bucket\{controller="stamper",le="\+Inf"\} \d+$/m);
    expect(scraped.body).toMatch(/^workqueue_queue_duration_seconds_bucket\{name="stamper",le="1e-8"\} \d+$/m);
    const requests = families.get("rest_client_requests_total")?.metrics ?? [];
    expect(requests.some((m) => m.labels?.["method"] === "PATCH" && m.labels["code"] === "200" && m.labels["host"] === new URL(proxy.url).host)).toBe(true);
    expect(requests.some((m) => m.labels?.["method"] === "GET" && m.labels["code"] === "<error>")).toBe(true); // the refused connections
    expect(families.get("leader_election_master_status")?.metrics[0]).toMatchObject({ labels: { name: "endpoints" }, value: "1" });
    expect(families.get("kube_codegen_informer_synced")?.metrics[0]).toMatchObject({ labels: { resource: "configmaps/v1" }, value: "1" });
    expect((await get(`${metricsUrl}/nothing`)).status).toBe(404);
    replica.stop.abort();
    expect(await replica.done).toBeUndefined();
    await expect(fetch(`${health}/healthz`)).rejects.toThrow(); // closed with the manager
  }, 60_000);

  const eventsAbout = async (name: string): Promise<EventObject[]> => {
    const list = await cs.eventsV1.events(ns).list();
    return (list.items as unknown as EventObject[]).filter((e) => e.regarding.name === name && e.reportingController === "website-controller");
  };

  test("100 identical events make one Event with series.count 100; 10,000 in a burst return at once and are rate limited as documented", async () => {
    const cm = await cs.coreV1.configMaps(ns).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "noisy" }, data: {} });
    const events = new EventBroadcaster({ sink: restEventSink(cs.rest), logger: silentLogger });
    const rec = events.newRecorder("website-controller");
    for (let i = 0; i < 100; i++) rec.event(cm as KubeObject, "Warning", "SyncFailed", "Reconcile", `attempt ${i}`);
    await events.flush();
    const one = await eventsAbout("noisy");
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ reason: "SyncFailed", action: "Reconcile", type: "Warning", note: "attempt 0", reportingController: "website-controller", series: { count: 100 } });
    expect(one[0]?.reportingInstance).toMatch(/^website-controller-/);
    expect(one[0]?.regarding).toMatchObject({ kind: "ConfigMap", apiVersion: "v1", name: "noisy", namespace: ns, uid: cm.metadata.uid });

    const other = await cs.coreV1.configMaps(ns).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "flood" }, data: {} });
    for (let i = 0; i < 10_000; i++) rec.event(other as KubeObject, "Normal", `Step${i}`, "Reconcile");
    // Nothing was written while recording: every call returned before any request.
    expect(events.stats()).toMatchObject({ rateLimited: 10_000 - 25 });
    const writtenBefore = events.stats().written;
    await events.flush();
    expect(events.stats().written - writtenBefore).toBe(25);
    expect(await eventsAbout("flood")).toHaveLength(25);
    await events.shutdown();
  }, 60_000);
});
