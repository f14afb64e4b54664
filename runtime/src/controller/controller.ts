import type { HandlerRegistration } from "../cache/informer.js";
import type { KubeObject } from "../client/types.js";
import { KubeError } from "../errors.js";
import { realClock, type Clock } from "../queue/clock.js";
import { DurationHistogram, type DurationSummary, type QueueMetrics } from "../queue/metrics.js";
import type { RateLimiter } from "../queue/rate-limiter.js";
import { WorkQueue } from "../queue/work-queue.js";
import { consoleLogger, type Logger } from "./logger.js";
import type { Predicate } from "./predicates.js";
import { requestKey, type Request } from "./request.js";
import { enqueueing, ownerMap, selfMap, type MapFn, type Source } from "./sources.js";

/** What a reconcile asks for next. Nothing (or `{}`) means done until the next event. */
export interface Result {
  /** Reconcile again after this long (the item's failures are forgotten). */
  readonly requeueAfterMs?: number | undefined;
  /** Reconcile again after the rate limiter's delay (counted like a failure). */
  readonly requeue?: boolean | undefined;
}

/** What a reconcile gets besides its request. */
export interface ReconcileContext {
  /** Aborted at the per-reconcile timeout and when the controller stops for good. */
  readonly signal: AbortSignal;
  /** A logger with the controller, namespace and name bound. */
  readonly log: Logger;
}

/** Reconciles one object: read its current state (from listers), make the world match, say what next. */
export type Reconciler = (request: Request, context: ReconcileContext) => Promise<Result | void> | Result | void;

/**
 * An error that retrying cannot fix (invalid spec, missing permission by design): counted apart,
 * never requeued. Throw it from a reconcile, or wrap another error with {@link terminal}.
 */
export class TerminalError extends KubeError {
  override name = "TerminalError";
}

/** Wraps an error (or a message) as a {@link TerminalError}. */
export function terminal(error: unknown): TerminalError {
  if (error instanceof TerminalError) return error;
  return new TerminalError(error instanceof Error ? error.message : String(error), { cause: error });
}

/** A controller whose caches did not sync in time: names them. */
export class CacheSyncTimeoutError extends KubeError {
  override name = "CacheSyncTimeoutError";
}

/** Options, with controller-runtime's defaults. */
export interface ControllerOptions {
  /** Workers (default 1); one key is never reconciled by two at once. */
  readonly maxConcurrentReconciles?: number | undefined;
  /** Aborts a reconcile's signal after this long (default: no timeout). */
  readonly reconcileTimeoutMs?: number | undefined;
  /** How long `start` waits for the caches (default 2 minutes). */
  readonly cacheSyncTimeoutMs?: number | undefined;
  /** After `start`'s signal aborts, how long in-flight reconciles may go on before their signal aborts (default 30 s). */
  readonly gracefulShutdownTimeoutMs?: number | undefined;
  /** Retry delays (default: 5 ms × 2^failures up to 1000 s, max'ed with 10/s burst 100). */
  readonly rateLimiter?: RateLimiter | undefined;
  readonly clock?: Clock | undefined;
  /** Default: errors to stderr, nothing else. */
  readonly logger?: Logger | undefined;
}

/** controller-runtime's `controller_runtime_reconcile_time_seconds` buckets. */
export const RECONCILE_TIME_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5,
  4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/** The `controller_runtime_*` numbers of a controller (and its queue's `workqueue_*`), now. */
export interface ControllerMetrics {
  readonly name: string;
  /** `controller_runtime_reconcile_total{result}`. */
  readonly reconcileTotal: { readonly success: number; readonly error: number; readonly requeue: number; readonly requeue_after: number };
  readonly reconcileErrors: number;
  readonly terminalReconcileErrors: number;
  readonly reconcileTime: DurationSummary;
  readonly activeWorkers: number;
  readonly maxConcurrentReconciles: number;
  readonly queue: QueueMetrics;
}

/** One source of a controller: an informer, how its objects map to requests, and its filters. */
export interface Watch {
  readonly source: Source<KubeObject>;
  readonly map: MapFn<KubeObject>;
  readonly predicates: readonly Predicate<KubeObject>[];
}

/**
 * Builds a controller the way controller-runtime's builder reads:
 * `controller("website").for(websites).owns(deployments).withEventFilter(generationChanged()).reconcile(fn)`.
 */
export function controller(name: string, options: ControllerOptions = {}): ControllerBuilder<never> {
  return new ControllerBuilder<never>(name, options, undefined, [], []);
}

/** A controller being described; `reconcile` finishes it. */
export class ControllerBuilder<T extends KubeObject> {
  constructor(
    private readonly name: string,
    private readonly options: ControllerOptions,
    private readonly primary: Source<T> | undefined,
    private readonly sources: readonly Watch[],
    private readonly filters: readonly Predicate<KubeObject>[],
  ) {}

  /** The primary kind: each of its objects is a request. */
  for<P extends KubeObject>(source: Source<P>, ...predicates: Predicate<P>[]): ControllerBuilder<P> {
    if (this.primary !== undefined) throw new KubeError(`controller ${this.name}: for() is given twice`);
    const w = { source, map: selfMap<P>(), predicates } as unknown as Watch;
    return new ControllerBuilder<P>(this.name, this.options, source, [...this.sources, w], this.filters);
  }

  /** Owned kinds: an event maps to the owner named by the object's controller owner reference. */
  owns<O extends KubeObject>(source: Source<O>, ...predicates: Predicate<O>[]): ControllerBuilder<T> {
    const owner = this.primary?.resource;
    if (owner === undefined) throw new KubeError(`controller ${this.name}: owns() needs for() first, with an informer that names its resource (the factory's informers do)`);
    const w = { source, map: ownerMap<O>(owner), predicates } as unknown as Watch;
    return new ControllerBuilder<T>(this.name, this.options, this.primary, [...this.sources, w], this.filters);
  }

  /** Any informer and a function from its objects to requests ("the Websites that use this Secret"). */
  watches<O extends KubeObject>(source: Source<O>, map: MapFn<O>, ...predicates: Predicate<O>[]): ControllerBuilder<T> {
    const w = { source, map, predicates } as unknown as Watch;
    return new ControllerBuilder<T>(this.name, this.options, this.primary, [...this.sources, w], this.filters);
  }

  /** Predicates for every source of the controller. */
  withEventFilter(...predicates: Predicate<KubeObject>[]): ControllerBuilder<T> {
    return new ControllerBuilder<T>(this.name, this.options, this.primary, this.sources, [...this.filters, ...predicates]);
  }

  /** Other options. */
  withOptions(options: ControllerOptions): ControllerBuilder<T> {
    return new ControllerBuilder<T>(this.name, { ...this.options, ...options }, this.primary, this.sources, this.filters);
  }

  /** The finished controller; nothing runs until `start`. */
  reconcile(reconciler: Reconciler): Controller {
    if (this.sources.length === 0) throw new KubeError(`controller ${this.name}: nothing to watch: call for() (and owns() or watches())`);
    return new Controller(this.name, this.options, this.sources.map((w) => ({ ...w, predicates: [...this.filters, ...w.predicates] })), reconciler);
  }
}

/**
 * A running loop of: events → requests in a rate-limited queue → workers → reconcile → result
 * rules (controller-runtime's): a throw is retried with growing delays (a {@link TerminalError} is
 * not); `requeueAfterMs` forgets the failures and comes back after that long; `requeue` comes back
 * after the rate limiter's delay; nothing forgets the failures.
 */
export class Controller {
  readonly queue: WorkQueue<Request>;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #workers: number;
  readonly #totals = { success: 0, error: 0, requeue: 0, requeue_after: 0 };
  #errors = 0;
  #terminal = 0;
  #active = 0;
  readonly #time = new DurationHistogram(RECONCILE_TIME_BUCKETS);
  #started = false;

  constructor(
    readonly name: string,
    private readonly options: ControllerOptions,
    private readonly sources: readonly Watch[],
    private readonly reconciler: Reconciler,
  ) {
    this.#clock = options.clock ?? realClock;
    this.#log = options.logger ?? consoleLogger();
    this.#workers = Math.max(1, options.maxConcurrentReconciles ?? 1);
    this.queue = new WorkQueue<Request>({ name, key: requestKey, clock: this.#clock, rateLimiter: options.rateLimiter });
  }

  /**
   * Starts the sources, waits for their caches (rejects with {@link CacheSyncTimeoutError} naming
   * those that did not sync), then runs the workers until `signal` aborts. Then it takes no more
   * work, lets in-flight reconciles finish (their signal aborts after the graceful timeout), removes
   * its handlers and resolves. A controller starts once. When `options.abortInFlight` aborts (the
   * manager passes its leadership), it stops the same way but aborts in-flight reconciles at once.
   */
  async start(signal: AbortSignal, options: { readonly abortInFlight?: AbortSignal | undefined } = {}): Promise<void> {
    if (this.#started) throw new KubeError(`controller ${this.name} was started already`);
    this.#started = true;
    const registrations: HandlerRegistration[] = this.sources.map((w) => w.source.addEventHandler(enqueueing(w.map, w.predicates, (r) => this.queue.add(r))));
    const hard = new AbortController();
    const inFlight = options.abortInFlight;
    const onLost = (): void => {
      hard.abort(inFlight?.reason);
      this.queue.shutDown();
    };
    inFlight?.addEventListener("abort", onLost, { once: true });
    if (inFlight?.aborted === true) onLost();
    try {
      for (const w of this.sources) w.source.start();
      await this.#waitForSync(signal);
      if (signal.aborted) return;
      const onAbort = (): void => {
        this.queue.shutDown();
        const t = this.#clock.setTimer(() => hard.abort(new KubeError(`controller ${this.name} stopped`)), this.options.gracefulShutdownTimeoutMs ?? 30_000);
        void done.then(() => t.cancel());
      };
      const done = Promise.all(Array.from({ length: this.#workers }, () => this.#worker(hard.signal)));
      signal.addEventListener("abort", onAbort, { once: true });
      if (signal.aborted) onAbort();
      await done;
    } finally {
      inFlight?.removeEventListener("abort", onLost);
      this.queue.shutDown();
      for (const r of registrations) r.remove();
    }
  }

  /** The controller's numbers now. */
  metrics(): ControllerMetrics {
    return {
      name: this.name,
      reconcileTotal: { ...this.#totals },
      reconcileErrors: this.#errors,
      terminalReconcileErrors: this.#terminal,
      reconcileTime: this.#time.summary(),
      activeWorkers: this.#active,
      maxConcurrentReconciles: this.#workers,
      queue: this.queue.metrics(),
    };
  }

  async #waitForSync(signal: AbortSignal): Promise<void> {
    const timeoutMs = this.options.cacheSyncTimeoutMs ?? 120_000;
    const giveUp = new AbortController();
    const timer = this.#clock.setTimer(() => giveUp.abort(), timeoutMs);
    const onAbort = (): void => giveUp.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await Promise.all(this.sources.map((w) => w.source.waitForSync(giveUp.signal)));
    } catch (err) {
      if (signal.aborted) return;
      const unsynced = this.sources.filter((w) => !w.source.hasSynced()).map((w) => describe(w.source));
      throw new CacheSyncTimeoutError(`controller ${this.name}: caches not synced after ${timeoutMs} ms: ${[...new Set(unsynced)].join(", ")}`, { cause: err });
    } finally {
      timer.cancel();
      signal.removeEventListener("abort", onAbort);
    }
  }

  async #worker(hard: AbortSignal): Promise<void> {
    for (;;) {
      const request = await this.queue.get();
      if (request === undefined) return;
      this.#active++;
      try {
        await this.#reconcileOne(request, hard);
      } finally {
        this.#active--;
        this.queue.done(request);
      }
    }
  }

  async #reconcileOne(request: Request, hard: AbortSignal): Promise<void> {
    const log = this.#log.with({ controller: this.name, namespace: request.namespace, name: request.name });
    const ac = new AbortController();
    const onHard = (): void => ac.abort(hard.reason);
    hard.addEventListener("abort", onHard, { once: true });
    if (hard.aborted) onHard();
    const timeoutMs = this.options.reconcileTimeoutMs;
    const timer = timeoutMs === undefined ? undefined : this.#clock.setTimer(() => ac.abort(new KubeError(`reconcile timed out after ${timeoutMs} ms`)), timeoutMs);
    const started = this.#clock.now();
    let result: Result | void = undefined;
    let failure: { error: unknown } | undefined;
    try {
      // A reconcile that throws anything, or rejects, is an error (controller-runtime recovers panics).
      result = await this.reconciler(request, { signal: ac.signal, log });
    } catch (error) {
      failure = { error };
    } finally {
      timer?.cancel();
      hard.removeEventListener("abort", onHard);
      this.#time.observe((this.#clock.now() - started) / 1000);
    }
    if (failure !== undefined) {
      this.#errors++;
      this.#totals.error++;
      if (failure.error instanceof TerminalError) {
        this.#terminal++;
        log.error("reconcile failed (terminal: not retried)", failure.error);
      } else {
        log.error("reconcile failed", failure.error);
        this.queue.addRateLimited(request);
      }
      return;
    }
    const after = result?.requeueAfterMs;
    if (after !== undefined && after > 0) {
      this.#totals.requeue_after++;
      this.queue.forget(request);
      this.queue.addAfter(request, after);
    } else if (result?.requeue === true) {
      this.#totals.requeue++;
      this.queue.addRateLimited(request);
    } else {
      this.#totals.success++;
      this.queue.forget(request);
    }
  }
}

function describe(s: Source<KubeObject>): string {
  const r = s.resource;
  return r === undefined ? "an informer" : `${r.plural}${r.group === "" ? "" : `.${r.group}`}/${r.version}`;
}
