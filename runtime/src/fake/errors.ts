import type { Status } from "../meta.js";
import type { ResourceDescriptor } from "../resource.js";
import { alreadyExists, conflict, internalError, notFound, STALE } from "./status.js";

/**
 * The server's failures as `Status` objects, for reactors: `{ error: statusErrors.conflict(widgetResource, "a") }`
 * makes the client throw exactly what the API server would.
 */
export const statusErrors = {
  /** 409 Conflict: the object has been modified. */
  conflict: (resource: ResourceDescriptor, name: string): Status => conflict(resource, name, STALE).status,
  /** 404 NotFound. */
  notFound: (resource: ResourceDescriptor, name: string): Status => notFound(resource, name).status,
  /** 409 AlreadyExists. */
  alreadyExists: (resource: ResourceDescriptor, name: string): Status => alreadyExists(resource, name).status,
  /** 500 InternalError with a message. */
  internal: (message: string): Status => internalError(message).status,
  /** 429 TooManyRequests, with a Retry-After in seconds. */
  tooManyRequests: (retryAfterSeconds = 1): Status => ({ kind: "Status", apiVersion: "v1", status: "Failure", code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.", details: { retryAfterSeconds } }),
};
