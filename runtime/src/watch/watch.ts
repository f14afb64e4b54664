import { ApiStatusError, KubeError, TransportError, WatchDecodeError, WatchStalledError } from "../errors.js";
import type { ObjectMeta, Status } from "../meta.js";
import type { ResponseStream } from "../rest/transport.js";
import { JsonLineDecoder } from "./decoder.js";

/** An object event of a watch. */
export interface ObjectEvent<T> {
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly object: T;
}

/** A bookmark: only the resourceVersion (and annotations) are meaningful. */
export interface BookmarkEvent {
  readonly type: "BOOKMARK";
  readonly object: { readonly kind?: string; readonly apiVersion?: string; readonly metadata: Pick<ObjectMeta, "resourceVersion" | "annotations"> };
}

/** What a watch yields. An `ERROR` event is not yielded: it ends the watch with an {@link ApiStatusError}. */
export type WatchEvent<T> = ObjectEvent<T> | BookmarkEvent;

/** The annotation a bookmark carries at the end of a streaming list's initial events. */
export const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

const TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

/**
 * Turns a watch response into typed events. The iteration ends cleanly when the server ends the
 * watch (a timeout or a clean close: re-watch from the last resourceVersion); it throws on an ERROR
 * event (`isGone` for 410), a broken frame, a reset connection or a stall longer than
 * `inactivityTimeoutMs`. Breaking out of the loop or aborting `signal` closes the connection.
 * `parse` decodes one line (default `JSON.parse`).
 */
export async function* decodeWatch<T>(
  opening: ResponseStream | Promise<ResponseStream>,
  inactivityTimeoutMs: number,
  signal?: AbortSignal,
  parse?: (line: string) => unknown,
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  for await (const batch of decodeWatchBatches<T>(opening, inactivityTimeoutMs, signal, parse)) yield* batch;
}

/**
 * Like {@link decodeWatch}, one array of events per network chunk: what an informer consumes, so
 * that a busy watch costs one await per chunk rather than one per event. The events before a bad
 * line or an ERROR event are delivered (as a last batch) before the error is thrown.
 */
export async function* decodeWatchBatches<T>(
  opening: ResponseStream | Promise<ResponseStream>,
  inactivityTimeoutMs: number,
  signal?: AbortSignal,
  parse?: (line: string) => unknown,
): AsyncGenerator<WatchEvent<T>[], void, undefined> {
  const stream = await opening;
  const decoder = new JsonLineDecoder(parse);
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => stream.close(new WatchStalledError(`no data on the watch for ${inactivityTimeoutMs} ms`)), inactivityTimeoutMs);
  };
  const onAbort = (): void => stream.close(signal?.reason instanceof Error ? signal.reason : new KubeError("aborted"));
  signal?.addEventListener("abort", onAbort, { once: true });
  const take = (lines: Iterable<unknown>): { batch: WatchEvent<T>[]; error?: unknown } => {
    const batch: WatchEvent<T>[] = [];
    try {
      for (const raw of lines) batch.push(toEvent<T>(raw, stream));
      return { batch };
    } catch (error) {
      return { batch, error };
    }
  };
  try {
    arm();
    try {
      for await (const chunk of stream.body) {
        arm();
        const { batch, error } = take(decoder.push(chunk));
        if (batch.length > 0) yield batch;
        if (error !== undefined) throw error;
      }
    } catch (err) {
      if (err instanceof WatchStalledError || err instanceof WatchDecodeError || err instanceof ApiStatusError) throw err;
      if (signal?.aborted === true) throw signal.reason;
      const e = err as NodeJS.ErrnoException;
      throw new TransportError(stream.info, `the watch connection broke: ${e.message}`, e.code ?? "ECONNRESET", { cause: err });
    }
    const { batch, error } = take(decoder.end());
    if (batch.length > 0) yield batch;
    if (error !== undefined) throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    stream.close();
  }
}

function toEvent<T>(raw: unknown, stream: ResponseStream): WatchEvent<T> {
  const ev = raw as { type?: unknown; object?: unknown };
  if (typeof ev !== "object" || ev === null || typeof ev.type !== "string" || !TYPES.has(ev.type) || typeof ev.object !== "object" || ev.object === null) {
    throw new WatchDecodeError(`the watch stream sent something that is not a watch event: ${JSON.stringify(raw).slice(0, 120)}`);
  }
  if (ev.type === "ERROR") {
    const status = ev.object as Status;
    throw new ApiStatusError(stream.info, status, status.code ?? 500);
  }
  return ev as WatchEvent<T>;
}
