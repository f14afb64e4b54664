import type { ListMeta, ObjectMeta, Status } from "../meta.js";
import type { ResourceDescriptor, ScaleSubresource, Verb } from "../resource.js";
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

/** The types of a resource known only at run time (a descriptor from discovery): any Kubernetes object. */
export interface DynamicKind {
  readonly object: KubeObject;
  readonly list: { apiVersion: string; kind: string; metadata: ListMeta; items: KubeObject[] };
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
  /**
   * Objects arrive without `metadata.managedFields`: the field is cut from each event's JSON text
   * before the text is parsed, which costs less than parsing it and dropping it after (informers set
   * it unless `stripManagedFields: false`). Client-side only: the request is the same.
   */
  readonly omitManagedFields?: boolean | undefined;
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

/**
 * A strategic merge patch (built-in kinds only): like a merge patch, but lists with a patch merge
 * key (containers by `name`, ports by `containerPort`, ...) are merged item by item, so their items
 * may be partial; the `$patch` and `$retainKeys` directives are allowed on every object. (The
 * `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` directives are not in the type:
 * an index signature for them would refuse the generated interfaces; add them with a cast.)
 */
export type StrategicMergePatch<T> = T extends readonly (infer U)[]
  ? StrategicMergePatch<U>[]
  : T extends object
    ? { [K in keyof T]?: StrategicMergePatch<T[K]> | null } & PatchDirectives
    : T;

/** The directives of a strategic merge patch. */
export interface PatchDirectives {
  readonly $patch?: "replace" | "merge" | "delete";
  readonly $retainKeys?: readonly string[];
}

/** The strategic merge patch of a built-in kind. */
export type StrategicPatch<T> = { readonly type: "strategic"; readonly patch: StrategicMergePatch<T> };

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

/** Strategic merge patches, on built-in kinds. */
export interface StrategicPatchMethods<T extends KubeObject> {
  /** Patches the object: merge, JSON, apply, or `{ type: "strategic" }` (patch strategies from the built-in schema). */
  patch(name: string, patch: Patch<T> | StrategicPatch<T>, options?: WriteOptions & { force?: boolean | undefined }): Promise<T>;
}

/** Strategic merge patches of the status, on built-in kinds with a status subresource. */
export interface StrategicStatusPatchMethods<T extends KubeObject> {
  /** Patches the status subresource, strategic merge patches included. */
  patchStatus(name: string, patch: Patch<T> | StrategicPatch<T>, options?: WriteOptions & { force?: boolean | undefined }): Promise<T>;
}

/** `pods/log` options (the query parameters of the log subresource). */
export interface LogOptions extends RequestOptions {
  /** The container (required when the pod has more than one). */
  readonly container?: string | undefined;
  /** The log of the previous, terminated container instance. */
  readonly previous?: boolean | undefined;
  readonly sinceSeconds?: number | undefined;
  /** RFC 3339 timestamp; only one of sinceSeconds and sinceTime. */
  readonly sinceTime?: string | undefined;
  /** Prefix every line with an RFC 3339 timestamp. */
  readonly timestamps?: boolean | undefined;
  readonly tailLines?: number | undefined;
  readonly limitBytes?: number | undefined;
}

/** `pods/log`: read a container's log. */
export interface LogMethods {
  /** The log as text (what the kubelet has so far). */
  getLog(name: string, options?: LogOptions): Promise<string>;
  /** Follows the log: one string per line as the container writes it; ends when the container stops or `signal` aborts. */
  streamLog(name: string, options?: LogOptions): AsyncIterable<string>;
}

/** `pods/eviction` options: the eviction's DeleteOptions. */
export interface EvictOptions extends RequestOptions {
  readonly dryRun?: boolean | undefined;
  readonly gracePeriodSeconds?: number | undefined;
  readonly preconditions?: { readonly uid?: string | undefined; readonly resourceVersion?: string | undefined } | undefined;
}

/** `pods/eviction`: delete a pod unless a PodDisruptionBudget forbids it (then a 429 error). */
export interface EvictionMethods {
  /** Evicts the pod (`POST pods/eviction`); a PodDisruptionBudget that forbids it answers 429. */
  evict(name: string, options?: EvictOptions): Promise<Status>;
}

/** `authentication.k8s.io/v1` TokenRequest spec: what the token is for. */
export interface TokenRequestSpec {
  audiences: string[];
  expirationSeconds?: number;
  boundObjectRef?: { apiVersion?: string; kind?: string; name?: string; uid?: string };
}

/** `authentication.k8s.io/v1` TokenRequest, as the server answers it. */
export interface TokenRequest {
  apiVersion: "authentication.k8s.io/v1";
  kind: "TokenRequest";
  metadata: ObjectMeta;
  spec: TokenRequestSpec;
  status?: { token: string; expirationTimestamp: string };
}

/** `serviceaccounts/token`: a bound token for a service account. */
export interface TokenMethods {
  /** Requests a bound token for the service account (`POST serviceaccounts/token`). */
  createToken(name: string, spec: TokenRequestSpec, options?: WriteOptions): Promise<TokenRequest>;
}

/** Which client methods each verb brings. */
export interface VerbMethods {
  get: "get";
  list: "list" | "listAll";
  watch: "watch";
  create: "create";
  update: "update";
  patch: "patch" | "apply";
  delete: "delete";
  deletecollection: "deleteCollection";
}

/** The methods of the verbs a descriptor declares (all of them when it declares none, as CRDs do). */
/** The client methods a descriptor's verbs bring (all of them when it names no verbs, as for CRDs). */
export type ServedMethods<D> = D extends { readonly verbs: readonly (infer V extends Verb)[] } ? VerbMethods[V] : VerbMethods[Verb];

/**
 * The typed client of a kind: the verbs the resource serves, plus the status and scale verbs only
 * when the descriptor declares those subresources (calling `updateStatus` on a kind without status
 * does not compile), strategic merge patches only on built-in kinds, and the log, eviction and
 * token subresources of pods and service accounts.
 *
 * A custom resource (every verb, no strategic merge patch, no pod or service-account
 * subresources) resolves to one of four generic interfaces: the same interface type for every use
 * of a kind, which the compiler relates by identity instead of comparing member by member, and
 * whose members it resolves only when they are used. Other descriptors get the intersection.
 */
export type ResourceClientFor<K extends KindTypes> = K["descriptor"] extends
  | { readonly verbs: readonly Verb[] }
  | { readonly strategicMergePatch: true }
  | { readonly subresources: { readonly log: true } | { readonly eviction: true } | { readonly token: true } }
  ? BuiltinResourceClientFor<K>
  : K["descriptor"]["subresources"] extends { readonly status: true }
    ? K["descriptor"]["subresources"] extends { readonly scale: ScaleSubresource }
      ? CustomResourceClientWithStatusAndScale<K["object"], K["list"]>
      : CustomResourceClientWithStatus<K["object"], K["list"]>
    : K["descriptor"]["subresources"] extends { readonly scale: ScaleSubresource }
      ? CustomResourceClientWithScale<K["object"], K["list"]>
      : CustomResourceClient<K["object"], K["list"]>;

/** The client of a custom resource without status or scale subresource: every verb. */
export interface CustomResourceClient<T extends KubeObject, TList> extends BaseResourceClient<T, TList> {}

/** The client of a custom resource with the status subresource. */
export interface CustomResourceClientWithStatus<T extends KubeObject, TList> extends BaseResourceClient<T, TList>, StatusMethods<T> {}

/** The client of a custom resource with the scale subresource. */
export interface CustomResourceClientWithScale<T extends KubeObject, TList> extends BaseResourceClient<T, TList>, ScaleMethods {}

/** The client of a custom resource with the status and scale subresources. */
export interface CustomResourceClientWithStatusAndScale<T extends KubeObject, TList> extends BaseResourceClient<T, TList>, StatusMethods<T>, ScaleMethods {}

/** The client of a descriptor that names its verbs or has built-in kinds' patches and subresources. */
export type BuiltinResourceClientFor<K extends KindTypes> = Pick<BaseResourceClient<K["object"], K["list"]>, "resource" | "namespace" | ServedMethods<K["descriptor"]>> &
  (K["descriptor"]["subresources"] extends { readonly status: true } ? StatusMethods<K["object"]> : unknown) &
  (K["descriptor"]["subresources"] extends { readonly scale: ScaleSubresource } ? ScaleMethods : unknown) &
  (K["descriptor"] extends { readonly strategicMergePatch: true } ? StrategicPatchMethods<K["object"]> : unknown) &
  (K["descriptor"] extends { readonly strategicMergePatch: true; readonly subresources: { readonly status: true } } ? StrategicStatusPatchMethods<K["object"]> : unknown) &
  (K["descriptor"]["subresources"] extends { readonly log: true } ? LogMethods : unknown) &
  (K["descriptor"]["subresources"] extends { readonly eviction: true } ? EvictionMethods : unknown) &
  (K["descriptor"]["subresources"] extends { readonly token: true } ? TokenMethods : unknown);
