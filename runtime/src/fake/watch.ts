import type { KubeObject } from "../client/types.js";
import type { RequestInfo } from "../errors.js";
import type { ResponseStream } from "../rest/transport.js";
import { INITIAL_EVENTS_END } from "../watch/watch.js";
import { apiVersionOf } from "../resource.js";
import { resKey } from "./objects.js";
import type { ServedResource } from "./schema.js";
import { objectSelector } from "./select.js";
import type { StatusCause } from "../meta.js";
import { badRequest, FakeStatus, invalidListOptions } from "./status.js";
import type { Change, ObjectTracker } from "./tracker.js";

/** Query parameters of a watch. */
export interface WatchQuery {
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  readonly allowWatchBookmarks?: boolean | undefined;
  readonly sendInitialEvents?: boolean | undefined;
  readonly timeoutSeconds?: number | undefined;
}

/** Watch settings of the fake. */
export interface WatchSettings {
  /** A bookmark every this many ms on watches that asked for them (default 1,000; 0: never). */
  readonly bookmarkIntervalMs: number;
}

type Line = { type: string; object: unknown };

/**
 * A watch on the tracker, as the response stream the REST layer hands to the watch decoder: JSON
 * lines of events in resourceVersion order; selector transitions become ADDED and DELETED as the
 * server sends them; a version older than the history is an ERROR event with 410 Expired.
 */
export function openWatch(tracker: ObjectTracker, res: ServedResource, namespace: string | undefined, q: WatchQuery, settings: WatchSettings, info: RequestInfo, registry: Set<(err?: Error) => void>): ResponseStream {
  const sel = objectSelector(res, q.labelSelector, q.fieldSelector);
  if (q.sendInitialEvents === true) {
    const causes: StatusCause[] = [];
    if (q.resourceVersionMatch !== "NotOlderThan") causes.push({ reason: "FieldValueForbidden", message: "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan", field: "resourceVersionMatch" });
    if (q.allowWatchBookmarks !== true) causes.push({ reason: "FieldValueForbidden", message: "Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true", field: "allowWatchBookmarks" });
    if (causes.length > 0) throw invalidListOptions(causes);
  }
  const key = resKey(res);
  const inScope = (o: KubeObject): boolean => namespace === undefined || o.metadata.namespace === namespace;
  const matches = (o: KubeObject | undefined): boolean => o !== undefined && inScope(o) && sel.matches(o);
  const queue: Line[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: Error | undefined;
  const push = (l: Line): void => {
    queue.push(l);
    wake?.();
  };
  const toLine = (c: Change): Line | undefined => {
    if (c.resource !== key) return undefined;
    const now = matches(c.object);
    const before = c.type === "MODIFIED" ? matches(c.previous) : now;
    // An object leaving the selection is DELETED as it was (in its last matching state), at the new version.
    if (c.type === "MODIFIED" && now !== before) return { type: now ? "ADDED" : "DELETED", object: now ? c.object : { ...c.previous, metadata: { ...c.previous?.metadata, resourceVersion: c.object.metadata.resourceVersion } } };
    return now ? { type: c.type, object: c.object } : undefined;
  };
  const bookmark = (annotations?: Record<string, string>): Line => ({
    type: "BOOKMARK",
    object: { kind: res.descriptor.kind, apiVersion: apiVersionOf(res.descriptor), metadata: { resourceVersion: tracker.resourceVersion, ...(annotations !== undefined ? { annotations } : {}) } },
  });
  const rv = q.resourceVersion;
  if (q.sendInitialEvents === true || rv === undefined || rv === "" || rv === "0") {
    for (const o of tracker.all(key)) if (matches(o)) push({ type: "ADDED", object: o });
    if (q.sendInitialEvents === true) push(bookmark({ [INITIAL_EVENTS_END]: "true" }));
  } else {
    const n = Number(rv);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${rv}`);
    try {
      for (const c of tracker.changesSince(n)) {
        const l = toLine(c);
        if (l !== undefined) push(l);
      }
    } catch (err) {
      if (!(err instanceof FakeStatus)) throw err;
      push({ type: "ERROR", object: err.status });
      ended = true;
    }
  }
  const unsubscribe = ended
    ? () => undefined
    : tracker.subscribe((c) => {
        const l = toLine(c);
        if (l !== undefined) push(l);
      });
  const timers: NodeJS.Timeout[] = [];
  let closed = false;
  const finish = (err?: Error): void => {
    if (closed) return;
    closed = true;
    failure = err;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    registry.delete(finish);
    wake?.();
  };
  registry.add(finish);
  if (q.allowWatchBookmarks === true && settings.bookmarkIntervalMs > 0) {
    const tick = (): void => {
      push(bookmark());
      timers[0] = setTimeout(tick, settings.bookmarkIntervalMs).unref();
    };
    timers[0] = setTimeout(tick, settings.bookmarkIntervalMs).unref();
  }
  if (q.timeoutSeconds !== undefined && q.timeoutSeconds > 0) timers[1] = setTimeout(() => finish(), q.timeoutSeconds * 1000).unref();
  async function* body(): AsyncGenerator<Buffer, void, undefined> {
    try {
      for (;;) {
        if (queue.length > 0) {
          const lines = queue.splice(0, queue.length);
          yield Buffer.from(lines.map((l) => JSON.stringify(l)).join("\n") + "\n", "utf8");
          continue;
        }
        if (failure !== undefined) throw failure;
        if (ended || closed) return;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    } finally {
      finish();
    }
  }
  return { body: body(), info, close: (reason) => finish(reason) };
}
