import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { isGone } from "@kube-codegen/runtime";
import type { bookmarksV1 } from "./generated/index.js";

/** How {@link streamEvents} runs. */
export interface StreamOptions {
  /** Ends the stream (the service's shutdown); the client closing it ends it too. */
  readonly signal: AbortSignal;
  /** Interval of the `: heartbeat` comment, in ms. */
  readonly heartbeatMs: number;
}

/**
 * Server-sent events of the links, from a watch:
 * - `event: snapshot` first, `data: { items }` — the links as listed, with the list's
 *   resourceVersion as the event id;
 * - then `event: ADDED` / `MODIFIED` / `DELETED`, `data:` the link, `id:` its resourceVersion.
 *
 * A client that reconnects with `Last-Event-ID` (EventSource does so by itself) resumes from that
 * resourceVersion without a snapshot. When the server ends the watch, it is resumed from the last
 * resourceVersion seen (bookmarks included); when that version is too old (410 Gone) a new
 * snapshot is sent; other failures send `event: problem` and retry after a second.
 */
export async function streamEvents(links: bookmarksV1.LinkClient, req: IncomingMessage, res: ServerResponse, options: StreamOptions): Promise<void> {
  const done = new AbortController();
  const end = (): void => done.abort();
  options.signal.addEventListener("abort", end, { once: true });
  res.once("close", end);
  const { signal } = done;
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
  const send = (event: string, data: unknown, id?: string): void => {
    res.write(`event: ${event}\n${id !== undefined && id !== "" ? `id: ${id}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
  };
  const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), options.heartbeatMs);
  const lastEventId = req.headers["last-event-id"];
  let resourceVersion = typeof lastEventId === "string" && /^\d+$/.test(lastEventId) ? lastEventId : undefined;
  try {
    while (!signal.aborted) {
      try {
        if (resourceVersion === undefined) {
          const list = await links.list({ signal });
          resourceVersion = list.metadata.resourceVersion ?? "";
          send("snapshot", { items: list.items }, resourceVersion);
        }
        for await (const ev of links.watch({ resourceVersion, signal })) {
          resourceVersion = ev.object.metadata.resourceVersion ?? resourceVersion;
          if (ev.type !== "BOOKMARK") send(ev.type, ev.object, resourceVersion);
        }
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          resourceVersion = undefined; // list again: a new snapshot
          continue;
        }
        send("problem", { error: (err as Error).message });
        await delay(1_000, undefined, { signal }).catch(() => undefined);
      }
    }
  } finally {
    clearInterval(heartbeat);
    options.signal.removeEventListener("abort", end);
    res.end();
  }
}
