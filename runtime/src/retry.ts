import { ApiStatusError, TransportError, sleep } from "./errors.js";

/** Delays between attempts (client-go's `wait.Backoff`). */
export interface RetryBackoff {
  /** Attempts in all (client-go's Steps; default 4). */
  readonly steps?: number | undefined;
  /** The first delay in ms (default 10). */
  readonly initialMs?: number | undefined;
  /** Each delay is the previous one times this (default 5). */
  readonly factor?: number | undefined;
  /** Up to this fraction is added to each delay at random (default 0.1). */
  readonly jitter?: number | undefined;
  /** No delay is longer (default: none). */
  readonly capMs?: number | undefined;
}

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Default: client-go's `retry.DefaultBackoff` (4 attempts, 10 ms × 5, jitter 0.1). */
  readonly backoff?: RetryBackoff | undefined;
  /** Which errors are worth another attempt (default {@link isTransient}); others are thrown at once. */
  readonly retryIf?: ((error: unknown, attempt: number) => boolean) | undefined;
  /** Stops waiting (the wait rejects with the signal's reason). */
  readonly signal?: AbortSignal | undefined;
}

/** No answer (connection refused, reset, timed out), 429, or a 500/502/503/504: worth trying again. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransportError) return true;
  return error instanceof ApiStatusError && [429, 500, 502, 503, 504].includes(error.code);
}

/**
 * Calls `fn` until it resolves, an error is not worth retrying, or the attempts are used up (then
 * the last error is thrown) — client-go's `retry.OnError`. `fn` gets the attempt number, from 1.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const b = options.backoff ?? {};
  const steps = Math.max(1, b.steps ?? 4);
  const factor = b.factor ?? 5;
  const jitter = b.jitter ?? 0.1;
  const retryIf = options.retryIf ?? isTransient;
  let delay = b.initialMs ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= steps || !retryIf(err, attempt)) throw err;
      const capped = b.capMs === undefined ? delay : Math.min(delay, b.capMs);
      await sleep(capped * (1 + Math.random() * jitter), options.signal);
      delay *= factor;
    }
  }
}
