export type {
  Condition,
  Embedded,
  EmbeddedResource,
  IntOrString,
  MicroTime,
  Quantity,
  Time,
  ListMeta,
  ManagedFieldsEntry,
  ObjectList,
  ObjectMeta,
  PartialObjectMetadata,
  PartialObjectMetadataList,
  OwnerReference,
  Status,
  StatusCause,
  StatusDetails,
} from "./meta.js";
export type { ResourceDescriptor, ScaleSubresource, Subresources, Verb } from "./resource.js";
export { apiVersionOf } from "./resource.js";
export {
  ApiStatusError,
  KubeError,
  TransportError,
  WatchDecodeError,
  WatchStalledError,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isTooManyRequests,
  isUnauthorized,
  retryOnConflict,
  type RequestInfo,
  type RetryOnConflictOptions,
} from "./errors.js";
export { clientOptionsOf, loadKubeConfig, type ClientConfig, type ClientOptions, type KubeConfigLike, type RequestObservation } from "./config.js";
export { RequestThrottle } from "./rest/throttle.js";
export { isTransient, retry, type RetryBackoff, type RetryOptions } from "./retry.js";
export { createRestClient, type Query, type ResponseStream, type RestClient, type RestRequest } from "./rest/transport.js";
export { JsonLineDecoder } from "./watch/decoder.js";
export { decodeWatch, INITIAL_EVENTS_END, type BookmarkEvent, type ObjectEvent, type WatchEvent } from "./watch/watch.js";
export { createMetadataClient, createResourceClient, METADATA_ACCEPT, type MetadataClient } from "./client/resource-client.js";
export type * from "./client/types.js";
export { VERSION } from "./version.js";
export { parseLabelSelector, toSelector, SelectorError, type LabelSelector, type Requirement, type SelectorInput } from "./cache/selector.js";
export { IndexedStore, keyOf, NAMESPACE_INDEX, type IndexFn, type ReadonlyStore } from "./cache/store.js";
export { Backoff, type BackoffOptions } from "./cache/backoff.js";
export { Reflector, type ListerWatcher, type ReflectorOptions, type ReflectorSink, type ReflectorStats, type ReflectorProblem } from "./cache/reflector.js";
export {
  SharedInformer,
  isTombstone,
  type DeletedFinalStateUnknown,
  type EventHandler,
  type HandlerOptions,
  type HandlerRegistration,
  type InformerOptions,
} from "./cache/informer.js";
export { Lister, type ClusterLister, type ListerFor, type NamespacedLister, type NamespaceLister } from "./cache/lister.js";
export { SharedInformerFactory, type ClusterInformer, type InformerFactoryOptions, type InformerFor, type ListerForKind, type MetadataInformerFor, type NamespacedInformer } from "./cache/factory.js";
export { stripManagedFields } from "./cache/transforms.js";
export { parseEventWithoutManagedFields, parseListWithoutManagedFields } from "./watch/managed-fields.js";
export { StringTable, internStrings, type InternScope } from "./cache/intern.js";
export { customResourceDefinitionResource, namespaceResource } from "./builtin.js";
export { createValidator, ValidationError, type NotChecked, type ProblemType, type ValidateOptions, type ValidationProblem, type ValidationResult, type Validator } from "./validate.js";
export * from "./queue/index.js";
export * from "./controller/index.js";
export {
  AGGREGATED_DISCOVERY_ACCEPT,
  Discovery,
  DiscoveryError,
  descriptorFor,
  discover,
  type DiscoveredGroupVersion,
  type DiscoverOptions,
} from "./discovery/discovery.js";
export * from "./leaderelection/index.js";
export * from "./events/index.js";
