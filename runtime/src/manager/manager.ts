import { readFileSync } from "node:fs";
import type { InformerFactoryOptions, SharedInformerFactory } from "../cache/factory.js";
import { createResourceClient } from "../client/resource-client.js";
import { clientOptionsOf, type ClientConfig, type ClientOptions } from "../config.js";
import type { Controller } from "../controller/controller.js";
import { consoleLogger, type Logger } from "../controller/logger.js";
import { KubeError } from "../errors.js";
import { EventBroadcaster, restEventSink, type EventBroadcasterOptions, type EventRecorder } from "../events/broadcaster.js";
import { defaultIdentity, LeaderElector } from "../leaderelection/leader-elector.js";
import { leaseResource, LeaseLock, type LeaseClient } from "../leaderelection/lease-lock.js";
import type { RestClient } from "../rest/transport.js";
import { EndpointServer, parseBindAddress, type Route } from "./endpoints.js";
import { Checks, ping, type Checker } from "./health.js";
import { ManagerMetrics } from "./metrics.js";

/** Leader election of a manager (controller-runtime's `LeaderElection*` options). */
export interface ManagerLeaderElection {
  /** The Lease's name (controller-runtime's `LeaderElectionID`), such as `website-operator.example.com`. */
  readonly id: string;
  /** The Lease's namespace; default: the pod's own (from the service account), else an error. */
  readonly namespace?: string | undefined;
  /** Default: hostname (the pod's name) + `_` + a random UUID. */
  readonly identity?: string | undefined;
  readonly leaseDurationMs?: number | undefined;
  readonly renewDeadlineMs?: number | undefined;
  readonly retryPeriodMs?: number | undefined;
  /**
   * Clear the holder when the manager stops, after every leader-bound controller has stopped, so the
   * next replica takes over at once (default true; controller-runtime's default is false because it
   * cannot know that nothing runs on).
   */
  readonly releaseOnCancel?: boolean | undefined;
}

/** Options, with controller-runtime's defaults. */
export interface ManagerOptions<C extends { readonly rest: RestClient }, F extends { readonly factory: SharedInformerFactory }> {
  /** Makes the clientset: the generated `createClientset`. The manager adds its metrics hook to the options. */
  readonly newClientset: (options: ClientOptions) => C;
  /** Makes the informer factory: the generated `createInformerFactory`. */
  readonly newInformerFactory: (clientset: C, options: InformerFactoryOptions) => F;
  /** The connection (kubeconfig, context, timeouts, `qps`/`burst`); default: the usual kubeconfig. */
  readonly config?: ClientConfig | undefined;
  /** Options of the informers (namespace, selectors...). */
  readonly cache?: InformerFactoryOptions | undefined;
  /** Off by default. */
  readonly leaderElection?: ManagerLeaderElection | undefined;
  /** Where `/healthz` and `/readyz` are served, such as `":8081"`; off by default. */
  readonly healthProbeBindAddress?: string | undefined;
  /** Where `/metrics` is served, such as `":8080"`; off by default. May be the same as the probes'. */
  readonly metricsBindAddress?: string | undefined;
  /** How long in-flight reconciles may run on after stop is asked for (default 30 s); then their signal aborts. */
  readonly gracefulShutdownTimeoutMs?: number | undefined;
  /** Stop on SIGTERM and SIGINT: only when the manager owns the process (off by default). */
  readonly handleSignals?: boolean | undefined;
  /** prom-client's process and Node.js metrics on `/metrics` (default true). */
  readonly processMetrics?: boolean | undefined;
  /** Options of the event recorders. */
  readonly events?: Omit<EventBroadcasterOptions, "sink"> | undefined;
  readonly logger?: Logger | undefined;
}

/** How a controller runs under the manager. */
export interface AddOptions {
  /** Only while this replica leads (default true); false: on every replica. */
  readonly needLeaderElection?: boolean | undefined;
}

const SA_NAMESPACE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

/**
 * controller-runtime's manager: one connection, one informer factory, the controllers, event
 * recorders, leader election, probes and metrics. Build controllers from `manager.informers`, `add`
 * them, then `start`. Stopping (the signal, or SIGTERM/SIGINT with `handleSignals`) takes no new
 * work, lets in-flight reconciles finish up to the graceful timeout, stops the informers, releases
 * the lease, closes the endpoints and the connection; `start` then resolves. Losing leadership aborts
 * in-flight reconciles at once and makes `start` reject with `LeaderElectionLostError` after the same
 * clean stop: exit the process then (controller-runtime exits it itself).
 */
export class Manager<C extends { readonly rest: RestClient }, F extends { readonly factory: SharedInformerFactory }> {
  readonly clientset: C;
  readonly informers: F;
  readonly metrics: ManagerMetrics;
  readonly elector: LeaderElector | undefined;
  readonly #events: EventBroadcaster;
  readonly #log: Logger;
  readonly #healthz: Checks;
  readonly #readyz: Checks;
  readonly #controllers: { readonly controller: Controller; readonly leader: boolean }[] = [];
  #synced = false;
  #leading = false;
  #started = false;
  #servers: EndpointServer[] = [];
  #addresses: { health?: string; metrics?: string } = {};
  #resolveElected!: () => void;
  /** Resolves once this replica leads (at start without leader election). */
  readonly elected: Promise<void> = new Promise((r) => (this.#resolveElected = r));

  constructor(readonly options: ManagerOptions<C, F>) {
    this.#log = options.logger ?? consoleLogger();
    this.metrics = new ManagerMetrics(
      {
        controllers: () => this.#controllers.map((c) => c.controller),
        informers: () => this.informers.factory.informers(),
        leader: () => (this.elector === undefined ? undefined : { name: options.leaderElection?.id ?? "", leading: this.#leading }),
        events: () => this.#events.stats(),
      },
      { processMetrics: options.processMetrics },
    );
    const base = clientOptionsOf(options.config ?? {});
    const userHook = base.onRequest;
    this.clientset = options.newClientset({
      ...base,
      onRequest: (o) => {
        this.metrics.observeRequest(o);
        userHook?.(o);
      },
    });
    this.informers = options.newInformerFactory(this.clientset, options.cache ?? {});
    this.#events = new EventBroadcaster({ ...options.events, logger: options.events?.logger ?? this.#log, sink: restEventSink(this.clientset.rest) });
    this.#healthz = new Checks("healthz", (name, err) => this.#log.error(`healthz check ${name} failed`, err));
    this.#readyz = new Checks("readyz", (name, err) => this.#log.error(`readyz check ${name} failed`, err));
    this.#healthz.add("ping", ping);
    this.#readyz.add("ping", ping);
    this.#readyz.add("informers-synced", () => {
      if (!this.#synced) throw new KubeError("the informers' caches have not synced yet");
    });
    const le = options.leaderElection;
    if (le !== undefined) {
      const namespace = le.namespace ?? podNamespace();
      const leases = createResourceClient(this.clientset.rest, leaseResource, namespace) as unknown as LeaseClient;
      this.elector = new LeaderElector({
        lock: new LeaseLock(leases, namespace, le.id, le.identity ?? defaultIdentity()),
        leaseDurationMs: le.leaseDurationMs,
        renewDeadlineMs: le.renewDeadlineMs,
        retryPeriodMs: le.retryPeriodMs,
        releaseOnCancel: le.releaseOnCancel ?? true,
        logger: this.#log,
        onNewLeader: (id) => this.#log.info("new leader", { lease: `${namespace}/${le.id}`, leader: id }),
      });
      const elector = this.elector;
      this.#healthz.add("leader-election", () => elector.check());
    }
  }

  /** Adds a controller; it runs only while this replica leads unless `needLeaderElection: false`. */
  add(controller: Controller, options: AddOptions = {}): this {
    if (this.#started) throw new KubeError(`manager: add controller ${controller.name} before start`);
    if (this.#controllers.some((c) => c.controller.name === controller.name)) throw new KubeError(`manager: a controller named ${controller.name} is added already (names label the metrics)`);
    this.#controllers.push({ controller, leader: options.needLeaderElection ?? true });
    return this;
  }

  /** An event recorder reporting as `name` (controller-runtime's `GetEventRecorderFor`). */
  eventRecorderFor(name: string): EventRecorder {
    return this.#events.newRecorder(name);
  }

  /** Adds a named liveness check to `/healthz`. */
  addHealthzCheck(name: string, check: Checker): void {
    this.#healthz.add(name, check);
  }

  /** Adds a named readiness check to `/readyz`. */
  addReadyzCheck(name: string, check: Checker): void {
    this.#readyz.add(name, check);
  }

  /** The URLs the endpoints listen on, once `start` has bound them (port 0 resolved). */
  get addresses(): { readonly health?: string; readonly metrics?: string } {
    return this.#addresses;
  }

  /** Whether this replica leads now: from leadership won until it is lost or given up (always true without leader election, once started). */
  get leading(): boolean {
    return this.#leading;
  }

  /** Whether the informers' caches have synced. */
  get synced(): boolean {
    return this.#synced;
  }

  /** The event recorders' counts. */
  eventStats(): ReturnType<EventBroadcaster["stats"]> {
    return this.#events.stats();
  }

  /**
   * Runs everything until `signal` aborts (or SIGTERM/SIGINT with `handleSignals`), then stops it all
   * (see the class). Resolves after a clean stop; rejects after the same stop when leadership was
   * lost or a controller failed to start (its caches did not sync). A manager starts once.
   */
  async start(signal: AbortSignal = new AbortController().signal): Promise<void> {
    if (this.#started) throw new KubeError("manager was started already");
    this.#started = true;
    const stop = new AbortController();
    let failure: unknown;
    const fail = (err: unknown): void => {
      failure ??= err;
      stop.abort(err);
    };
    const onSignal = (name: string) => () => {
      this.#log.info(`${name}: stopping`);
      stop.abort(new KubeError(`stopped by ${name}`));
    };
    const handlers = this.options.handleSignals === true ? (["SIGTERM", "SIGINT"] as const).map((s) => [s, onSignal(s)] as const) : [];
    for (const [s, h] of handlers) process.once(s, h);
    const onAbort = (): void => stop.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) onAbort();
    const hard = new AbortController();
    const runs = new Set<Promise<void>>();
    const run = (c: Controller, s: AbortSignal, inFlight: AbortSignal): void => {
      const p: Promise<void> = c.start(s, { abortInFlight: inFlight }).catch(fail);
      runs.add(p);
    };
    const election = new AbortController();
    let elector: Promise<void> = Promise.resolve();
    try {
      await this.#listen();
      this.informers.factory.start();
      void this.informers.factory.waitForCacheSync(stop.signal).then(
        () => (this.#synced = true),
        () => undefined,
      );
      for (const c of this.#controllers) if (!c.leader) run(c.controller, stop.signal, hard.signal);
      const bound = this.#controllers.filter((c) => c.leader);
      if (this.elector === undefined) {
        this.#leading = true;
        this.#resolveElected();
        for (const c of bound) run(c.controller, stop.signal, hard.signal);
      } else {
        elector = this.elector.run(election.signal, {
          onStartedLeading: (leading) => {
            this.#log.info("leading", { identity: this.elector?.identity });
            this.#leading = true;
            this.#resolveElected();
            const both = AbortSignal.any([stop.signal, leading]);
            const inFlight = AbortSignal.any([hard.signal, leading]);
            leading.addEventListener("abort", () => {
              this.#leading = false;
              if (!election.signal.aborted) fail(leading.reason);
            }, { once: true });
            for (const c of bound) run(c.controller, both, inFlight);
          },
        });
        void elector.then(() => {
          if (!election.signal.aborted) fail(new KubeError("leader election ended"));
        });
      }
      if (!stop.signal.aborted) await new Promise<void>((r) => stop.signal.addEventListener("abort", () => r(), { once: true }));
    } catch (err) {
      fail(err);
    } finally {
      // Stop: no new work; in-flight reconciles get the graceful timeout, then their signal aborts.
      const timer = setTimeout(() => hard.abort(new KubeError(`graceful shutdown timed out after ${this.options.gracefulShutdownTimeoutMs ?? 30_000} ms`)), this.options.gracefulShutdownTimeoutMs ?? 30_000);
      while (runs.size > 0) {
        const all = [...runs];
        await Promise.all(all);
        for (const p of all) runs.delete(p);
      }
      clearTimeout(timer);
      if (this.elector === undefined) this.#leading = false;
      election.abort(new KubeError("manager stopping"));
      await elector; // releases the lease (releaseOnCancel) once nothing leader-bound runs
      await this.#events.shutdown();
      await this.informers.factory.shutdown();
      await Promise.all(this.#servers.map((s) => s.close()));
      this.#servers = [];
      this.clientset.rest.close();
      signal.removeEventListener("abort", onAbort);
      for (const [s, h] of handlers) process.off(s, h);
    }
    if (failure !== undefined) throw failure;
  }

  async #listen(): Promise<void> {
    const health = parseBindAddress(this.options.healthProbeBindAddress ?? "");
    const metrics = parseBindAddress(this.options.metricsBindAddress ?? "");
    const probes: Route = async (req, res, url) => (await this.#healthz.handle(req, res, url)) || this.#readyz.handle(req, res, url);
    const scrape: Route = async (_req, res, url) => {
      if (url.pathname !== "/metrics") return false;
      const { contentType, body } = await this.metrics.scrape();
      res.writeHead(200, { "content-type": contentType }).end(body);
      return true;
    };
    const onError = (err: unknown): void => this.#log.error("endpoint failed", err);
    const same = health !== undefined && metrics !== undefined && health.port !== 0 && health.port === metrics.port && health.host === metrics.host;
    if (same) {
      const s = await EndpointServer.listen(health, [probes, scrape], onError);
      this.#servers.push(s);
      this.#addresses = { health: s.url, metrics: s.url };
      return;
    }
    if (health !== undefined) {
      const s = await EndpointServer.listen(health, [probes], onError);
      this.#servers.push(s);
      this.#addresses = { ...this.#addresses, health: s.url };
    }
    if (metrics !== undefined) {
      const s = await EndpointServer.listen(metrics, [scrape], onError);
      this.#servers.push(s);
      this.#addresses = { ...this.#addresses, metrics: s.url };
    }
  }
}

function podNamespace(): string {
  try {
    return readFileSync(SA_NAMESPACE, "utf8").trim();
  } catch {
    throw new KubeError("leader election: no namespace given and not running in a cluster (no service account namespace file): set leaderElection.namespace");
  }
}

/** Creates a {@link Manager}. */
export function createManager<C extends { readonly rest: RestClient }, F extends { readonly factory: SharedInformerFactory }>(options: ManagerOptions<C, F>): Manager<C, F> {
  return new Manager(options);
}
