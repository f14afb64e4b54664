/**
 * Kubernetes object metadata as it travels on the wire (JSON): timestamps are RFC 3339 strings,
 * not `Date` objects. Mirrors `meta/v1.ObjectMeta`.
 */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  selfLink?: string;
  uid?: string;
  /** Opaque: compare for equality only, never parse. */
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: { [key: string]: string };
  annotations?: { [key: string]: string };
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

/** `meta/v1.OwnerReference`. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** `meta/v1.ManagedFieldsEntry`: which field manager owns which fields (server-side apply). */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: "Apply" | "Update";
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: { [key: string]: unknown };
  subresource?: string;
}

/** Metadata of a list response: `meta/v1.ListMeta`. */
export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  selfLink?: string;
}

/** `meta/v1.Time`: an RFC 3339 timestamp with seconds, as the wire has it (`2026-01-02T15:04:05Z`). */
export type Time = string;

/** `meta/v1.MicroTime`: an RFC 3339 timestamp with microseconds (`2026-01-02T15:04:05.000001Z`). */
export type MicroTime = string;

/**
 * `resource.Quantity`: a fixed-point number with an optional suffix, always a string on the wire
 * (`"500m"`, `"1Gi"`, `"2"`); the server also accepts a JSON number when writing.
 */
export type Quantity = string;

/** `meta/v1.Condition`: the standard condition of an object's status. */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  observedGeneration?: number;
  lastTransitionTime: Time;
  reason: string;
  message: string;
}

/** `x-kubernetes-int-or-string`: an integer or a string (such as a port number or "50%"). */
export type IntOrString = number | string;

/**
 * An object embedded in another (`x-kubernetes-embedded-resource`): it carries its own
 * `apiVersion`, `kind` and `metadata`.
 */
export interface EmbeddedResource {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
}

/**
 * A kind's object inside another object (a StatefulSet's `volumeClaimTemplates`): the same fields,
 * but apiVersion, kind and metadata are optional there.
 */
export type Embedded<T extends { apiVersion: string; kind: string; metadata: ObjectMeta }> = Omit<T, "apiVersion" | "kind" | "metadata"> & {
  apiVersion?: T["apiVersion"];
  kind?: T["kind"];
  metadata?: ObjectMeta;
};

/** A list of objects of one kind, as the API server returns it. */
export interface ObjectList<T> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

/** `meta/v1.Status`: the body of every API error and of some delete responses. */
export interface Status {
  apiVersion?: "v1";
  kind?: "Status";
  metadata?: ListMeta;
  status?: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** `meta/v1.StatusDetails`. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** `meta/v1.StatusCause`: one reason an object was invalid. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}


/**
 * `meta.k8s.io/v1` PartialObjectMetadata: an object of any kind reduced to its metadata, as the API
 * server sends it to a client that asks for metadata only (metadata-only informers).
 */
export interface PartialObjectMetadata {
  apiVersion: "meta.k8s.io/v1";
  kind: "PartialObjectMetadata";
  metadata: ObjectMeta;
}

/** `meta.k8s.io/v1` PartialObjectMetadataList. */
export interface PartialObjectMetadataList {
  apiVersion: "meta.k8s.io/v1";
  kind: "PartialObjectMetadataList";
  metadata: ListMeta;
  items: PartialObjectMetadata[];
}
