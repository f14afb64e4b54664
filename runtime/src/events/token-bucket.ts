import type { Clock } from "../queue/clock.js";

/**
 * A token bucket on a clock: `burst` tokens, refilled at `qps` per second. `take()` never waits: it
 * answers whether a token was there.
 */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.#tokens = burst;
    this.#last = clock.now();
  }

  /** Takes a token if there is one. */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is there (0 when one is). */
  delayMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.qps) * 1000);
  }

  /** Whether the bucket is full again (nothing to remember about it). */
  full(): boolean {
    this.#refill();
    return this.#tokens >= this.burst;
  }

  #refill(): void {
    const now = this.clock.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.qps);
    this.#last = now;
  }
}
