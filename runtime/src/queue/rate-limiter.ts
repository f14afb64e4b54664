import { realClock, type Clock } from "./clock.js";

/**
 * Decides how long an item waits before it is retried (client-go's `workqueue.RateLimiter`):
 * `when` is asked once per retry and counts it, `forget` ends the item's retries, `numRequeues`
 * says how many there were. Items are told apart by their key.
 */
export interface RateLimiter {
  /** How long (ms) the item waits before this retry; counts the retry. */
  when(key: string): number;
  /** Ends the item's retries: the next `when` starts over. */
  forget(key: string): void;
  /** How many retries the item has had since it was last forgotten. */
  numRequeues(key: string): number;
}

/** `base × 2^failures` per item, capped at `max` (milliseconds): 5 ms, 10 ms, 20 ms … 1000 s by default. */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  readonly #failures = new Map<string, number>();

  constructor(readonly baseDelayMs = 5, readonly maxDelayMs = 1_000_000) {}

  /** See {@link RateLimiter.when}. */
  when(key: string): number {
    const exp = this.#failures.get(key) ?? 0;
    this.#failures.set(key, exp + 1);
    const backoff = this.baseDelayMs * 2 ** exp;
    return Number.isFinite(backoff) && backoff < this.maxDelayMs ? backoff : this.maxDelayMs;
  }

  /** See {@link RateLimiter.forget}. */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  /** See {@link RateLimiter.numRequeues}. */
  numRequeues(key: string): number {
    return this.#failures.get(key) ?? 0;
  }
}

/** `fast` for the first `maxFastAttempts` retries of an item, `slow` after. */
export class ItemFastSlowRateLimiter implements RateLimiter {
  readonly #attempts = new Map<string, number>();

  constructor(readonly fastDelayMs: number, readonly slowDelayMs: number, readonly maxFastAttempts: number) {}

  /** See {@link RateLimiter.when}. */
  when(key: string): number {
    const n = (this.#attempts.get(key) ?? 0) + 1;
    this.#attempts.set(key, n);
    return n <= this.maxFastAttempts ? this.fastDelayMs : this.slowDelayMs;
  }

  /** See {@link RateLimiter.forget}. */
  forget(key: string): void {
    this.#attempts.delete(key);
  }

  /** See {@link RateLimiter.numRequeues}. */
  numRequeues(key: string): number {
    return this.#attempts.get(key) ?? 0;
  }
}

/**
 * An overall token bucket (`qps` tokens a second, `burst` at most) shared by all items: each retry
 * takes a token, and waits until the bucket would have had one (golang.org/x/time/rate's
 * `Reserve().Delay()`). It keeps no per-item state.
 */
export class BucketRateLimiter implements RateLimiter {
  #tokens: number;
  #last: number;

  constructor(readonly qps = 10, readonly burst = 100, private readonly clock: Clock = realClock) {
    this.#tokens = burst;
    this.#last = clock.now();
  }

  /** See {@link RateLimiter.when}. */
  when(_key: string): number {
    const now = this.clock.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.qps);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.qps) * 1000;
  }

  /** See {@link RateLimiter.forget}. */
  forget(_key: string): void {}

  /** See {@link RateLimiter.numRequeues}. */
  numRequeues(_key: string): number {
    return 0;
  }
}

/** The longest wait any of the limiters asks for; requeues counted as the most any counts. */
export class MaxOfRateLimiter implements RateLimiter {
  readonly #limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.#limiters = limiters;
  }

  /** See {@link RateLimiter.when}. */
  when(key: string): number {
    let max = 0;
    for (const l of this.#limiters) max = Math.max(max, l.when(key));
    return max;
  }

  /** See {@link RateLimiter.forget}. */
  forget(key: string): void {
    for (const l of this.#limiters) l.forget(key);
  }

  /** See {@link RateLimiter.numRequeues}. */
  numRequeues(key: string): number {
    let max = 0;
    for (const l of this.#limiters) max = Math.max(max, l.numRequeues(key));
    return max;
  }
}

/**
 * client-go's `DefaultControllerRateLimiter`: the larger of a per-item exponential backoff
 * (5 ms × 2^failures, capped at 1000 s) and an overall bucket of 10 retries a second, burst 100.
 */
export function defaultControllerRateLimiter(clock: Clock = realClock): RateLimiter {
  return new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(5, 1_000_000), new BucketRateLimiter(10, 100, clock));
}
