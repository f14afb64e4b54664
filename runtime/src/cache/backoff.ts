/** Options of {@link Backoff}. RUNTIME.md: 800 ms initial, ×2, jitter, capped at 30 s, reset after 2 min of health. */
export interface BackoffOptions {
  readonly initialMs?: number | undefined;
  readonly maxMs?: number | undefined;
  readonly factor?: number | undefined;
  /** After this long without a failure, the next failure waits the initial delay again. */
  readonly resetAfterMs?: number | undefined;
}

/** Exponential backoff with jitter. */
export class Backoff {
  readonly #initial: number;
  readonly #max: number;
  readonly #factor: number;
  readonly #resetAfter: number;
  #next: number;
  #lastFailure = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initial = options.initialMs ?? 800;
    this.#max = options.maxMs ?? 30_000;
    this.#factor = options.factor ?? 2;
    this.#resetAfter = options.resetAfterMs ?? 120_000;
    this.#next = this.#initial;
  }

  /** The delay before the next attempt after a failure now (and the one after grows). */
  nextDelayMs(now = Date.now()): number {
    if (now - this.#lastFailure > this.#resetAfter) this.#next = this.#initial;
    this.#lastFailure = now;
    const base = this.#next;
    this.#next = Math.min(this.#max, this.#next * this.#factor);
    return Math.min(this.#max, base * (1 + Math.random() * 0.2));
  }
}
