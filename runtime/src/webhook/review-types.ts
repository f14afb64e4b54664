import type { Status } from "../meta.js";

/** `meta/v1.GroupVersionKind` as admission reviews carry it. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** `meta/v1.GroupVersionResource` as admission reviews carry it. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** `authentication/v1.UserInfo`: who made the request. */
export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: { [key: string]: string[] };
}

/** The operations an admission webhook can be called for. */
export type AdmissionOperation = "CREATE" | "UPDATE" | "DELETE" | "CONNECT";

/** `admission/v1.AdmissionRequest`: what the API server asks a webhook about. */
export interface AdmissionRequest {
  /** Identifies this call; the response must carry it back. */
  uid: string;
  /** The kind of `object` and `oldObject` (the version the webhook's rules matched, after conversion). */
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource?: string;
  /** The kind the client sent, when it differs from `kind` (matchPolicy Equivalent). */
  requestKind?: GroupVersionKind;
  requestResource?: GroupVersionResource;
  requestSubResource?: string;
  name?: string;
  namespace?: string;
  operation: AdmissionOperation;
  userInfo: UserInfo;
  /** The new object (CREATE, UPDATE); absent for DELETE. */
  object?: unknown;
  /** The existing object (UPDATE, DELETE). */
  oldObject?: unknown;
  /** True when the request will not be persisted: a webhook must then have no side effects. */
  dryRun?: boolean;
  /** The operation's options (CreateOptions, UpdateOptions, DeleteOptions). */
  options?: unknown;
}

/** `admission/v1.AdmissionResponse`: what a webhook answers. */
export interface AdmissionResponse {
  /** `request.uid`. */
  uid: string;
  allowed: boolean;
  /** Why the request was refused: `message` is shown to the client, `code` becomes the HTTP status. */
  status?: Status;
  /** A base64-encoded RFC 6902 JSON patch (mutating webhooks only). */
  patch?: string;
  /** `JSONPatch`: the only patch type there is. */
  patchType?: "JSONPatch";
  auditAnnotations?: { [key: string]: string };
  /** Warnings sent to the client in `Warning` headers (allowed or not). */
  warnings?: string[];
}

/** `admission.k8s.io/v1` `AdmissionReview`: the request in, the response out. */
export interface AdmissionReview {
  apiVersion: "admission.k8s.io/v1";
  kind: "AdmissionReview";
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

/** `apiextensions/v1.ConversionRequest`. */
export interface ConversionRequest {
  /** Identifies this call; the response must carry it back. */
  uid: string;
  /** The `group/version` to convert every object to. */
  desiredAPIVersion: string;
  /** The objects, possibly of several versions. */
  objects: unknown[];
}

/** `apiextensions/v1.ConversionResponse`. */
export interface ConversionResponse {
  /** `request.uid`. */
  uid: string;
  /** The converted objects, in the request's order (empty on failure). */
  convertedObjects: unknown[];
  /** `status: "Success"`, or `"Failure"` with a message saying which objects failed. */
  result: Status;
}

/** `apiextensions.k8s.io/v1` `ConversionReview`. */
export interface ConversionReview {
  apiVersion: "apiextensions.k8s.io/v1";
  kind: "ConversionReview";
  request?: ConversionRequest;
  response?: ConversionResponse;
}
