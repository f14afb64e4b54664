import type { Status } from "./meta.js";

/** Base class of every error the runtime throws. */
export class KubeError extends Error {
  override name = "KubeError";
}

/** What was asked when an error happened: never carries credentials. */
export interface RequestInfo {
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection. */
  readonly verb: string;
  readonly method: string;
  /** Path and query, without the server (no credentials are ever in it). */
  readonly url: string;
}

/** The API server answered with an error status; `status` is its `meta/v1.Status`. */
export class ApiStatusError extends KubeError {
  override name = "ApiStatusError";
  readonly request: RequestInfo;
  readonly status: Status;
  /** HTTP status code (also `status.code`). */
  readonly code: number;
  /** `status.reason`, such as NotFound, Conflict, Expired. */
  readonly reason: string;
  /** Seconds the server asked to wait (Retry-After or `details.retryAfterSeconds`). */
  readonly retryAfterSeconds: number | undefined;

  constructor(request: RequestInfo, status: Status, code: number, retryAfterSeconds?: number) {
    super(`${request.verb} ${request.url}: ${code} ${status.reason ?? ""}${status.message !== undefined ? `: ${status.message}` : ""}`.replace(/ {2,}/g, " "));
    this.request = request;
    this.status = status;
    this.code = code;
    this.reason = status.reason ?? "";
    this.retryAfterSeconds = retryAfterSeconds ?? status.details?.retryAfterSeconds;
  }
}

/** The request did not get an answer: connection refused or reset, TLS failure, timeout. */
export class TransportError extends KubeError {
  override name = "TransportError";
  readonly request: RequestInfo;
  /** Node's error code when there is one (ECONNREFUSED, ECONNRESET, ...), or TIMEOUT. */
  readonly code: string | undefined;

  constructor(request: RequestInfo, message: string, code: string | undefined, options?: ErrorOptions) {
    super(`${request.verb} ${request.url}: ${message}`, options);
    this.request = request;
    this.code = code;
  }
}

/** A watch stream broke its framing (a line that is not JSON, or a truncated object). */
export class WatchDecodeError extends KubeError {
  override name = "WatchDecodeError";
}

/** A watch connection stayed silent for longer than its inactivity timeout. */
export class WatchStalledError extends KubeError {
  override name = "WatchStalledError";
}

const statusOf = (err: unknown): ApiStatusError | undefined => (err instanceof ApiStatusError ? err : undefined);

/** 404 NotFound. */
export const isNotFound = (err: unknown): boolean => statusOf(err)?.code === 404;
/** 409 Conflict (a stale resourceVersion on update). */
export const isConflict = (err: unknown): boolean => statusOf(err)?.code === 409 && statusOf(err)?.reason !== "AlreadyExists";
/** 409 AlreadyExists (create of an existing name). */
export const isAlreadyExists = (err: unknown): boolean => statusOf(err)?.reason === "AlreadyExists";
/** 410 Gone / Expired: the resourceVersion or continue token is too old. */
export const isGone = (err: unknown): boolean => {
  const s = statusOf(err);
  return s !== undefined && (s.code === 410 || s.reason === "Expired" || s.reason === "Gone");
};
/** 429 TooManyRequests. */
export const isTooManyRequests = (err: unknown): boolean => statusOf(err)?.code === 429;
/** 422 Invalid: the object does not satisfy the schema or a validation rule. */
export const isInvalid = (err: unknown): boolean => statusOf(err)?.code === 422;
/** 403 Forbidden. */
export const isForbidden = (err: unknown): boolean => statusOf(err)?.code === 403;
/** 401 Unauthorized. */
export const isUnauthorized = (err: unknown): boolean => statusOf(err)?.code === 401;

/** Waits `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Options of {@link retryOnConflict}. */
export interface RetryOnConflictOptions {
  /** Attempts in all (client-go's DefaultRetry: 5). */
  readonly attempts?: number;
  /** Wait between attempts in ms, jittered by up to 10% (client-go: 10 ms). */
  readonly delayMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs `fn` again while it fails with a conflict (a stale resourceVersion), like client-go's
 * `retry.RetryOnConflict`: `fn` should read the latest object, change it and update it.
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, options: RetryOnConflictOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const delay = options.delayMs ?? 10;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isConflict(err) || i >= attempts) throw err;
      await sleep(delay * (1 + Math.random() * 0.1), options.signal);
    }
  }
}
