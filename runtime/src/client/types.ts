import type { ListMeta, ObjectMeta, Status } from "../meta.js";
import type { ResourceDescriptor, ScaleSubresource } from "../resource.js";
import type { WatchEvent } from "../watch/watch.js";

/** What every Kubernetes object has. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

/** A kind's TypeScript types and descriptor, as generated code declares them. */
export interface KindTypes {
  readonly object: KubeObject;
  readonly list: { metadata: ListMeta; items: unknown[] };
  readonly descriptor: ResourceDescriptor;
}

/** Options every call takes. */
export interface RequestOptions {
  /** Cancels the call (and closes a watch). */
  readonly signal?: AbortSignal | undefined;
  /** Overrides the client's request timeout, in ms. */
  readonly timeoutMs?: number | undefined;
}

/** `get`. */
export interface GetOptions extends RequestOptions {
  readonly resourceVersion?: string | undefined;
}

/** Selectors shared by list, watch and deleteCollection. */
export interface SelectorOptions {
  /** Kubernetes label selector syntax: `app=web,tier in (a,b),!legacy`. */
  readonly labelSelector?: string | undefined;
  /** Field selector: `metadata.name=x`, `metadata.namespace!=y`. */
  readonly fieldSelector?: string | undefined;
}

/** `list`. Resource version semantics are the API server's: unset = consistent read, "0" = any. */
export interface ListOptions extends RequestOptions, SelectorOptions {
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: "Exact" | "NotOlderThan" | undefined;
  readonly limit?: number | undefined;
  readonly continue?: string | undefined;
  readonly timeoutSeconds?: number | undefined;
}

/** `watch`. Bookmarks are asked for unless `allowWatchBookmarks` is false. */
export interface WatchOptions extends RequestOptions, SelectorOptions {
  /** Unset or "0": synthetic ADDED events for every object first; otherwise changes after it. */
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: "NotOlderThan" | undefined;
  readonly allowWatchBookmarks?: boolean | undefined;
  /** The server ends the watch after this many seconds. */
  readonly timeoutSeconds?: number | undefined;
  /** Streaming list: initial ADDEDs then a bookmark annotated `k8s.io/initial-events-end`. */
  readonly sendInitialEvents?: boolean | undefined;
}

/** Options of create, update and the patches. */
export interface WriteOptions extends RequestOptions {
  readonly dryRun?: boolean | undefined;
  readonly fieldManager?: string | undefined;
  readonly fieldValidation?: "Ignore" | "Warn" | "Strict" | undefined;
}

/** Server-side apply: the field manager is required. */
export interface ApplyOptions extends RequestOptions {
  readonly fieldManager: string;
  /** Take over fields owned by other managers instead of failing with a conflict. */
  readonly force?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
}

/** `delete`. */
export interface DeleteOptions extends RequestOptions {
  readonly dryRun?: boolean | undefined;
  readonly gracePeriodSeconds?: number | undefined;
  readonly propagationPolicy?: "Orphan" | "Background" | "Foreground" | undefined;
  /** The delete fails with a conflict unless the object still has this uid / resourceVersion. */
  readonly preconditions?: { readonly uid?: string | undefined; readonly resourceVersion?: string | undefined } | undefined;
}

/** `deleteCollection`. */
export interface DeleteCollectionOptions extends DeleteOptions, SelectorOptions {}

/** Every property optional, recursively (arrays of partial items). */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A JSON merge patch (RFC 7386): any subset of the object; `null` removes a field. */
export type MergePatch<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: MergePatch<T[K]> | null }
    : T;

/** One JSON patch (RFC 6902) operation. */
export type JsonPatchOperation =
  | { readonly op: "add" | "replace" | "test"; readonly path: string; readonly value: unknown }
  | { readonly op: "remove"; readonly path: string }
  | { readonly op: "move" | "copy"; readonly from: string; readonly path: string };

/**
 * A server-side apply configuration: the fields this manager owns, with apiVersion, kind and
 * metadata.name required (and everything else optional, recursively).
 */
export type ApplyConfiguration<T extends KubeObject> = DeepPartial<Omit<T, "apiVersion" | "kind" | "metadata">> & {
  apiVersion: T["apiVersion"];
  kind: T["kind"];
  metadata: DeepPartial<ObjectMeta> & { name: string };
};

/** The three kinds of patch a custom resource accepts (strategic merge is not one of them). */
export type Patch<T extends KubeObject> =
  | { readonly type: "merge"; readonly patch: MergePatch<T> }
  | { readonly type: "json"; readonly patch: readonly JsonPatchOperation[] }
  | { readonly type: "apply"; readonly patch: ApplyConfiguration<T> };

/** `autoscaling/v1` Scale: the scale subresource's object. */
export interface Scale {
  apiVersion: "autoscaling/v1";
  kind: "Scale";
  metadata: ObjectMeta;
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

/** One page of `listAll`. */
export interface ListPage<T> {
  readonly items: readonly T[];
  /** The list's resourceVersion (the same on every page of one listing). */
  readonly resourceVersion: string;
  /**
   * True on the first page after the continue token expired (410) and the listing started over
   * from the beginning: drop what earlier pages gave you.
   */
  readonly restarted: boolean;
}

/** The verbs every resource has. */
export interface BaseResourceClient<T extends KubeObject, TList> {
  /** The resource this client addresses. */
  readonly resource: ResourceDescriptor;
  /** The namespace this client is bound to; undefined for cluster-scoped kinds or all namespaces. */
  readonly namespace: string | undefined;
  /** The object of that name; 404 (`isNotFound`) when there is none. */
  get(name: string, options?: GetOptions): Promise<T>;
  /** One list request: a page when `limit` is set (then `metadata.continue` leads to the next). */
  list(options?: ListOptions): Promise<TList>;
  /** Every object, page by page (`limit` per page, default 500), from one consistent snapshot. */
  listAll(options?: Omit<ListOptions, "continue">): AsyncIterable<ListPage<T>>;
  /** Creates the object; 409 (`isAlreadyExists`) when the name is taken. */
  create(object: T, options?: WriteOptions): Promise<T>;
  /** Replaces the object; fails with a conflict if `metadata.resourceVersion` is stale. */
  update(object: T, options?: WriteOptions): Promise<T>;
  /** A merge, JSON or apply patch; `force` only with apply. */
  patch(name: string, patch: Patch<T>, options?: WriteOptions & { force?: boolean | undefined }): Promise<T>;
  /** Server-side apply. */
  apply(configuration: ApplyConfiguration<T>, options: ApplyOptions): Promise<T>;
  /** Resolves with the object (still finalizing) or the server's Status. */
  delete(name: string, options?: DeleteOptions): Promise<T | Status>;
  /** Deletes every object the selectors match (in the client's namespace, or cluster-wide). */
  deleteCollection(options?: DeleteCollectionOptions): Promise<TList | Status>;
  /** A watch: iterate it; it ends when the server ends the watch (then watch again from the last resourceVersion). */
  watch(options?: WatchOptions): AsyncIterable<WatchEvent<T>>;
}

/** The status subresource's verbs. */
export interface StatusMethods<T extends KubeObject> {
  /** The object read through its status subresource. */
  getStatus(name: string, options?: GetOptions): Promise<T>;
  /** Replaces the status (the rest of the object is ignored); conflicts on a stale resourceVersion. */
  updateStatus(object: T, options?: WriteOptions): Promise<T>;
  /** Patches the status subresource. */
  patchStatus(name: string, patch: Patch<T>, options?: WriteOptions & { force?: boolean | undefined }): Promise<T>;
  /** Server-side apply of the status. */
  applyStatus(configuration: ApplyConfiguration<T>, options: ApplyOptions): Promise<T>;
}

/** The scale subresource's verbs. */
export interface ScaleMethods {
  /** The scale subresource (`autoscaling/v1` Scale). */
  getScale(name: string, options?: GetOptions): Promise<Scale>;
  /** Sets the desired replicas through the scale subresource. */
  updateScale(name: string, scale: Scale, options?: WriteOptions): Promise<Scale>;
  /** Patches the scale subresource (merge or JSON patch). */
  patchScale(name: string, patch: { readonly type: "merge"; readonly patch: MergePatch<Scale> } | { readonly type: "json"; readonly patch: readonly JsonPatchOperation[] }, options?: WriteOptions): Promise<Scale>;
}

/**
 * The typed client of a kind: the base verbs, plus the status and scale verbs only when the
 * descriptor declares those subresources (calling `updateStatus` on a kind without status does not
 * compile).
 */
export type ResourceClientFor<K extends KindTypes> = BaseResourceClient<K["object"], K["list"]> &
  (K["descriptor"]["subresources"] extends { readonly status: true } ? StatusMethods<K["object"]> : unknown) &
  (K["descriptor"]["subresources"] extends { readonly scale: ScaleSubresource } ? ScaleMethods : unknown);
