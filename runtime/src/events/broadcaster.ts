import { hostname } from "node:os";
import type { KubeObject } from "../client/types.js";
import { createResourceClient } from "../client/resource-client.js";
import { consoleLogger, type Logger } from "../controller/logger.js";
import { ApiStatusError, isAlreadyExists, isNotFound } from "../errors.js";
import { microTime } from "../leaderelection/lease-lock.js";
import { realClock, type Clock, type Timer } from "../queue/clock.js";
import type { RestClient } from "../rest/transport.js";
import { eventResource, type EventObject, type EventSeries, type EventSink, type ObjectReference } from "./event.js";
import { TokenBucket } from "./token-bucket.js";

/** Options, with client-go's defaults. */
export interface EventBroadcasterOptions {
  readonly sink: EventSink;
  /** Per reporting controller, instance and object: a burst of 25 new events, then one per 5 minutes (client-go's spam filter). */
  readonly burst?: number | undefined;
  readonly qps?: number | undefined;
  /** Events waiting to be written at most (default 1000, as client-go); more are dropped. */
  readonly maxQueued?: number | undefined;
  /** How often repeats counted into a series are written (default 30 s; client-go: 30 min). */
  readonly seriesRefreshMs?: number | undefined;
  /** A series not observed for this long is finished: the next repeat starts a new Event (default 6 minutes, as client-go). */
  readonly seriesFinishMs?: number | undefined;
  /** Measures the rate limits and series (default: the real clock). */
  readonly clock?: Clock | undefined;
  /** The times written into Events (default `new Date()`). */
  readonly wallTime?: (() => Date) | undefined;
  readonly logger?: Logger | undefined;
}

/** What happened to recorded events so far. */
export interface EventStats {
  /** `event()` calls. */
  readonly recorded: number;
  /** Repeats folded into a series (no write of their own). */
  readonly folded: number;
  /** Dropped by the per-object rate limit. */
  readonly rateLimited: number;
  /** Dropped because the queue was full. */
  readonly dropped: number;
  /** Creates and patches that reached the server. */
  readonly written: number;
  /** Writes the server refused or that failed every try. */
  readonly failed: number;
  /** Calls refused as invalid (bad type, empty reason or action). */
  readonly invalid: number;
}

/** Records `events.k8s.io/v1` Events for one reporting controller (client-go's `events.EventRecorder`). */
export interface EventRecorder {
  /**
   * Records an event about `regarding`: `type` Normal or Warning, `reason` (UpperCamelCase, why),
   * `action` (what was done or failed), `note` (human-readable, cut at 1 kB). Returns at once: the
   * write happens in the background, repeats fold into a series, floods are dropped; it never
   * throws and never waits.
   */
  event(regarding: KubeObject | ObjectReference, type: "Normal" | "Warning", reason: string, action: string, note?: string, related?: KubeObject | ObjectReference): void;
}

interface Cached {
  readonly event: EventObject;
  /** The count last written (1 before any series). */
  written: number;
  lastObserved: number;
  writing: boolean;
}

type Job = { readonly kind: "create"; readonly entry: Cached } | { readonly kind: "series"; readonly entry: Cached };

const MAX_NOTE_BYTES = 1024;
const TRIES = 3;

/** A sink writing through the REST client. */
export function restEventSink(rest: RestClient): EventSink {
  return {
    create: (event, signal) => createResourceClient(rest, eventResource, event.metadata.namespace ?? "default").create(event, { signal }),
    patchSeries: (namespace, name, series, signal) =>
      rest.request({
        verb: "patch",
        method: "PATCH",
        path: `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/events/${encodeURIComponent(name)}`,
        body: { series },
        contentType: "application/merge-patch+json",
        signal,
      }),
  };
}

/**
 * Turns recorded events into Event objects (client-go's `tools/events` broadcaster): an event like
 * one seen before (same type, action, reason, reporting controller and instance, regarding and
 * related object — the note is not compared) becomes a series on the first Event instead of a new
 * object; a flood per object is rate limited; writes go one at a time in the background.
 */
export class EventBroadcaster {
  readonly #sink: EventSink;
  readonly #clock: Clock;
  readonly #wall: () => Date;
  readonly #log: Logger;
  readonly #cache = new Map<string, Cached>();
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #queue: Job[] = [];
  readonly #maxQueued: number;
  readonly #stats = { recorded: 0, folded: 0, rateLimited: 0, dropped: 0, written: 0, failed: 0, invalid: 0 };
  readonly #stop = new AbortController();
  #draining: Promise<void> | undefined;
  #refreshTimer: Timer | undefined;
  #stopped = false;
  #seq = 0;
  #sinceSweep = 0;

  constructor(readonly options: EventBroadcasterOptions) {
    this.#sink = options.sink;
    this.#clock = options.clock ?? realClock;
    this.#wall = options.wallTime ?? (() => new Date());
    this.#log = options.logger ?? consoleLogger();
    this.#maxQueued = options.maxQueued ?? 1000;
  }

  /** A recorder for one controller; `reportingInstance` defaults to `<controller>-<hostname>` (client-go's). */
  newRecorder(reportingController: string, reportingInstance = `${reportingController}-${hostname()}`): EventRecorder {
    return {
      event: (regarding, type, reason, action, note, related) => {
        try {
          this.#record(reportingController, reportingInstance, regarding, type, reason, action, note, related);
        } catch (err) {
          this.#log.error("recording an event failed", err);
        }
      },
    };
  }

  /** The counts so far. */
  stats(): EventStats {
    return { ...this.#stats };
  }

  /** Resolves when every queued write is done (for tests and shutdown). */
  async flush(): Promise<void> {
    this.#refresh();
    while (this.#draining !== undefined) await this.#draining;
  }

  /** Writes the pending series counts, then stops: later events are dropped, no timer remains. */
  async shutdown(timeoutMs = 5_000): Promise<void> {
    if (this.#stopped) return;
    this.#refreshTimer?.cancel();
    this.#refreshTimer = undefined;
    const timer = this.#clock.setTimer(() => this.#stop.abort(), timeoutMs);
    try {
      await this.flush();
    } finally {
      timer.cancel();
      this.#stopped = true;
      this.#stop.abort();
      this.#queue.length = 0;
    }
  }

  #record(controller: string, instance: string, regardingIn: KubeObject | ObjectReference, type: string, reason: string, action: string, note: string | undefined, relatedIn: KubeObject | ObjectReference | undefined): void {
    this.#stats.recorded++;
    if (this.#stopped) {
      this.#stats.dropped++;
      return;
    }
    if ((type !== "Normal" && type !== "Warning") || reason === "" || action === "") {
      this.#stats.invalid++;
      this.#log.error(`event refused: type must be Normal or Warning, reason and action not empty (got ${JSON.stringify({ type, reason, action })})`, undefined);
      return;
    }
    const regarding = referenceOf(regardingIn);
    const related = relatedIn === undefined ? undefined : referenceOf(relatedIn);
    // The regarding object's resourceVersion is written but not compared: a reconcile that updates its
    // object would otherwise never fold a repeat (client-go compares the whole reference).
    const key = JSON.stringify([type, action, reason, controller, instance, { ...regarding, resourceVersion: undefined }, related ?? null]);
    const now = this.#clock.now();
    const seen = this.#cache.get(key);
    if (seen !== undefined && now - seen.lastObserved <= (this.options.seriesFinishMs ?? 360_000)) {
      seen.lastObserved = now;
      if (seen.event.series !== undefined) {
        seen.event.series = { count: seen.event.series.count + 1, lastObservedTime: microTime(this.#wall()) };
        this.#stats.folded++;
        this.#scheduleRefresh();
        return;
      }
      // The first repeat is written at once (client-go's), if the object's bucket allows.
      if (!this.#admit(controller, instance, regarding)) return;
      seen.event.series = { count: 2, lastObservedTime: microTime(this.#wall()) };
      this.#enqueue({ kind: "series", entry: seen });
      return;
    }
    if (!this.#admit(controller, instance, regarding)) return;
    const at = this.#wall();
    const namespace = regarding.namespace !== undefined && regarding.namespace !== "" ? regarding.namespace : "default";
    const event: EventObject = {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      // client-go's name: the object's name and the time in nanoseconds, in hex (a sequence number keeps names within a millisecond apart).
      metadata: { name: `${regarding.name ?? "event"}.${(BigInt(at.getTime()) * 1_000_000n + BigInt(this.#seq++ % 1_000_000)).toString(16)}`, namespace },
      eventTime: microTime(at),
      reportingController: controller,
      reportingInstance: instance,
      action,
      reason,
      regarding,
      ...(related !== undefined ? { related } : {}),
      ...(note !== undefined && note !== "" ? { note: truncate(note) } : {}),
      type,
    };
    const entry: Cached = { event, written: 0, lastObserved: now, writing: false };
    this.#cache.set(key, entry);
    if (++this.#sinceSweep >= 1000) this.#forgetOld(now);
    this.#enqueue({ kind: "create", entry });
  }

  /** The per-object token bucket. */
  #admit(controller: string, instance: string, regarding: ObjectReference): boolean {
    const key = JSON.stringify([controller, instance, regarding.apiVersion, regarding.kind, regarding.namespace, regarding.name, regarding.uid]);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.options.qps ?? 1 / 300, this.options.burst ?? 25, this.#clock);
      this.#buckets.set(key, bucket);
    }
    if (bucket.take()) return true;
    this.#stats.rateLimited++;
    return false;
  }

  #enqueue(job: Job): void {
    if (this.#queue.length >= this.#maxQueued) {
      this.#stats.dropped++;
      return;
    }
    this.#queue.push(job);
    this.#draining ??= this.#drain().finally(() => (this.#draining = undefined));
  }

  async #drain(): Promise<void> {
    await Promise.resolve(); // never inside the caller's stack
    for (let job = this.#queue.shift(); job !== undefined; job = this.#queue.shift()) {
      if (this.#stop.signal.aborted) return;
      await this.#write(job);
    }
  }

  async #write(job: Job): Promise<void> {
    const { entry } = job;
    const e = entry.event;
    const count = e.series?.count ?? 1;
    if (job.kind === "series" && count <= entry.written) return;
    entry.writing = true;
    try {
      for (let attempt = 1; attempt <= TRIES; attempt++) {
        try {
          if (job.kind === "create" || entry.written === 0) {
            await this.#sink.create(structuredClone(e), this.#stop.signal);
          } else {
            try {
              await this.#sink.patchSeries(e.metadata.namespace ?? "default", e.metadata.name ?? "", { ...(e.series as EventSeries) }, this.#stop.signal);
            } catch (err) {
              if (!isNotFound(err)) throw err;
              await this.#sink.create(structuredClone(e), this.#stop.signal); // expired meanwhile: write it again
            }
          }
          entry.written = count;
          this.#stats.written++;
          return;
        } catch (err) {
          if (this.#stop.signal.aborted) return;
          if (err instanceof ApiStatusError && !isAlreadyExists(err) && err.code !== 429 && err.code < 500) {
            this.#stats.failed++;
            this.#log.error(`the server refused event ${e.reason} about ${e.regarding.kind ?? ""} ${e.regarding.namespace ?? ""}/${e.regarding.name ?? ""}`, err);
            return;
          }
          if (attempt === TRIES) {
            this.#stats.failed++;
            this.#log.error("cannot write event (giving up)", err);
            return;
          }
          await new Promise<void>((resolve) => {
            const onStop = (): void => {
              t.cancel();
              resolve();
            };
            const t = this.#clock.setTimer(() => {
              this.#stop.signal.removeEventListener("abort", onStop);
              resolve();
            }, 1000 * attempt * (0.75 + Math.random() * 0.5));
            this.#stop.signal.addEventListener("abort", onStop, { once: true });
          });
        }
      }
    } finally {
      entry.writing = false;
    }
  }

  /** Queues a patch for each series whose count moved since it was written. */
  #refresh(): void {
    for (const entry of this.#cache.values()) {
      const count = entry.event.series?.count ?? 1;
      if (entry.written > 0 && count > entry.written && !entry.writing) this.#enqueue({ kind: "series", entry });
    }
  }

  /** A refresh is due while some series has unwritten repeats; no timer otherwise. */
  #scheduleRefresh(): void {
    if (this.#refreshTimer !== undefined || this.#stopped) return;
    this.#refreshTimer = this.#clock.setTimer(() => {
      this.#refreshTimer = undefined;
      this.#refresh();
      this.#forgetOld(this.#clock.now());
    }, this.options.seriesRefreshMs ?? 30_000);
  }

  /** Finished series and full buckets are forgotten, so memory stays bounded by recent activity. */
  #forgetOld(now: number): void {
    this.#sinceSweep = 0;
    const finish = this.options.seriesFinishMs ?? 360_000;
    for (const [k, entry] of this.#cache) if (now - entry.lastObserved > finish && !entry.writing && (entry.event.series?.count ?? 1) <= entry.written) this.#cache.delete(k);
    for (const [k, bucket] of this.#buckets) if (bucket.full()) this.#buckets.delete(k);
  }
}

function referenceOf(o: KubeObject | ObjectReference): ObjectReference {
  if ("metadata" in o && typeof o.metadata === "object") {
    const m = o.metadata;
    return strip({ apiVersion: o.apiVersion, kind: o.kind, namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion });
  }
  return strip(o as ObjectReference);
}

function strip(r: { [K in keyof ObjectReference]?: string | undefined }): ObjectReference {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined && v !== "")) as ObjectReference;
}

function truncate(note: string): string {
  const bytes = Buffer.from(note, "utf8");
  if (bytes.length <= MAX_NOTE_BYTES) return note;
  return bytes.subarray(0, MAX_NOTE_BYTES - 3).toString("utf8").replace(/\uFFFD$/, "") + "...";
}
