import { KubeError, isGone } from "../errors.js";
import type { PartialObjectMetadata, PartialObjectMetadataList, Status } from "../meta.js";
import type { ResourceDescriptor } from "../resource.js";
import { linesOf } from "./lines.js";
import type { Query, ResponseStream, RestClient, RestRequest } from "../rest/transport.js";
import { decodeWatch, decodeWatchBatches, type WatchEvent } from "../watch/watch.js";
import { parseEventWithoutManagedFields } from "../watch/managed-fields.js";
import type {
  ApplyConfiguration,
  ApplyOptions,
  BaseResourceClient,
  DeleteCollectionOptions,
  DeleteOptions,
  DynamicKind,
  GetOptions,
  KindTypes,
  KubeObject,
  ListOptions,
  ListPage,
  EvictOptions,
  LogOptions,
  Patch,
  RequestOptions,
  ResourceClientFor,
  Scale,
  ScaleMethods,
  StatusMethods,
  StrategicPatch,
  TokenRequest,
  TokenRequestSpec,
  WatchOptions,
  WriteOptions,
} from "./types.js";

const PATCH_TYPES = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  json: "application/json-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

/**
 * The typed client for one kind, bound to a namespace (or to all namespaces, or to none for a
 * cluster-scoped kind). Generated code calls this with the kind's types and descriptor; it also
 * works as a dynamic client for any resource given a descriptor (`descriptorFor`, or one written
 * `as const`), typed then as any Kubernetes object ({@link DynamicKind}) with the verbs and
 * subresources the descriptor declares.
 */
export function createResourceClient<D extends ResourceDescriptor>(rest: RestClient, resource: D, namespace?: string): ResourceClientFor<DynamicKind & { readonly descriptor: D }>;
export function createResourceClient<K extends KindTypes>(rest: RestClient, resource: K["descriptor"], namespace?: string): ResourceClientFor<K>;
export function createResourceClient<K extends KindTypes>(rest: RestClient, resource: K["descriptor"], namespace?: string): ResourceClientFor<K> {
  if (resource.scope === "Cluster" && namespace !== undefined) {
    throw new KubeError(`${resource.kind} is cluster-scoped: it takes no namespace`);
  }
  return new ResourceClient<K["object"], K["list"]>(rest, resource, namespace) as unknown as ResourceClientFor<K>;
}

/** A log is text; an error about it (no node, no such container) is a JSON Status, which text/plain alone would refuse (406). */
const LOG_ACCEPT = "text/plain, application/json";

type AnyPatch<T> = Patch<T & KubeObject> | StrategicPatch<T>;

type AnyList<T> = { metadata: { resourceVersion?: string; continue?: string }; items: T[] };

/** Lists and watches of a resource as `PartialObjectMetadata` (see {@link createMetadataClient}). */
export interface MetadataClient extends Pick<BaseResourceClient<PartialObjectMetadata, PartialObjectMetadataList>, "list" | "watch"> {
  /** The watch, one array of events per network chunk (for informers). */
  watchBatches(options?: WatchOptions): AsyncGenerator<WatchEvent<PartialObjectMetadata>[], void, undefined>;
  /** One page of the list as JSON text, unparsed (for informers). */
  listText(options?: ListOptions): Promise<string>;
}

/** The Accept headers of a list and a watch that ask for metadata only (`meta.k8s.io/v1` PartialObjectMetadata). */
export const METADATA_ACCEPT = {
  list: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json",
  watch: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json",
} as const;

/**
 * A client that lists and watches a resource's objects as `PartialObjectMetadata`: the server sends
 * `apiVersion`, `kind` and `metadata` only (client-go's metadata client). For metadata-only informers.
 */
export function createMetadataClient(rest: RestClient, resource: ResourceDescriptor, namespace?: string): MetadataClient {
  return new ResourceClient<PartialObjectMetadata, PartialObjectMetadataList>(rest, resource, namespace, METADATA_ACCEPT);
}

class ResourceClient<T extends KubeObject, TList> implements BaseResourceClient<T, TList>, StatusMethods<T>, ScaleMethods {
  readonly resource: ResourceDescriptor;
  readonly namespace: string | undefined;
  readonly #rest: RestClient;
  readonly #base: string;
  readonly #accept: { readonly list: string; readonly watch: string } | undefined;

  constructor(rest: RestClient, resource: ResourceDescriptor, namespace: string | undefined, accept?: { readonly list: string; readonly watch: string }) {
    this.#rest = rest;
    this.resource = resource;
    this.namespace = namespace;
    this.#accept = accept;
    this.#base = resource.group === "" ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  }

  get(name: string, options: GetOptions = {}): Promise<T> {
    return this.#call({ verb: "get", method: "GET", path: this.#path(name, this.namespace), query: { resourceVersion: options.resourceVersion } }, options);
  }

  list(options: ListOptions = {}): Promise<TList> {
    return this.#call({ verb: "list", method: "GET", path: this.#collection(this.namespace), query: listQuery(options), accept: this.#accept?.list }, options);
  }

  /** One page of the list as the server's JSON text, unparsed (for callers that parse it themselves: informers). */
  listText(options: ListOptions = {}): Promise<string> {
    return this.#call({ verb: "list", method: "GET", path: this.#collection(this.namespace), query: listQuery(options), accept: this.#accept?.list, responseType: "text" }, options);
  }

  async *listAll(options: Omit<ListOptions, "continue"> = {}): AsyncGenerator<ListPage<T>, void, undefined> {
    const limit = options.limit ?? 500;
    let token: string | undefined;
    let restarted = false;
    for (;;) {
      let page: AnyList<T>;
      try {
        page = (await this.list({ ...options, limit, ...(token !== undefined ? { continue: token } : {}) })) as unknown as AnyList<T>;
      } catch (err) {
        if (token === undefined || !isGone(err)) throw err;
        // The continue token expired (410): pages of different snapshots must not be stitched
        // together, so start over from the beginning and say so.
        token = undefined;
        restarted = true;
        continue;
      }
      yield { items: page.items, resourceVersion: page.metadata.resourceVersion ?? "", restarted };
      restarted = false;
      token = page.metadata.continue;
      if (token === undefined || token === "") return;
    }
  }

  create(object: T, options: WriteOptions = {}): Promise<T> {
    const ns = this.#namespaceFor(object);
    return this.#call({ verb: "create", method: "POST", path: this.#collection(ns), query: writeQuery(options), body: object }, options);
  }

  update(object: T, options: WriteOptions = {}): Promise<T> {
    return this.#call({ verb: "update", method: "PUT", path: this.#path(nameOf(object), this.#namespaceFor(object)), query: writeQuery(options), body: object }, options);
  }

  patch(name: string, patch: AnyPatch<T>, options: WriteOptions & { force?: boolean | undefined } = {}): Promise<T> {
    return this.#patch(name, undefined, patch, options);
  }

  apply(configuration: ApplyConfiguration<T>, options: ApplyOptions): Promise<T> {
    return this.#patch(configuration.metadata.name, undefined, { type: "apply", patch: configuration }, options, configuration.metadata.namespace);
  }

  delete(name: string, options: DeleteOptions = {}): Promise<T | Status> {
    return this.#call({ verb: "delete", method: "DELETE", path: this.#path(name, this.namespace), query: { dryRun: options.dryRun === true ? "All" : undefined }, body: deleteBody(options) }, options);
  }

  deleteCollection(options: DeleteCollectionOptions = {}): Promise<TList | Status> {
    const query: Query = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, dryRun: options.dryRun === true ? "All" : undefined };
    return this.#call({ verb: "deletecollection", method: "DELETE", path: this.#collection(this.namespace), query, body: deleteBody(options) }, options);
  }

  watch(options: WatchOptions = {}): AsyncGenerator<WatchEvent<T>, void, undefined> {
    return decodeWatch<T>(this.#openWatch(options), this.#rest.options.watchInactivityTimeoutMs, options.signal, eventParser(options));
  }

  /** The watch, one array of events per network chunk (for informers). */
  watchBatches(options: WatchOptions = {}): AsyncGenerator<WatchEvent<T>[], void, undefined> {
    return decodeWatchBatches<T>(this.#openWatch(options), this.#rest.options.watchInactivityTimeoutMs, options.signal, eventParser(options));
  }

  /** A thenable that opens the watch when first awaited (when iteration starts). */
  #openWatch(options: WatchOptions): Promise<ResponseStream> {
    const query: Query = {
      watch: true,
      allowWatchBookmarks: options.allowWatchBookmarks ?? true,
      resourceVersion: options.resourceVersion,
      resourceVersionMatch: options.resourceVersionMatch,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      timeoutSeconds: options.timeoutSeconds,
      sendInitialEvents: options.sendInitialEvents,
    };
    // Waiting for the response headers is bounded like silence on the stream: a stall is a stall.
    const timeoutMs = options.timeoutMs ?? this.#rest.options.watchInactivityTimeoutMs;
    let opening: Promise<ResponseStream> | undefined;
    const open = (): Promise<ResponseStream> =>
      (opening ??= this.#rest.stream({ verb: "watch", method: "GET", path: this.#collection(this.namespace), query, signal: options.signal, timeoutMs, accept: this.#accept?.watch }));
    return { then: (ok, bad) => open().then(ok, bad) } as Promise<ResponseStream>;
  }

  getStatus(name: string, options: GetOptions = {}): Promise<T> {
    return this.#call({ verb: "get", method: "GET", path: `${this.#path(name, this.namespace)}/status`, query: { resourceVersion: options.resourceVersion } }, options);
  }

  updateStatus(object: T, options: WriteOptions = {}): Promise<T> {
    return this.#call({ verb: "update", method: "PUT", path: `${this.#path(nameOf(object), this.#namespaceFor(object))}/status`, query: writeQuery(options), body: object }, options);
  }

  patchStatus(name: string, patch: AnyPatch<T>, options: WriteOptions & { force?: boolean | undefined } = {}): Promise<T> {
    return this.#patch(name, "status", patch, options);
  }

  applyStatus(configuration: ApplyConfiguration<T>, options: ApplyOptions): Promise<T> {
    return this.#patch(configuration.metadata.name, "status", { type: "apply", patch: configuration }, options, configuration.metadata.namespace);
  }

  getScale(name: string, options: GetOptions = {}): Promise<Scale> {
    return this.#call({ verb: "get", method: "GET", path: `${this.#path(name, this.namespace)}/scale` }, options);
  }

  updateScale(name: string, scale: Scale, options: WriteOptions = {}): Promise<Scale> {
    return this.#call({ verb: "update", method: "PUT", path: `${this.#path(name, this.namespace)}/scale`, query: writeQuery(options), body: scale }, options);
  }

  patchScale(name: string, patch: { readonly type: "merge" | "json"; readonly patch: unknown }, options: WriteOptions = {}): Promise<Scale> {
    return this.#call({ verb: "patch", method: "PATCH", path: `${this.#path(name, this.namespace)}/scale`, query: writeQuery(options), body: patch.patch, contentType: PATCH_TYPES[patch.type] }, options);
  }

  getLog(name: string, options: LogOptions = {}): Promise<string> {
    return this.#call({ verb: "get", method: "GET", path: `${this.#path(name, this.namespace)}/log`, query: logQuery(options, false), accept: LOG_ACCEPT, responseType: "text" }, options);
  }

  async *streamLog(name: string, options: LogOptions = {}): AsyncGenerator<string, void, undefined> {
    const stream = await this.#rest.stream({
      verb: "get",
      method: "GET",
      path: `${this.#path(name, this.namespace)}/log`,
      query: logQuery(options, true),
      accept: LOG_ACCEPT,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    yield* linesOf(stream, options.signal);
  }

  evict(name: string, options: EvictOptions = {}): Promise<Status> {
    const deleteOptions: Record<string, unknown> = {};
    if (options.gracePeriodSeconds !== undefined) deleteOptions["gracePeriodSeconds"] = options.gracePeriodSeconds;
    if (options.preconditions !== undefined) deleteOptions["preconditions"] = options.preconditions;
    if (options.dryRun === true) deleteOptions["dryRun"] = ["All"];
    const body = { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace: this.namespace }, deleteOptions };
    return this.#call({ verb: "create", method: "POST", path: `${this.#path(name, this.namespace)}/eviction`, body }, options);
  }

  createToken(name: string, spec: TokenRequestSpec, options: WriteOptions = {}): Promise<TokenRequest> {
    const body = { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", metadata: {}, spec };
    return this.#call({ verb: "create", method: "POST", path: `${this.#path(name, this.namespace)}/token`, query: writeQuery(options), body }, options);
  }

  #patch(name: string, subresource: string | undefined, patch: AnyPatch<T>, options: WriteOptions & { force?: boolean | undefined }, objectNamespace?: string): Promise<T> {
    if (patch.type === "strategic" && this.resource.strategicMergePatch !== true) {
      throw new KubeError(`${this.resource.kind} does not accept strategic merge patches (custom resources never do): use a merge, JSON or apply patch`);
    }
    if (patch.type === "apply" && (options.fieldManager === undefined || options.fieldManager === "")) {
      throw new KubeError(`server-side apply of ${this.resource.kind} ${name} needs a fieldManager`);
    }
    const ns = this.resource.scope === "Namespaced" ? (this.namespace ?? objectNamespace) : undefined;
    const path = this.#path(name, ns) + (subresource === undefined ? "" : `/${subresource}`);
    const query: Query = { ...writeQuery(options), force: patch.type === "apply" && options.force === true ? true : undefined };
    return this.#call({ verb: "patch", method: "PATCH", path, query, body: patch.patch, contentType: PATCH_TYPES[patch.type] }, options);
  }

  #call<R>(req: RestRequest, options: RequestOptions): Promise<R> {
    return this.#rest.request<R>({ ...req, signal: options.signal, timeoutMs: options.timeoutMs });
  }

  #namespaceFor(object: T): string | undefined {
    if (this.resource.scope === "Cluster") return undefined;
    return this.namespace ?? object.metadata.namespace;
  }

  #collection(namespace: string | undefined): string {
    const ns = this.resource.scope === "Namespaced" && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : "";
    return `${this.#base}${ns}/${this.resource.plural}`;
  }

  #path(name: string, namespace: string | undefined): string {
    if (name === "") throw new KubeError(`a ${this.resource.kind} name is required`);
    if (this.resource.scope === "Namespaced" && namespace === undefined) {
      throw new KubeError(`${this.resource.kind} is namespaced: give the client a namespace (or the object metadata.namespace) to address ${name}`);
    }
    return `${this.#collection(namespace)}/${encodeURIComponent(name)}`;
  }
}

function nameOf(object: KubeObject): string {
  const name = object.metadata.name;
  if (name === undefined || name === "") throw new KubeError(`${object.kind} without metadata.name`);
  return name;
}

/** How a watch's lines are parsed: without managed fields when asked. */
function eventParser(o: WatchOptions): ((line: string) => unknown) | undefined {
  return o.omitManagedFields === true ? parseEventWithoutManagedFields : undefined;
}

function listQuery(o: ListOptions): Query {
  return {
    labelSelector: o.labelSelector,
    fieldSelector: o.fieldSelector,
    resourceVersion: o.resourceVersion,
    resourceVersionMatch: o.resourceVersionMatch,
    limit: o.limit,
    continue: o.continue,
    timeoutSeconds: o.timeoutSeconds,
  };
}

function logQuery(o: LogOptions, follow: boolean): Query {
  return {
    container: o.container,
    follow: follow ? true : undefined,
    previous: o.previous,
    sinceSeconds: o.sinceSeconds,
    sinceTime: o.sinceTime,
    timestamps: o.timestamps,
    tailLines: o.tailLines,
    limitBytes: o.limitBytes,
  };
}

function writeQuery(o: WriteOptions | ApplyOptions): Query {
  return {
    dryRun: o.dryRun === true ? "All" : undefined,
    fieldManager: o.fieldManager,
    fieldValidation: "fieldValidation" in o ? o.fieldValidation : undefined,
  };
}

function deleteBody(o: DeleteOptions): object {
  const body: Record<string, unknown> = { kind: "DeleteOptions", apiVersion: "v1" };
  if (o.gracePeriodSeconds !== undefined) body["gracePeriodSeconds"] = o.gracePeriodSeconds;
  if (o.propagationPolicy !== undefined) body["propagationPolicy"] = o.propagationPolicy;
  if (o.preconditions !== undefined) body["preconditions"] = o.preconditions;
  // The server reads dryRun of a delete from the body (DeleteOptions), not from the query.
  if (o.dryRun === true) body["dryRun"] = ["All"];
  return body;
}

