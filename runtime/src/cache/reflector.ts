import { ApiStatusError, KubeError, TransportError, WatchDecodeError, WatchStalledError, isGone, isTooManyRequests, sleep } from "../errors.js";
import type { KubeObject, ListOptions, WatchOptions } from "../client/types.js";
import { INITIAL_EVENTS_END, type ObjectEvent, type WatchEvent } from "../watch/watch.js";
import { Backoff, type BackoffOptions } from "./backoff.js";
import { StringTable, internStrings, type InternScope } from "./intern.js";
import { ExpiredContinueError, listPages } from "./pages.js";
import { keyOf } from "./store.js";
import { stripManagedFields } from "./transforms.js";
import { parseListWithoutManagedFields } from "../watch/managed-fields.js";

/** Only what the reflector needs from an API: a paged list and a watch. */
export interface ListerWatcher<T> {
  /** One page of a list. */
  list(options: ListOptions): Promise<{ metadata: { resourceVersion?: string; continue?: string }; items: T[] }>;
  /**
   * The same page as JSON text, unparsed: when present, the reflector requests the next page
   * while it parses this one.
   */
  listText?(options: ListOptions): Promise<string>;
  /** A watch from a resourceVersion. */
  watch(options: WatchOptions): AsyncIterable<WatchEvent<T>>;
  /** The same watch, one array of events per network chunk; used instead of `watch` when present. */
  watchBatches?(options: WatchOptions): AsyncIterable<WatchEvent<T>[]>;
}

/** Only what the reflector needs from a store. */
export interface ReflectorSink<T> {
  /** The result of a complete list, to replace the cache at once. */
  replace(items: readonly T[], resourceVersion: string): void;
  /** One watch event, in order. */
  apply(event: ObjectEvent<T>): void;
}

/** What a reflector reports: for logs and for tests. */
export type ReflectorProblem = "list" | "watch";

/** Options of {@link Reflector}. */
export interface ReflectorOptions<T> {
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Objects per list page (client-go: 500). */
  readonly pageSize?: number | undefined;
  readonly backoff?: BackoffOptions | undefined;
  /** Watches are asked to end after a random time in [min, 2 × min) seconds (client-go: 300). */
  readonly minWatchTimeoutSeconds?: number | undefined;
  /**
   * resourceVersion of the first list. Default "": a consistent read, served in pages (current
   * servers answer it from the watch cache). "0" accepts a possibly stale list, and the server then
   * ignores `limit` and sends everything in one response.
   */
  readonly initialListResourceVersion?: "" | "0" | undefined;
  /**
   * Fill the cache with a streaming list instead of a paged one: a watch with
   * `sendInitialEvents=true` whose server sends every object as an ADDED event, then a bookmark
   * marking the end, and then goes on as a normal watch (client-go's WatchList; beta and on by
   * default in servers since 1.32). The cache is replaced once, at the bookmark. When the server
   * refuses it (400 or 422: older servers, or the WatchList feature off) or three streaming lists
   * in a row end before their bookmark, the reflector reports it and uses paged lists from then
   * on. Default false.
   */
  readonly streamingList?: boolean | undefined;
  /**
   * Drop `metadata.managedFields` before caching (see {@link stripManagedFields}). Default true:
   * server-side apply's field ownership is often the largest part of an object (half of a Pod's
   * heap in the informer bench) and controllers do not read it from a cache; an update sent
   * without managedFields leaves the server's as they are. `false` keeps them.
   */
  readonly stripManagedFields?: boolean | undefined;
  /** Applied once to every object before it reaches the sink (after stripManagedFields). */
  readonly transform?: ((obj: T) => T) | undefined;
  /**
   * Share equal strings between cached objects (see {@link internStrings}), invisible to readers:
   * `"metadata"` (default) those of apiVersion, kind and metadata, cheap; `"all"` also spec and
   * status, less heap for more CPU per object; `false` none.
   */
  readonly internStrings?: InternScope | undefined;
  /** Told of every failed list or watch (the reflector retries by itself); for logs and metrics. */
  readonly onError?: ((error: unknown, during: ReflectorProblem) => void) | undefined;
}

/** Counters, for tests and metrics. */
export interface ReflectorStats {
  /** Paged lists (each of `listPages` pages). */
  lists: number;
  listPages: number;
  /** Streaming lists that completed (their initial events ended with the bookmark). */
  streamingLists: number;
  /** True once a refused or failing streaming list made the reflector use paged lists. */
  streamingFallback: boolean;
  watches: number;
  relists: number;
  /** What the reflector is doing now, and since when (epoch ms): for diagnosing a stuck cache. */
  phase: "idle" | "listing" | "opening-watch" | "watching" | "waiting" | "stopped";
  phaseSince: number;
  /** Events (bookmarks included) applied from watches. */
  watchEvents: number;
}

/**
 * client-go's reflector: lists (paged) and replaces the cache, then watches from the list's
 * resourceVersion with bookmarks; re-watches on a clean end, relists on 410, backs off on
 * failures, and never relists for a dropped connection or a 429.
 */
export class Reflector<T extends KubeObject> {
  readonly stats: ReflectorStats = { lists: 0, listPages: 0, streamingLists: 0, streamingFallback: false, watches: 0, relists: 0, phase: "idle", phaseSince: Date.now(), watchEvents: 0 };
  #lastSyncResourceVersion = "";
  readonly #lw: ListerWatcher<T>;
  readonly #sink: ReflectorSink<T>;
  readonly #options: ReflectorOptions<T>;
  #streaming: boolean;
  /** What every object goes through before the sink: strip, transform, intern. */
  readonly #prepare: (obj: T) => T;

  constructor(lw: ListerWatcher<T>, sink: ReflectorSink<T>, options: ReflectorOptions<T> = {}) {
    this.#lw = lw;
    this.#sink = sink;
    this.#options = options;
    this.#streaming = options.streamingList === true;
    this.#prepare = preparation(options);
  }

  #enter(phase: ReflectorStats["phase"]): void {
    this.stats.phase = phase;
    this.stats.phaseSince = Date.now();
  }

  /** The resourceVersion of the last list, event or bookmark applied. */
  get lastSyncResourceVersion(): string {
    return this.#lastSyncResourceVersion;
  }

  /** Runs until `signal` aborts; never rejects for API or network errors (they are reported). */
  async run(signal: AbortSignal): Promise<void> {
    const wait = async (ms: number, abort: AbortSignal): Promise<boolean> => {
      this.#enter("waiting");
      return pause(ms, abort);
    };
    try {
      await this.#loop(signal, wait);
    } finally {
      this.#enter("stopped");
    }
  }

  async #loop(signal: AbortSignal, wait: (ms: number, abort: AbortSignal) => Promise<boolean>): Promise<void> {
    const backoff = new Backoff(this.#options.backoff);
    let needList = true;
    let listFrom: string = this.#options.initialListResourceVersion ?? "";
    let shortWatches = 0;
    // 410s in a row without an event in between: the last synced version is no use any more
    // (a restarted apiserver's watch cache starts later than etcd's history, so a list at that
    // version succeeds and the watch from it fails again).
    let goneStreak = 0;
    // Streaming lists in a row that ended (cleanly) before their closing bookmark.
    let unfinishedStreams = 0;
    while (!signal.aborted) {
      if (needList && !this.#streaming) {
        try {
          this.#enter("listing");
          await this.#list(listFrom, signal);
          needList = false;
          shortWatches = 0;
        } catch (err) {
          if (signal.aborted) return;
          this.#options.onError?.(err, "list");
          if (isGone(err) && listFrom !== "") {
            // Too old for the server: a consistent read from etcd, at once.
            listFrom = "";
            continue;
          }
          if (!(await wait(this.#retryDelay(err, backoff), signal))) return;
          continue;
        }
      }
      const started = Date.now();
      let events = 0;
      // While a streaming list runs: the objects of its initial events, by key, until the bookmark.
      let initial: Map<string, T> | undefined = needList ? new Map() : undefined;
      try {
        const timeoutSeconds = this.#watchTimeoutSeconds();
        this.stats.watches++;
        const watchOptions = {
          ...(initial !== undefined
            ? { resourceVersion: listFrom, resourceVersionMatch: "NotOlderThan", sendInitialEvents: true }
            : { resourceVersion: this.#lastSyncResourceVersion }),
          allowWatchBookmarks: true,
          omitManagedFields: this.#options.stripManagedFields !== false,
          timeoutSeconds,
          labelSelector: this.#options.labelSelector,
          fieldSelector: this.#options.fieldSelector,
          signal,
        } as WatchOptions;
        const batches = this.#lw.watchBatches !== undefined ? this.#lw.watchBatches(watchOptions) : singles(this.#lw.watch(watchOptions));
        const prepare = this.#prepare;
        this.#enter(initial !== undefined ? "listing" : "opening-watch");
        for await (const batch of batches) {
          if (events === 0 && initial === undefined) this.#enter("watching");
          this.stats.watchEvents += batch.length;
          for (const ev of batch) {
            events++;
            goneStreak = 0;
            if (initial !== undefined) {
              // The initial events are not in resourceVersion order: nothing is recorded, and the
              // cache is not touched, until the bookmark that ends them.
              if (ev.type !== "BOOKMARK") {
                const o = prepare(ev.object);
                if (ev.type === "DELETED") initial.delete(keyOf(o));
                else initial.set(keyOf(o), o);
              } else if (ev.object.metadata.annotations?.[INITIAL_EVENTS_END] === "true") {
                const rv = ev.object.metadata.resourceVersion ?? "";
                this.#sink.replace([...initial.values()], rv);
                this.#lastSyncResourceVersion = rv;
                initial = undefined;
                needList = false;
                shortWatches = 0;
                unfinishedStreams = 0;
                this.stats.streamingLists++;
                this.#enter("watching");
              }
              continue;
            }
            const rv = ev.object.metadata.resourceVersion;
            if (ev.type !== "BOOKMARK") this.#sink.apply({ type: ev.type, object: prepare(ev.object) });
            if (rv !== undefined && rv !== "") this.#lastSyncResourceVersion = rv;
          }
        }
        if (signal.aborted) return;
        if (initial !== undefined) {
          unfinishedStreams++;
          const problem = new KubeError(`the streaming list ended before its last object (${initial.size} received; ${unfinishedStreams} in a row)`);
          this.#options.onError?.(problem, "list");
          if (unfinishedStreams >= 3) this.#fallBack(problem);
          if (!(await wait(backoff.nextDelayMs(), signal))) return;
          continue;
        }
        // A clean end (timeout, or the server closing): watch again from the last RV, no relist —
        // unless watches keep ending at once with nothing in them, which is an error in disguise.
        if (events === 0 && Date.now() - started < 1000) {
          shortWatches++;
          if (shortWatches >= 2) {
            this.#options.onError?.(new Error(`watches end under 1 s with no events (${shortWatches} in a row)`), "watch");
            needList = true;
            listFrom = this.#lastSyncResourceVersion;
            this.stats.relists++;
            if (!(await wait(backoff.nextDelayMs(), signal))) return;
          }
        } else {
          shortWatches = 0;
        }
      } catch (err) {
        if (signal.aborted) return;
        this.#options.onError?.(err, initial !== undefined ? "list" : "watch");
        if (initial !== undefined && err instanceof ApiStatusError && (err.code === 400 || err.code === 422)) {
          // The server does not do streaming lists (or not with these options): paged lists, now.
          this.#fallBack(err);
          continue;
        }
        if (initial !== undefined && isGone(err)) {
          // Too old for a streaming list from the last version: from the newest, at once.
          listFrom = "";
          continue;
        }
        if (isGone(err)) {
          needList = true;
          this.stats.relists++;
          goneStreak++;
          if (goneStreak === 1) {
            listFrom = this.#lastSyncResourceVersion;
            continue;
          }
          listFrom = "";
          if (!(await wait(backoff.nextDelayMs(), signal))) return;
          continue;
        }
        if (isTooManyRequests(err)) {
          if (!(await wait(this.#retryDelay(err, backoff), signal))) return;
          continue;
        }
        if (err instanceof TransportError || err instanceof WatchStalledError || err instanceof WatchDecodeError || isServerUnavailable(err)) {
          // The connection broke or the server is restarting: back off and watch again from the
          // last resourceVersion; the cache stays as it is (and synced).
          if (!(await wait(backoff.nextDelayMs(), signal))) return;
          continue;
        }
        needList = true;
        listFrom = this.#lastSyncResourceVersion;
        this.stats.relists++;
        if (!(await wait(backoff.nextDelayMs(), signal))) return;
      }
    }
  }

  #fallBack(reason: unknown): void {
    this.#streaming = false;
    this.stats.streamingFallback = true;
    const why = reason instanceof Error ? reason.message : String(reason);
    this.#options.onError?.(new KubeError(`streaming lists are not available (${why}); using paged lists from now on`), "list");
  }

  /** A complete paged list from `resourceVersion`, then one atomic replace. */
  async #list(resourceVersion: string, signal: AbortSignal): Promise<void> {
    this.stats.lists++;
    const limit = this.#options.pageSize ?? 500;
    const prepare = this.#prepare;
    const lw = this.#lw;
    let rv = resourceVersion;
    for (;;) {
      const from = rv;
      const items: T[] = [];
      let listRv = "";
      try {
        const pages = listPages<T>({
          options: (token) => ({ limit, labelSelector: this.#options.labelSelector, fieldSelector: this.#options.fieldSelector, signal, ...(token !== undefined ? { continue: token } : { resourceVersion: from }) }) as ListOptions,
          requested: () => void this.stats.listPages++,
          list: (o) => lw.list(o),
          ...(lw.listText !== undefined ? { listText: lw.listText.bind(lw) } : {}),
          ...(this.#options.stripManagedFields !== false ? { parse: parseListWithoutManagedFields } : {}),
        });
        for await (const page of pages) {
          for (const item of page.items) items.push(prepare(item));
          listRv = page.metadata.resourceVersion ?? listRv;
        }
      } catch (err) {
        // An expired continue token: never stitch pages of two snapshots; start over, fresh.
        if (!(err instanceof ExpiredContinueError)) throw err;
        this.#options.onError?.(err.cause, "list");
        rv = "";
        continue;
      }
      this.#sink.replace(items, listRv);
      this.#lastSyncResourceVersion = listRv;
      return;
    }
  }

  #watchTimeoutSeconds(): number {
    const min = this.#options.minWatchTimeoutSeconds ?? 300;
    return Math.floor(min * (1 + Math.random()));
  }

  #retryDelay(err: unknown, backoff: Backoff): number {
    if (err instanceof ApiStatusError && err.retryAfterSeconds !== undefined) return Math.min(err.retryAfterSeconds, 30) * 1000;
    return backoff.nextDelayMs();
  }
}

/** The steps of {@link ReflectorOptions} every object goes through, composed once. */
function preparation<T extends KubeObject>(options: ReflectorOptions<T>): (obj: T) => T {
  const strip = options.stripManagedFields !== false;
  const transform = options.transform;
  const scope = options.internStrings ?? "metadata";
  const table = scope === false ? undefined : new StringTable();
  return (obj) => {
    let o = strip ? stripManagedFields(obj) : obj;
    if (transform !== undefined) o = transform(o);
    return table === undefined || scope === false ? o : internStrings(o, table, scope);
  };
}

function isServerUnavailable(err: unknown): boolean {
  return err instanceof ApiStatusError && (err.code === 503 || err.code === 504);
}

/** Sleeps unless aborted; false when aborted. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}

/** A watch of single events as batches of one. */
async function* singles<T>(events: AsyncIterable<WatchEvent<T>>): AsyncGenerator<WatchEvent<T>[], void, undefined> {
  for await (const ev of events) yield [ev];
}
