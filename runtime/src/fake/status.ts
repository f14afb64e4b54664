import { ApiStatusError, type RequestInfo } from "../errors.js";
import type { Status, StatusCause } from "../meta.js";
import type { ResourceDescriptor } from "../resource.js";

/** `widgets.shop.example.com`: the resource, as the server names it in messages. */
export const qualifiedResource = (r: ResourceDescriptor): string => (r.group === "" ? r.plural : `${r.plural}.${r.group}`);
/** `Widget.shop.example.com`: the kind, as the server names it in messages. */
export const qualifiedKind = (r: ResourceDescriptor): string => (r.group === "" ? r.kind : `${r.kind}.${r.group}`);

/** A failure the fake answers, before it knows the request (the REST layer adds that). */
export class FakeStatus extends Error {
  constructor(readonly status: Status & { code: number }) {
    super(status.message);
  }

  /** The error a client sees for `info`. */
  toError(info: RequestInfo): ApiStatusError {
    return new ApiStatusError(info, this.status, this.status.code);
  }
}

function failure(code: number, reason: string | undefined, message: string, details?: Status["details"]): FakeStatus {
  return new FakeStatus({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, ...(reason !== undefined ? { reason } : {}), ...(details !== undefined ? { details } : {}), code });
}

const details = (r: ResourceDescriptor, name: string, kind = r.plural): NonNullable<Status["details"]> => ({ ...(name !== "" ? { name } : {}), group: r.group, kind });

/** 404 NotFound of one object. */
export const notFound = (r: ResourceDescriptor, name: string): FakeStatus => failure(404, "NotFound", `${qualifiedResource(r)} "${name}" not found`, details(r, name));

/** 409 AlreadyExists. */
export const alreadyExists = (r: ResourceDescriptor, name: string): FakeStatus => failure(409, "AlreadyExists", `${qualifiedResource(r)} "${name}" already exists`, details(r, name));

/** 409 Conflict: a stale resourceVersion or a failed precondition. */
export const conflict = (r: ResourceDescriptor, name: string, why: string, by: "kind" | "resource" = "resource"): FakeStatus =>
  failure(409, "Conflict", `Operation cannot be fulfilled on ${by === "kind" ? qualifiedKind(r) : qualifiedResource(r)} "${name}": ${why}`, details(r, name, by === "kind" ? r.kind : r.plural));

/** The message of a stale resourceVersion. */
export const STALE = "the object has been modified; please apply your changes to the latest version and try again";

/** 409 Conflict of server-side apply: fields owned by other managers. */
export const applyConflict = (message: string, causes: StatusCause[]): FakeStatus => failure(409, "Conflict", message, { causes });

/**
 * 422 Invalid with the reasons. Admission names the kind (`Widget.shop.example.com "a"`); the
 * checks of the update itself name the resource (`widgets.shop.example.com "a"`).
 */
export function invalid(r: ResourceDescriptor, name: string, causes: readonly StatusCause[], by: "kind" | "resource" = "kind"): FakeStatus {
  // The message lists each distinct error once (the causes keep repeats).
  const messages = [...new Set(causes.map((c) => (c.field !== undefined && c.field !== "" ? `${c.field}: ${c.message ?? ""}` : (c.message ?? ""))))];
  const list = messages.length > 1 ? `[${messages.join(", ")}]` : (messages[0] ?? "");
  const who = by === "kind" ? qualifiedKind(r) : qualifiedResource(r);
  return failure(422, "Invalid", `${who} "${name}" is invalid: ${list}`, { ...details(r, name, by === "kind" ? r.kind : r.plural), causes: [...causes] });
}

/** 422 for a JSON patch that does not apply (the server does not say why). */
export const patchFailed = (): FakeStatus => failure(422, "Invalid", "the server rejected our request due to an error in our request", {});

/** 500 without a reason, as the server answers a create that carries a resourceVersion. */
export const createWithVersion = (): FakeStatus => failure(500, undefined, "resourceVersion should not be set on objects to be created");

/** 400 BadRequest. */
export const badRequest = (message: string): FakeStatus => failure(400, "BadRequest", message);

/** 404 for a path the server has no handler for (its body is plain text, not a Status). */
export const noRoute = (): FakeStatus => failure(404, "NotFound", "404 page not found");

/** 422 for list or watch options that do not go together. */
export function invalidListOptions(causes: readonly StatusCause[]): FakeStatus {
  const messages = causes.map((c) => `${c.field ?? ""}: ${c.message ?? ""}`);
  return failure(422, "Invalid", `ListOptions.meta.k8s.io "" is invalid: ${messages.length > 1 ? `[${messages.join(", ")}]` : (messages[0] ?? "")}`, { group: "meta.k8s.io", kind: "ListOptions", causes: [...causes] });
}

/** 405 MethodNotAllowed. */
export const methodNotAllowed = (message: string): FakeStatus => failure(405, "MethodNotAllowed", message, {});

/** 410 Expired: a resourceVersion older than the history kept, or an expired continue token. */
export const expired = (message: string): FakeStatus => failure(410, "Expired", message);

/** 500 InternalError (reactors may inject it). */
export const internalError = (message: string): FakeStatus => failure(500, "InternalError", message);

/** A success Status, as delete answers once the object is gone. */
export function success(r: ResourceDescriptor, name: string, uid: string | undefined): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name, group: r.group, kind: r.plural, ...(uid !== undefined ? { uid } : {}) } };
}
