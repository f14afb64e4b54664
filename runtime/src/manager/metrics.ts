import { collectDefaultMetrics, Counter, Histogram, Registry, type Metric } from "prom-client";
import type { SharedInformer } from "../cache/informer.js";
import type { KubeObject } from "../client/types.js";
import type { RequestObservation } from "../config.js";
import type { Controller } from "../controller/controller.js";
import type { EventStats } from "../events/broadcaster.js";
import type { DurationSummary } from "../queue/metrics.js";

/** What the metrics read when scraped. */
export interface MetricsSources {
  /** The controllers whose `metrics()` are read. */
  readonly controllers: () => readonly Controller[];
  /** The informers whose stats are read. */
  readonly informers: () => readonly SharedInformer<KubeObject>[];
  /** The lease's name and whether this replica leads; undefined without leader election. */
  readonly leader: () => { readonly name: string; readonly leading: boolean } | undefined;
  /** The event recorders' counts. */
  readonly events: () => EventStats;
}

interface Sample {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly metricName?: string;
}

type Kind = "counter" | "gauge" | "histogram";

/** client-go's REST client latency buckets (seconds). */
const REST_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

/**
 * A Prometheus registry of the manager (its own, never prom-client's global one): the controllers'
 * `controller_runtime_*` and their queues' `workqueue_*` (controller-runtime's names and labels, read
 * from `controller.metrics()` at each scrape), client-go's `rest_client_*` (from the REST client's
 * request hook), `leader_election_master_status`, the informers' and the event recorder's counts, and
 * prom-client's process and Node.js metrics.
 */
export class ManagerMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<"code" | "method" | "host">;
  readonly #latency: Histogram<"verb" | "host">;
  readonly #throttled: Histogram<"verb" | "host">;

  constructor(sources: MetricsSources, options: { readonly processMetrics?: boolean | undefined } = {}) {
    const r = this.registry;
    this.#requests = new Counter({ name: "rest_client_requests_total", help: "Number of HTTP requests, partitioned by status code, method, and host.", labelNames: ["code", "method", "host"], registers: [r] });
    this.#latency = new Histogram({ name: "rest_client_request_duration_seconds", help: "Request latency in seconds. Broken down by verb, and host.", labelNames: ["verb", "host"], buckets: REST_BUCKETS, registers: [r] });
    this.#throttled = new Histogram({ name: "rest_client_rate_limiter_duration_seconds", help: "Client side rate limiter latency in seconds. Broken down by verb, and host.", labelNames: ["verb", "host"], buckets: REST_BUCKETS, registers: [r] });
    const each = <T>(items: () => readonly T[], fn: (item: T) => Sample[]) => () => items().flatMap(fn);
    const ctl = (fn: (c: Controller, m: ReturnType<Controller["metrics"]>) => Sample[]) => each(sources.controllers, (c) => fn(c, c.metrics()));
    const add = (name: string, help: string, type: Kind, collect: () => Sample[]): void => register(r, name, help, type, collect);

    add("controller_runtime_reconcile_total", "Total number of reconciliations per controller", "counter", ctl((c, m) => (["success", "error", "requeue", "requeue_after"] as const).map((result) => ({ labels: { controller: c.name, result }, value: m.reconcileTotal[result] }))));
    add("controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller", "counter", ctl((c, m) => [{ labels: { controller: c.name }, value: m.reconcileErrors }]));
    add("controller_runtime_terminal_reconcile_errors_total", "Total number of terminal reconciliation errors per controller", "counter", ctl((c, m) => [{ labels: { controller: c.name }, value: m.terminalReconcileErrors }]));
    add("controller_runtime_reconcile_time_seconds", "Length of time per reconciliation per controller", "histogram", ctl((c, m) => histogram("controller_runtime_reconcile_time_seconds", { controller: c.name }, m.reconcileTime)));
    add("controller_runtime_active_workers", "Number of currently used workers per controller", "gauge", ctl((c, m) => [{ labels: { controller: c.name }, value: m.activeWorkers }]));
    add("controller_runtime_max_concurrent_reconciles", "Maximum number of concurrent reconciles per controller", "gauge", ctl((c, m) => [{ labels: { controller: c.name }, value: m.maxConcurrentReconciles }]));

    const q = (fn: (name: string, m: ReturnType<Controller["metrics"]>["queue"]) => Sample[]) => ctl((c, m) => fn(m.queue.name, m.queue));
    add("workqueue_depth", "Current depth of workqueue", "gauge", q((name, m) => [{ labels: { name }, value: m.depth }]));
    add("workqueue_adds_total", "Total number of adds handled by workqueue", "counter", q((name, m) => [{ labels: { name }, value: m.adds }]));
    add("workqueue_queue_duration_seconds", "How long in seconds an item stays in workqueue before being requested", "histogram", q((name, m) => histogram("workqueue_queue_duration_seconds", { name }, m.queueDuration)));
    add("workqueue_work_duration_seconds", "How long in seconds processing an item from workqueue takes.", "histogram", q((name, m) => histogram("workqueue_work_duration_seconds", { name }, m.workDuration)));
    add("workqueue_unfinished_work_seconds", "How many seconds of work has been done that is in progress and hasn't been observed by work_duration.", "gauge", q((name, m) => [{ labels: { name }, value: m.unfinishedWorkSeconds }]));
    add("workqueue_longest_running_processor_seconds", "How many seconds has the longest running processor for workqueue been running.", "gauge", q((name, m) => [{ labels: { name }, value: m.longestRunningProcessorSeconds }]));
    add("workqueue_retries_total", "Total number of retries handled by workqueue", "counter", q((name, m) => [{ labels: { name }, value: m.retries }]));

    add("leader_election_master_status", "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease.", "gauge", () => {
      const l = sources.leader();
      return l === undefined ? [] : [{ labels: { name: l.name }, value: l.leading ? 1 : 0 }];
    });

    const inf = (fn: (resource: string, i: SharedInformer<KubeObject>) => number) => each(sources.informers, (i) => [{ labels: { resource: resourceOf(i) }, value: fn(resourceOf(i), i) }]);
    add("kube_codegen_informer_lists_total", "Lists (paged or streaming) an informer made", "counter", inf((_r, i) => i.stats.lists + i.stats.streamingLists));
    add("kube_codegen_informer_relists_total", "Lists after the first (410 Gone or errors)", "counter", inf((_r, i) => i.stats.relists));
    add("kube_codegen_informer_watches_total", "Watches an informer opened", "counter", inf((_r, i) => i.stats.watches));
    add("kube_codegen_informer_watch_events_total", "Watch events (bookmarks included) applied to the cache", "counter", inf((_r, i) => i.stats.watchEvents));
    add("kube_codegen_informer_synced", "1 once the informer's cache has synced", "gauge", inf((_r, i) => (i.hasSynced() ? 1 : 0)));
    add("kube_codegen_informer_objects", "Objects in the informer's cache", "gauge", inf((_r, i) => i.store.size));

    add("kube_codegen_events_total", "Events recorded, by what became of them", "counter", () => {
      const s = sources.events();
      return (["recorded", "folded", "rateLimited", "dropped", "written", "failed", "invalid"] as const).map((k) => ({ labels: { outcome: k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) }, value: s[k] }));
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: r });
  }

  /** The REST client's hook: pass it as `onRequest` of the client options. */
  readonly observeRequest = (o: RequestObservation): void => {
    this.#requests.inc({ code: o.code, method: o.method, host: o.host });
    this.#latency.observe({ verb: o.method, host: o.host }, o.durationSeconds);
    this.#throttled.observe({ verb: o.method, host: o.host }, o.rateLimiterWaitSeconds);
  };

  /** The text exposition (format 0.0.4) and its content type. */
  async scrape(): Promise<{ readonly contentType: string; readonly body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/**
 * A metric read at scrape time. prom-client's metric classes only count what is observed through
 * them; these numbers are kept by the controllers and queues, so the registry gets an object with
 * the same `get()` contract its own metrics have.
 */
function register(registry: Registry, name: string, help: string, type: Kind, collect: () => Sample[]): void {
  const metric = { name, help, type, aggregator: "sum", get: async () => ({ name, help, type, aggregator: "sum", values: collect() }) };
  registry.registerMetric(metric as unknown as Metric);
}

function histogram(name: string, labels: Readonly<Record<string, string>>, s: DurationSummary): Sample[] {
  return [
    ...s.bounds.map((le, i) => ({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: s.buckets[i] ?? 0 })),
    { metricName: `${name}_bucket`, labels: { ...labels, le: "+Inf" }, value: s.count },
    { metricName: `${name}_sum`, labels, value: s.sum },
    { metricName: `${name}_count`, labels, value: s.count },
  ];
}

function resourceOf(i: SharedInformer<KubeObject>): string {
  const r = i.resource;
  return r === undefined ? "unknown" : `${r.plural}${r.group === "" ? "" : `.${r.group}`}/${r.version}`;
}
