import { createMetadataClient, createResourceClient } from "../client/resource-client.js";
import type { KindTypes, KubeObject } from "../client/types.js";
import type { PartialObjectMetadata } from "../meta.js";
import type { ResourceDescriptor } from "../resource.js";
import type { RestClient } from "../rest/transport.js";
import { SharedInformer } from "./informer.js";
import type { ClusterLister, NamespacedLister } from "./lister.js";
import type { BackoffOptions } from "./backoff.js";
import type { ReflectorOptions, ReflectorProblem } from "./reflector.js";
import type { IndexFn } from "./store.js";
import type { InternScope } from "./intern.js";

/** Options of a factory: they apply to every informer it makes. */
export interface InformerFactoryOptions {
  /** Watch one namespace (namespaced kinds only; cluster-scoped kinds ignore it). Default: all. */
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /**
   * Drop `metadata.managedFields` before caching. Default true (half of a Pod-like object's heap
   * in the informer bench; an update from a cached object leaves the server's managedFields as
   * they are); `false` for code that reads field managers from the cache.
   */
  readonly stripManagedFields?: boolean | undefined;
  /** Applied once to every object before it is cached, after stripManagedFields. */
  readonly transform?: ((obj: KubeObject) => KubeObject) | undefined;
  /**
   * Share equal strings between cached objects, invisible to readers: `"metadata"` (default),
   * `"all"` (spec and status too: less heap, more CPU per object) or `false`.
   */
  readonly internStrings?: InternScope | undefined;
  /** Objects per list page (default 500). */
  readonly pageSize?: number | undefined;
  /** resourceVersion of the first list: "" (default: consistent and paged) or "0" (any, unpaged). */
  readonly initialListResourceVersion?: "" | "0" | undefined;
  /**
   * Fill caches with streaming lists (`sendInitialEvents`) instead of paged lists, falling back
   * to paged lists when the server refuses them (servers before 1.27, or with WatchList off).
   * Default true, as client-go's since 1.35 (servers have it on since 1.32): no list pages to
   * build and parse, about half the time to sync 100,000 objects in the informer bench. `false`
   * lists in pages. See {@link ReflectorOptions}.
   */
  readonly streamingList?: boolean | undefined;
  readonly backoff?: BackoffOptions | undefined;
  /** Watches end after a random [min, 2×min) seconds (default 300). */
  readonly minWatchTimeoutSeconds?: number | undefined;
  /** Deep-freeze cached objects so that accidental writes throw (costs time; for development). */
  readonly freezeObjects?: boolean | undefined;
  /** Reports list/watch failures (they are retried) and handlers that threw. */
  readonly onError?: ((error: unknown, context: { readonly resource: string; readonly during: ReflectorProblem | "handler" }) => void) | undefined;
}

/** The typed lister of a kind: `namespace(ns).get(name)` for namespaced kinds, `get(name)` for cluster-scoped ones. */
export type ListerForKind<K extends KindTypes> = K["descriptor"]["scope"] extends "Cluster" ? ClusterLister<K["object"]> : NamespacedLister<K["object"]>;

/** What an informer's list and watch go through. */
type Lw = {
  list(o: unknown): Promise<never>;
  listText(o: unknown): Promise<string>;
  watch(o: unknown): AsyncIterable<never>;
  watchBatches(o: unknown): AsyncIterable<never>;
};

/** A metadata-only informer of a resource: its lister reads `PartialObjectMetadata`, namespaced or not as the resource is. */
export type MetadataInformerFor<D extends ResourceDescriptor> = Omit<SharedInformer<PartialObjectMetadata>, "lister"> & {
  /** Reads the informer's cache: namespaced or cluster-scoped as the resource is. */
  lister(): D["scope"] extends "Cluster" ? ClusterLister<PartialObjectMetadata> : NamespacedLister<PartialObjectMetadata>;
};

/**
 * The typed informer of a kind: one of two generic interfaces, so that every use of a kind's
 * informer is the same type to the compiler (related by identity, members resolved when used).
 */
export type InformerFor<K extends KindTypes> = K["descriptor"]["scope"] extends "Cluster" ? ClusterInformer<K["object"]> : NamespacedInformer<K["object"]>;

/** The typed informer of a namespaced kind. */
export interface NamespacedInformer<T extends KubeObject> extends Omit<SharedInformer<T>, "lister"> {
  /** Reads the informer's cache, across namespaces or in one. */
  lister(): NamespacedLister<T>;
}

/** The typed informer of a cluster-scoped kind. */
export interface ClusterInformer<T extends KubeObject> extends Omit<SharedInformer<T>, "lister"> {
  /** Reads the informer's cache. */
  lister(): ClusterLister<T>;
}

/**
 * One informer per resource (and options), shared by everyone who asks for it; `start` starts
 * them, `waitForCacheSync` waits for all, `shutdown` stops all and leaves no socket or timer.
 */
export class SharedInformerFactory {
  readonly #rest: RestClient;
  readonly #options: InformerFactoryOptions;
  readonly #informers = new Map<string, SharedInformer<KubeObject>>();
  #started = false;
  #shutdown = false;

  constructor(rest: RestClient, options: InformerFactoryOptions = {}) {
    this.#rest = rest;
    this.#options = options;
  }

  /** The informer of a resource; the same one on every call. Started at once if the factory is. */
  informerFor<K extends KindTypes>(resource: K["descriptor"], indexers: Readonly<Record<string, IndexFn<K["object"]>>> = {}): InformerFor<K> {
    const namespace = resource.scope === "Namespaced" ? this.#options.namespace : undefined;
    const client = (): Lw => createResourceClient<{ object: K["object"]; list: K["list"]; descriptor: ResourceDescriptor }>(this.#rest, resource, namespace) as unknown as Lw;
    return this.#informer(`${resource.group}/${resource.version}/${resource.plural}`, resource, client, indexers as Record<string, IndexFn<KubeObject>>) as unknown as InformerFor<K>;
  }

  /**
   * A metadata-only informer of a resource (client-go's metadata informers, controller-runtime's
   * `OnlyMetadata`): the server sends `apiVersion`, `kind` and `metadata` of each object and nothing
   * else (no spec, no status, no Secret data), so the cache holds `PartialObjectMetadata`. One per
   * resource, beside the full informer.
   */
  metadataInformerFor<D extends ResourceDescriptor>(resource: D, indexers: Readonly<Record<string, IndexFn<PartialObjectMetadata>>> = {}): MetadataInformerFor<D> {
    const namespace = resource.scope === "Namespaced" ? this.#options.namespace : undefined;
    const client = (): Lw => createMetadataClient(this.#rest, resource, namespace) as unknown as Lw;
    return this.#informer(`${resource.group}/${resource.version}/${resource.plural}#metadata`, resource, client, indexers as Record<string, IndexFn<KubeObject>>) as unknown as MetadataInformerFor<D>;
  }

  #informer(key: string, resource: ResourceDescriptor, makeClient: () => Lw, indexers: Readonly<Record<string, IndexFn<KubeObject>>>): SharedInformer<KubeObject> {
    let informer = this.#informers.get(key);
    if (informer === undefined) {
      const client = makeClient();
      const o = this.#options;
      const name = describe(resource);
      informer = new SharedInformer<KubeObject>(
        { list: (opts) => client.list(opts), listText: (opts) => client.listText(opts), watch: (opts) => client.watch(opts), watchBatches: (opts) => client.watchBatches(opts) },
        {
          namespaced: resource.scope === "Namespaced",
          resource,
          labelSelector: o.labelSelector,
          fieldSelector: o.fieldSelector,
          transform: o.transform,
          stripManagedFields: o.stripManagedFields,
          internStrings: o.internStrings,
          ...(o.pageSize !== undefined ? { pageSize: o.pageSize } : {}),
          ...(o.initialListResourceVersion !== undefined ? { initialListResourceVersion: o.initialListResourceVersion } : {}),
          streamingList: o.streamingList ?? true,
          ...(o.backoff !== undefined ? { backoff: o.backoff } : {}),
          ...(o.minWatchTimeoutSeconds !== undefined ? { minWatchTimeoutSeconds: o.minWatchTimeoutSeconds } : {}),
          ...(o.freezeObjects !== undefined ? { freezeObjects: o.freezeObjects } : {}),
          indexers,
          onError: (error, during) => o.onError?.(error, { resource: name, during }),
          onHandlerError: (error) => o.onError?.(error, { resource: name, during: "handler" }),
        },
      );
      this.#informers.set(key, informer);
      if (this.#started && !this.#shutdown) informer.start();
    } else {
      for (const [n, fn] of Object.entries(indexers)) informer.addIndexer(n, fn);
    }
    return informer;
  }

  /** The informers made so far (for metrics and readiness). */
  informers(): readonly SharedInformer<KubeObject>[] {
    return [...this.#informers.values()];
  }

  /** Starts every informer made so far (and those made later). Does nothing after shutdown. */
  start(): void {
    if (this.#shutdown) return;
    this.#started = true;
    for (const i of this.#informers.values()) i.start();
  }

  /** Resolves when every started informer has synced; rejects when `signal` aborts first. */
  async waitForCacheSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.#informers.values()].map((i) => i.waitForSync(signal)));
  }

  /** Stops every informer; resolves when their loops, watches and timers are gone. */
  async shutdown(): Promise<void> {
    this.#shutdown = true;
    await Promise.all([...this.#informers.values()].map((i) => i.stop()));
  }
}

function describe(r: ResourceDescriptor): string {
  return `${r.plural}${r.group === "" ? "" : `.${r.group}`}/${r.version}`;
}
