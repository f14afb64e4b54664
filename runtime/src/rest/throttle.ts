import { sleep } from "../errors.js";

/**
 * client-go's token-bucket rate limiter for requests: `burst` at once, then `qps` per second. A
 * caller reserves a token (the count may go below zero) and waits until it is due; an aborted wait
 * gives its token back. Waiters are served in order.
 */
export class RequestThrottle {
  #tokens: number;
  #last = performance.now();

  constructor(
    readonly qps: number,
    readonly burst: number,
  ) {
    this.#tokens = burst;
  }

  /** Waits for a token; resolves with the seconds waited, rejects when `signal` aborts first. */
  async wait(signal?: AbortSignal): Promise<number> {
    const now = performance.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.qps);
    this.#last = now;
    this.#tokens -= 1;
    if (this.#tokens >= 0) return 0;
    const ms = (-this.#tokens / this.qps) * 1000;
    try {
      await sleep(ms, signal);
    } catch (err) {
      this.#tokens += 1;
      throw err;
    }
    return ms / 1000;
  }
}
