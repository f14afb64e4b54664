import { realClock, type Clock, type Timer } from "./clock.js";
import { DurationHistogram, type QueueMetrics } from "./metrics.js";
import { defaultControllerRateLimiter, type RateLimiter } from "./rate-limiter.js";

/** Options of a {@link WorkQueue}. */
export interface WorkQueueOptions<T> {
  /** The queue's name in its metrics (a controller's name). */
  readonly name?: string | undefined;
  /** What makes two items the same item (default `String(item)`). */
  readonly key?: ((item: T) => string) | undefined;
  /** Retry delays for `addRateLimited` (default {@link defaultControllerRateLimiter}). */
  readonly rateLimiter?: RateLimiter | undefined;
  readonly clock?: Clock | undefined;
}

interface Waiting<T> {
  readonly item: T;
  readyAt: number;
}

/**
 * client-go's rate-limited work queue (`workqueue.TypedRateLimitingInterface`), with its guarantees:
 * - an item added while it waits is not added twice (deduplicated);
 * - an item is processed by one worker at a time: added while processing, it is queued again
 *   when `done` is called, once, however often it was added meanwhile;
 * - `addAfter` waits before adding (a second `addAfter` keeps the earlier time); `addRateLimited`
 *   waits as the rate limiter says, `forget` resets it, `numRequeues` counts;
 * - `shutDown` refuses adds and makes waiting `get`s answer undefined; `shutDownWithDrain` also
 *   waits until the items being processed are done.
 * Every `get` must be followed by `done` for that item.
 */
export class WorkQueue<T> {
  readonly #key: (item: T) => string;
  readonly #clock: Clock;
  readonly #limiter: RateLimiter;
  readonly #name: string;
  /** Keys in order; the item of each is in #dirty. */
  #queue: string[] = [];
  #head = 0;
  readonly #dirty = new Map<string, T>();
  readonly #processing = new Map<string, number>();
  readonly #addedAt = new Map<string, number>();
  readonly #getters: ((item: T | undefined) => void)[] = [];
  readonly #waiting = new Map<string, Waiting<T>>();
  /** Delayed keys by ready time (a binary min-heap; entries whose time changed are skipped). */
  #heap: { key: string; readyAt: number }[] = [];
  #timer: Timer | undefined;
  #timerAt = Infinity;
  #shuttingDown = false;
  #drained: (() => void) | undefined;
  #adds = 0;
  #retries = 0;
  readonly #queueDuration = new DurationHistogram();
  readonly #workDuration = new DurationHistogram();

  constructor(options: WorkQueueOptions<T> = {}) {
    this.#key = options.key ?? ((item) => String(item));
    this.#clock = options.clock ?? realClock;
    this.#limiter = options.rateLimiter ?? defaultControllerRateLimiter(this.#clock);
    this.#name = options.name ?? "";
  }

  /** Queues an item, unless it is queued already; if it is being processed, after `done`. */
  add(item: T): void {
    if (this.#shuttingDown) return;
    const key = this.#key(item);
    if (this.#dirty.has(key)) return;
    this.#adds++;
    this.#dirty.set(key, item);
    this.#addedAt.set(key, this.#clock.now());
    if (this.#processing.has(key)) return;
    this.#push(key);
  }

  /** The number of items queued (waiting for a worker; not those being processed or delayed). */
  len(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * The next item, once there is one; undefined when the queue shuts down. The item counts as
   * being processed until `done(item)`. `signal` gives up waiting (undefined as well).
   */
  get(signal?: AbortSignal): Promise<T | undefined> {
    const ready = this.#take();
    if (ready !== undefined || this.#shuttingDown) return Promise.resolve(ready);
    if (signal?.aborted === true) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const getter = (item: T | undefined): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve(item);
      };
      const onAbort = (): void => {
        const i = this.#getters.indexOf(getter);
        if (i >= 0) this.#getters.splice(i, 1);
        resolve(undefined);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#getters.push(getter);
    });
  }

  /** Ends the processing of an item; if it was added meanwhile, it is queued again. */
  done(item: T): void {
    const key = this.#key(item);
    const started = this.#processing.get(key);
    if (started === undefined) return;
    this.#processing.delete(key);
    this.#workDuration.observe((this.#clock.now() - started) / 1000);
    if (this.#dirty.has(key)) this.#push(key);
    else if (this.#processing.size === 0) this.#drained?.();
  }

  /** Adds the item after `ms` (now when ≤ 0); an earlier pending `addAfter` of it wins. */
  addAfter(item: T, ms: number): void {
    if (this.#shuttingDown) return;
    if (ms <= 0) return this.add(item);
    const key = this.#key(item);
    const readyAt = this.#clock.now() + ms;
    const w = this.#waiting.get(key);
    if (w !== undefined && w.readyAt <= readyAt) return;
    if (w !== undefined) w.readyAt = readyAt;
    else this.#waiting.set(key, { item, readyAt });
    heapPush(this.#heap, { key, readyAt });
    this.#arm();
  }

  /** Adds the item after the rate limiter's delay for it (a retry). */
  addRateLimited(item: T): void {
    if (this.#shuttingDown) return;
    this.#retries++;
    this.addAfter(item, this.#limiter.when(this.#key(item)));
  }

  /** Ends the item's retries: its next `addRateLimited` starts from the first delay again. */
  forget(item: T): void {
    this.#limiter.forget(this.#key(item));
  }

  /** How many times the item was retried since it was last forgotten. */
  numRequeues(item: T): number {
    return this.#limiter.numRequeues(this.#key(item));
  }

  /** Whether `shutDown` was called. */
  shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** No more adds; waiting and future `get`s answer undefined; delayed items are dropped. */
  shutDown(): void {
    this.#shuttingDown = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#waiting.clear();
    this.#heap = [];
    for (const g of this.#getters.splice(0)) g(undefined);
  }

  /** Like `shutDown`, then waits until every item being processed is `done`. */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return;
    await new Promise<void>((resolve) => {
      this.#drained = resolve;
    });
  }

  /** The `workqueue_*` numbers of this queue, now. */
  metrics(): QueueMetrics {
    const now = this.#clock.now();
    let unfinished = 0;
    let longest = 0;
    for (const started of this.#processing.values()) {
      unfinished += now - started;
      longest = Math.max(longest, now - started);
    }
    return {
      name: this.#name,
      depth: this.len(),
      adds: this.#adds,
      retries: this.#retries,
      queueDuration: this.#queueDuration.summary(),
      workDuration: this.#workDuration.summary(),
      unfinishedWorkSeconds: unfinished / 1000,
      longestRunningProcessorSeconds: longest / 1000,
    };
  }

  #push(key: string): void {
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      this.#queue.push(key);
      getter(this.#take());
      return;
    }
    this.#queue.push(key);
  }

  #take(): T | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const key = this.#queue[this.#head++] as string;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    const item = this.#dirty.get(key) as T;
    this.#dirty.delete(key);
    const now = this.#clock.now();
    this.#processing.set(key, now);
    this.#queueDuration.observe((now - (this.#addedAt.get(key) ?? now)) / 1000);
    this.#addedAt.delete(key);
    return item;
  }

  /** The heap's top entry that is still current, stale ones dropped. */
  #peek(): { key: string; readyAt: number } | undefined {
    for (let top = this.#heap[0]; top !== undefined; top = this.#heap[0]) {
      if (this.#waiting.get(top.key)?.readyAt === top.readyAt) return top;
      heapPop(this.#heap);
    }
    return undefined;
  }

  /** One timer, for the earliest delayed item. */
  #arm(): void {
    const next = this.#peek()?.readyAt ?? Infinity;
    if (next === Infinity || next >= this.#timerAt) return;
    this.#timer?.cancel();
    this.#timerAt = next;
    this.#timer = this.#clock.setTimer(() => this.#fire(), next - this.#clock.now());
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = this.#clock.now();
    for (let top = this.#peek(); top !== undefined && top.readyAt <= now; top = this.#peek()) {
      heapPop(this.#heap);
      const w = this.#waiting.get(top.key) as Waiting<T>;
      this.#waiting.delete(top.key);
      this.add(w.item);
    }
    this.#arm();
  }
}

type Entry = { key: string; readyAt: number };

function heapPush(h: Entry[], e: Entry): void {
  h.push(e);
  for (let i = h.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if ((h[parent] as Entry).readyAt <= e.readyAt) break;
    h[i] = h[parent] as Entry;
    h[parent] = e;
    i = parent;
  }
}

function heapPop(h: Entry[]): void {
  const last = h.pop();
  if (last === undefined || h.length === 0) return;
  h[0] = last;
  for (let i = 0; ; ) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && (h[l] as Entry).readyAt < (h[m] as Entry).readyAt) m = l;
    if (r < h.length && (h[r] as Entry).readyAt < (h[m] as Entry).readyAt) m = r;
    if (m === i) return;
    [h[i], h[m]] = [h[m] as Entry, h[i] as Entry];
    i = m;
  }
}
