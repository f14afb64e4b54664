import type { KubeObject } from "../client/types.js";

/** Whether the object lists the finalizer. */
export function containsFinalizer(object: KubeObject, finalizer: string): boolean {
  return object.metadata.finalizers?.includes(finalizer) ?? false;
}

/**
 * Adds the finalizer (in memory; the caller updates or patches). Answers whether anything changed.
 * Do not add it again to an object being deleted (`metadata.deletionTimestamp` set).
 */
export function addFinalizer(object: KubeObject, finalizer: string): boolean {
  if (containsFinalizer(object, finalizer)) return false;
  object.metadata.finalizers = [...(object.metadata.finalizers ?? []), finalizer];
  return true;
}

/** Removes the finalizer (in memory). Answers whether anything changed. */
export function removeFinalizer(object: KubeObject, finalizer: string): boolean {
  if (!containsFinalizer(object, finalizer)) return false;
  object.metadata.finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  return true;
}

/** Whether the API server is waiting for finalizers before it deletes the object. */
export function isBeingDeleted(object: KubeObject): boolean {
  return object.metadata.deletionTimestamp !== undefined && object.metadata.deletionTimestamp !== "";
}
