import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { KubeError } from "../errors.js";
import { realClock, type Clock } from "../queue/clock.js";
import { consoleLogger, type Logger } from "../controller/logger.js";
import { microTime, type LeaderElectionRecord, type ResourceLock } from "./lease-lock.js";

/** client-go's jitter factor of the acquire loop: each wait is `retryPeriod × [1, 2.2)`. */
export const JITTER_FACTOR = 1.2;

/** Options, with controller-runtime's defaults (15 s / 10 s / 2 s). */
export interface LeaderElectionOptions {
  readonly lock: ResourceLock;
  /** How long others wait, from when they last saw the lease change, before taking it (default 15 s). */
  readonly leaseDurationMs?: number | undefined;
  /** How long the leader keeps trying to renew before it stops leading (default 10 s). */
  readonly renewDeadlineMs?: number | undefined;
  /** Between attempts to acquire or renew (default 2 s). */
  readonly retryPeriodMs?: number | undefined;
  /** Clear the holder when `run`'s signal aborts, so a successor need not wait out the lease. */
  readonly releaseOnCancel?: boolean | undefined;
  /** Measures expiry (monotonic). Default: the real clock. */
  readonly clock?: Clock | undefined;
  /** The timestamps written into the lease (default `new Date()`); never used to judge expiry. */
  readonly wallTime?: (() => Date) | undefined;
  /** Called when the observed holder changes (including to this candidate). */
  readonly onNewLeader?: ((identity: string) => void) | undefined;
  readonly logger?: Logger | undefined;
}

/** What `run` calls while this candidate leads. */
export interface LeaderCallbacks {
  /** Leading from now on; `signal` aborts the moment leadership ends (lost, or `run` cancelled). */
  onStartedLeading(signal: AbortSignal): void;
  /** Leading ended (after `onStartedLeading`'s signal aborted and the lease was released if asked). */
  onStoppedLeading?(): void;
}

/** The reason of the leading signal when renewals failed past the renew deadline. */
export class LeaderElectionLostError extends KubeError {
  override name = "LeaderElectionLostError";
}

/** controller-runtime's default identity: the hostname (the pod's name in a cluster), `_`, a random UUID. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/**
 * Leader election the way client-go's `tools/leaderelection` does it: a candidate takes the lock
 * when it is free or when the holder's record has not changed for the record's lease duration,
 * measured on the candidate's own clock from when it last observed a change (clocks of different
 * machines are never compared); the leader renews every retry period and stops leading when it could
 * not renew for the renew deadline. Writes go through the lock, guarded by resourceVersion.
 */
export class LeaderElector {
  readonly #lock: ResourceLock;
  readonly #leaseMs: number;
  readonly #renewMs: number;
  readonly #retryMs: number;
  readonly #clock: Clock;
  readonly #wall: () => Date;
  readonly #log: Logger;
  #observed: LeaderElectionRecord | undefined;
  #observedRaw = "";
  #observedTime = 0;
  #reported = "";

  constructor(readonly options: LeaderElectionOptions) {
    this.#lock = options.lock;
    this.#leaseMs = options.leaseDurationMs ?? 15_000;
    this.#renewMs = options.renewDeadlineMs ?? 10_000;
    this.#retryMs = options.retryPeriodMs ?? 2_000;
    if (this.#leaseMs <= this.#renewMs) throw new KubeError(`leader election: the lease duration (${this.#leaseMs} ms) must be greater than the renew deadline (${this.#renewMs} ms)`);
    if (this.#renewMs <= JITTER_FACTOR * this.#retryMs) throw new KubeError(`leader election: the renew deadline (${this.#renewMs} ms) must be greater than ${JITTER_FACTOR} × the retry period (${this.#retryMs} ms)`);
    if (this.#leaseMs < 1000 || this.#retryMs <= 0) throw new KubeError("leader election: the lease duration must be at least 1 s and the retry period positive");
    this.#clock = options.clock ?? realClock;
    this.#wall = options.wallTime ?? (() => new Date());
    this.#log = options.logger ?? consoleLogger();
  }

  /** This candidate's identity. */
  get identity(): string {
    return this.#lock.identity;
  }

  /** Whether the last observed record names this candidate. */
  isLeader(): boolean {
    return this.#observed?.holderIdentity === this.#lock.identity;
  }

  /** The holder last observed ("" before any observation or after a release). */
  leader(): string {
    return this.#observed?.holderIdentity ?? "";
  }

  /**
   * Campaigns until this candidate leads, calls `onStartedLeading`, renews until renewal fails past
   * the deadline or `signal` aborts, then aborts the leading signal, releases the lease (with
   * `releaseOnCancel`) and calls `onStoppedLeading`. Resolves when all that is done; never rejects.
   */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    if (!(await this.#acquire(signal))) return;
    const leading = new AbortController();
    try {
      callbacks.onStartedLeading(leading.signal);
    } catch (err) {
      this.#log.error("onStartedLeading threw", err);
    }
    const lost = await this.#renew(signal);
    leading.abort(lost ? new LeaderElectionLostError(`leader election lost: could not renew lease ${this.#lock.describe()} within ${this.#renewMs} ms`) : signal.reason);
    if (lost) this.#log.error(`stopped leading: lease ${this.#lock.describe()} not renewed within ${this.#renewMs} ms`, undefined);
    if (this.options.releaseOnCancel === true) await this.release();
    try {
      callbacks.onStoppedLeading?.();
    } catch (err) {
      this.#log.error("onStoppedLeading threw", err);
    }
  }

  /**
   * For a health check (client-go's `HealthzAdaptor`): throws when this candidate leads but has not
   * renewed for longer than the lease duration plus `toleranceMs` (its loop is stuck).
   */
  check(toleranceMs = 20_000): void {
    if (!this.isLeader()) return;
    const since = this.#clock.now() - this.#observedTime;
    if (since > this.#leaseMs + toleranceMs) throw new KubeError(`lease ${this.#lock.describe()} not renewed for ${Math.round(since)} ms`);
  }

  /** Gives the lease up if this candidate holds it: clears the holder, keeps the transitions count. */
  async release(): Promise<boolean> {
    if (!this.isLeader()) return true;
    const now = microTime(this.#wall());
    const record: LeaderElectionRecord = { holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaderTransitions: this.#observed?.leaderTransitions ?? 0 };
    try {
      await this.#lock.update(record, AbortSignal.timeout(this.#renewMs));
    } catch (err) {
      this.#log.error(`could not release lease ${this.#lock.describe()}`, err);
      return false;
    }
    this.#setObserved(record);
    return true;
  }

  async #acquire(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      const ok = await this.tryAcquireOrRenew(signal);
      this.#reportTransition();
      if (ok) return true;
      if (!(await this.#sleep(this.#retryMs * (1 + Math.random() * JITTER_FACTOR), signal))) return false;
    }
  }

  /** Renews until it fails past the deadline (true) or `signal` aborts (false). */
  async #renew(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      const deadline = new AbortController();
      const onAbort = (): void => deadline.abort(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      const timer = this.#clock.setTimer(() => deadline.abort(new KubeError("renew deadline passed")), this.#renewMs);
      let ok = false;
      try {
        for (;;) {
          ok = await this.tryAcquireOrRenew(deadline.signal);
          if (ok || !(await this.#sleep(this.#retryMs, deadline.signal))) break;
        }
      } finally {
        timer.cancel();
        signal.removeEventListener("abort", onAbort);
      }
      this.#reportTransition();
      if (signal.aborted) return false;
      if (!ok) return true;
      if (!(await this.#sleep(this.#retryMs, signal))) return false;
    }
  }

  /** One attempt (client-go's `tryAcquireOrRenew`); true when this candidate holds the lease afterwards. */
  async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = microTime(this.#wall());
    const base = { holderIdentity: this.#lock.identity, leaseDurationSeconds: Math.floor(this.#leaseMs / 1000), acquireTime: now, renewTime: now };
    // Fast path: the leader writes over the version it wrote last.
    const seen = this.#observed;
    if (seen !== undefined && this.isLeader() && this.#isLeaseValid()) {
      const record = { ...base, acquireTime: seen.acquireTime, leaderTransitions: seen.leaderTransitions };
      try {
        await this.#lock.update(record, signal);
        this.#setObserved(record);
        return true;
      } catch (err) {
        if (signal.aborted) return false;
        this.#log.info(`optimistic renewal of ${this.#lock.describe()} failed, reading it again`, { error: String(err) });
      }
    }
    let current: Awaited<ReturnType<ResourceLock["get"]>>;
    try {
      current = await this.#lock.get(signal);
    } catch (err) {
      if (!signal.aborted) this.#log.error(`cannot read lease ${this.#lock.describe()}`, err);
      return false;
    }
    if (current === undefined) {
      const record = { ...base, leaderTransitions: 0 };
      try {
        await this.#lock.create(record, signal);
      } catch (err) {
        if (!signal.aborted) this.#log.error(`cannot create lease ${this.#lock.describe()}`, err);
        return false;
      }
      this.#setObserved(record);
      return true;
    }
    if (current.raw !== this.#observedRaw) {
      this.#setObserved(current.record);
      this.#observedRaw = current.raw;
    }
    const old = current.record;
    if (old.holderIdentity !== "" && this.#isLeaseValid() && !this.isLeader()) return false;
    const record = this.isLeader()
      ? { ...base, acquireTime: old.acquireTime, leaderTransitions: old.leaderTransitions }
      : { ...base, leaderTransitions: old.leaderTransitions + 1 };
    try {
      await this.#lock.update(record, signal);
    } catch (err) {
      if (!signal.aborted) this.#log.error(`cannot update lease ${this.#lock.describe()}`, err);
      return false;
    }
    this.#setObserved(record);
    return true;
  }

  /** Valid while the observed record has not changed for its own lease duration, on our clock. */
  #isLeaseValid(): boolean {
    const seconds = this.#observed?.leaseDurationSeconds ?? 0;
    return this.#observedTime + seconds * 1000 > this.#clock.now();
  }

  #setObserved(record: LeaderElectionRecord): void {
    this.#observed = record;
    this.#observedTime = this.#clock.now();
  }

  #reportTransition(): void {
    const holder = this.leader();
    if (holder === this.#reported) return;
    this.#reported = holder;
    try {
      this.options.onNewLeader?.(holder);
    } catch (err) {
      this.#log.error("onNewLeader threw", err);
    }
  }

  /** Waits on the elector's clock; false when `signal` aborted first. */
  #sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const onAbort = (): void => {
        timer.cancel();
        resolve(false);
      };
      const timer = this.#clock.setTimer(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
