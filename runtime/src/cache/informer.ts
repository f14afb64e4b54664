import type { ResourceDescriptor } from "../resource.js";
import type { KubeObject } from "../client/types.js";
import type { ObjectEvent } from "../watch/watch.js";
import { Lister, type ListerFor } from "./lister.js";
import { Reflector, type ListerWatcher, type ReflectorOptions, type ReflectorSink, type ReflectorStats } from "./reflector.js";
import { IndexedStore, keyOf, type IndexFn, type ReadonlyStore } from "./store.js";

/** A delete seen only through a relist: the object was gone; this is the last state the cache had. */
export interface DeletedFinalStateUnknown<T> {
  readonly kind: "DeletedFinalStateUnknown";
  readonly key: string;
  readonly lastKnownObject: T;
}

/** Whether a delete notification carries a tombstone rather than the object. */
export function isTombstone<T>(obj: T | DeletedFinalStateUnknown<T>): obj is DeletedFinalStateUnknown<T> {
  return typeof obj === "object" && obj !== null && (obj as { kind?: unknown }).kind === "DeletedFinalStateUnknown" && "lastKnownObject" in obj;
}

/** Callbacks of one handler. Each handler has its own queue: a slow one does not hold up others. */
export interface EventHandler<T> {
  /** `isInInitialList`: the object came with the first list (or the replay to a late handler). */
  onAdd?(obj: T, isInInitialList: boolean): void | Promise<void>;
  /** Also called on resync, with `oldObj === newObj`. */
  onUpdate?(oldObj: T, newObj: T): void | Promise<void>;
  /** A tombstone when the deletion was missed while disconnected (`isTombstone`). */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void | Promise<void>;
}

/** Options of one handler. */
export interface HandlerOptions {
  /** Re-deliver every cached object as an update this often (no API call). */
  readonly resyncPeriodMs?: number | undefined;
}

/** A handler's registration: remove it to stop its notifications. */
export interface HandlerRegistration {
  /** Stops the notifications; what is queued for the handler is dropped. */
  remove(): void;
  /** Resolves when the handler has processed everything queued for it so far. */
  idle(): Promise<void>;
}

/** Options of an informer. */
export interface InformerOptions<T> extends ReflectorOptions<T> {
  readonly indexers?: Readonly<Record<string, IndexFn<T>>> | undefined;
  /** Reports a handler that threw (the next event still arrives). */
  readonly onHandlerError?: ((error: unknown) => void) | undefined;
  /** Deep-freeze objects as they enter the cache, so that accidental writes throw. */
  readonly freezeObjects?: boolean | undefined;
  readonly namespaced: boolean;
  /** The resource informed on (group, version, kind, plural, scope), for those who need to name it. */
  readonly resource?: ResourceDescriptor | undefined;
}

type Notification<T> =
  | { readonly type: "add"; readonly obj: T; readonly initial: boolean }
  | { readonly type: "update"; readonly oldObj: T; readonly newObj: T }
  | { readonly type: "delete"; readonly obj: T | DeletedFinalStateUnknown<T> };

class HandlerQueue<T> implements HandlerRegistration {
  #queue: Notification<T>[] = [];
  #head = 0;
  #running = false;
  #removed = false;
  #idle: (() => void)[] = [];
  #resyncTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly handler: EventHandler<T>,
    private readonly onError: (err: unknown) => void,
    private readonly detach: (q: HandlerQueue<T>) => void,
  ) {}

  push(n: Notification<T>): void {
    if (this.#removed) return;
    if (!this.#running && this.#head >= this.#queue.length) {
      // Nothing queued: deliver at once; only a handler that returns a promise makes it wait.
      const r = this.#deliver(n);
      if (r !== undefined) {
        this.#running = true;
        void r.then(() => this.#drain());
      }
      return;
    }
    this.#queue.push(n);
    if (!this.#running) void this.#drain();
  }

  /** Calls the handler; returns its promise if it returned one (errors are reported, never thrown). */
  #deliver(n: Notification<T>): Promise<void> | undefined {
    try {
      const h = this.handler;
      const r = n.type === "add" ? h.onAdd?.(n.obj, n.initial) : n.type === "update" ? h.onUpdate?.(n.oldObj, n.newObj) : h.onDelete?.(n.obj);
      if (r === undefined || r === null || typeof (r as Promise<void>).then !== "function") return undefined;
      return (r as Promise<void>).then(undefined, (err: unknown) => this.onError(err));
    } catch (err) {
      this.onError(err);
      return undefined;
    }
  }

  startResync(periodMs: number, snapshot: () => readonly T[]): void {
    this.#resyncTimer = setInterval(() => {
      for (const o of snapshot()) this.push({ type: "update", oldObj: o, newObj: o });
    }, periodMs);
    this.#resyncTimer.unref?.();
  }

  remove(): void {
    this.#removed = true;
    clearInterval(this.#resyncTimer);
    this.#queue = [];
    this.#head = 0;
    this.detach(this);
    this.#wake();
  }

  idle(): Promise<void> {
    if (!this.#running && this.#head >= this.#queue.length) return Promise.resolve();
    return new Promise((r) => this.#idle.push(r));
  }

  async #drain(): Promise<void> {
    this.#running = true;
    while (this.#head < this.#queue.length && !this.#removed) {
      const n = this.#queue[this.#head++] as Notification<T>;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      const r = this.#deliver(n);
      if (r !== undefined) await r;
    }
    this.#running = false;
    this.#wake();
  }

  #wake(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const r of waiting) r();
  }
}

/**
 * A shared informer: one reflector filling one indexed cache, fanned out to any number of handlers,
 * each with its own queue. Objects handed out are shared with the cache and must not be modified.
 */
export class SharedInformer<T extends KubeObject> implements ReflectorSink<T> {
  readonly #store: IndexedStore<T>;
  readonly #reflector: Reflector<T>;
  readonly #handlers = new Set<HandlerQueue<T>>();
  readonly #options: InformerOptions<T>;
  #synced = false;
  #syncWaiters: (() => void)[] = [];
  #controller: AbortController | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(lw: ListerWatcher<T>, options: InformerOptions<T>) {
    this.#options = options;
    this.#store = new IndexedStore<T>(options.indexers ?? {});
    this.#reflector = new Reflector<T>(lw, this, options);
  }

  /** The resource informed on, when the informer was made for one (the factory's always are). */
  get resource(): ResourceDescriptor | undefined {
    return this.#options.resource;
  }

  /** The cache: get, list, byIndex. Objects are shared and read-only. */
  get store(): ReadonlyStore<T> {
    return this.#store;
  }

  /** Reflector counters (lists, pages, watches, relists). */
  get stats(): Readonly<ReflectorStats> {
    return this.#reflector.stats;
  }

  /** A lister over the cache. */
  lister(): ListerFor<T> {
    return new Lister<T>(this.#store, this.#options.namespaced) as unknown as ListerFor<T>;
  }

  /** Adds an index (before or after start). */
  addIndexer(name: string, fn: IndexFn<T>): void {
    this.#store.addIndexer(name, fn);
  }

  /** Whether the first list has been applied. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** The resourceVersion of the last list or watch event seen (`""` before the first list). */
  get lastSyncResourceVersion(): string {
    return this.#reflector.lastSyncResourceVersion;
  }

  /** Adds a handler; if the informer has synced, it first receives the cache as adds. */
  addEventHandler(handler: EventHandler<T>, options: HandlerOptions = {}): HandlerRegistration {
    const q = new HandlerQueue<T>(handler, (err) => this.#options.onHandlerError?.(err), (x) => this.#handlers.delete(x));
    this.#handlers.add(q);
    if (this.#synced) for (const o of this.#store.list()) q.push({ type: "add", obj: o, initial: true });
    if (options.resyncPeriodMs !== undefined && options.resyncPeriodMs > 0) q.startResync(options.resyncPeriodMs, () => this.#store.list());
    return q;
  }

  /** Shorthand for a handler with only `onAdd`. */
  onAdd(fn: (obj: T, isInInitialList: boolean) => void | Promise<void>, options?: HandlerOptions): HandlerRegistration {
    return this.addEventHandler({ onAdd: fn }, options);
  }

  /** Shorthand for a handler with only `onUpdate`. */
  onUpdate(fn: (oldObj: T, newObj: T) => void | Promise<void>, options?: HandlerOptions): HandlerRegistration {
    return this.addEventHandler({ onUpdate: fn }, options);
  }

  /** Shorthand for a handler with only `onDelete`. */
  onDelete(fn: (obj: T | DeletedFinalStateUnknown<T>) => void | Promise<void>, options?: HandlerOptions): HandlerRegistration {
    return this.addEventHandler({ onDelete: fn }, options);
  }

  /** Starts list and watch (once; nothing after stop). */
  start(): void {
    if (this.#running !== undefined || this.#stopped) return;
    this.#controller = new AbortController();
    this.#running = this.#reflector.run(this.#controller.signal);
  }

  /** Resolves once synced; rejects when `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
      if (signal?.aborted === true) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#syncWaiters.push(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
    });
  }

  /** Stops the reflector and every handler's timers; resolves when nothing is left running. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#controller?.abort();
    await this.#running;
    for (const h of [...this.#handlers]) h.remove();
  }

  /** Resolves when every handler has processed what was queued for it. */
  async idle(): Promise<void> {
    await Promise.all([...this.#handlers].map((h) => h.idle()));
  }

  /** ReflectorSink: a complete list. Deltas against the cache go to the handlers. */
  replace(items: readonly T[], _resourceVersion: string): void {
    const freeze = this.#options.freezeObjects === true;
    const before = new Map<string, T>();
    for (const k of this.#store.keys()) {
      const o = this.#store.get(k);
      if (o !== undefined) before.set(k, o);
    }
    const objects = freeze ? items.map(deepFreeze) : items;
    this.#store.replace(objects);
    const initial = !this.#synced;
    const notes: Notification<T>[] = [];
    const seen = new Set<string>();
    for (const obj of objects) {
      const key = keyOf(obj);
      seen.add(key);
      const old = before.get(key);
      if (old === undefined) notes.push({ type: "add", obj, initial });
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) notes.push({ type: "update", oldObj: old, newObj: obj });
    }
    for (const [key, old] of before) {
      if (!seen.has(key)) notes.push({ type: "delete", obj: { kind: "DeletedFinalStateUnknown", key, lastKnownObject: old } });
    }
    this.#notify(notes);
    if (!this.#synced) {
      this.#synced = true;
      const waiting = this.#syncWaiters;
      this.#syncWaiters = [];
      for (const w of waiting) w();
    }
  }

  /** ReflectorSink: one watch event. */
  apply(event: ObjectEvent<T>): void {
    const obj = this.#options.freezeObjects === true ? deepFreeze(event.object) : event.object;
    if (event.type === "DELETED") {
      const old = this.#store.delete(keyOf(obj));
      if (old !== undefined) this.#notify([{ type: "delete", obj }]);
      return;
    }
    const old = this.#store.set(obj);
    this.#notify([old === undefined ? { type: "add", obj, initial: false } : { type: "update", oldObj: old, newObj: obj }]);
  }

  #notify(notes: readonly Notification<T>[]): void {
    if (notes.length === 0) return;
    for (const h of this.#handlers) for (const n of notes) h.push(n);
  }
}

function deepFreeze<O>(o: O): O {
  if (typeof o === "object" && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
