import type { KubeObject } from "../client/types.js";

/**
 * A transform for informers (`transform` of the factory or informer options) that drops
 * `metadata.managedFields` before an object is cached: server-side apply's field ownership, often
 * the largest part of an object's metadata and rarely read by a controller (controller-runtime's
 * `TransformStripManagedFields`). Informers apply it by default (`stripManagedFields: false` keeps
 * the field managers, for code that reads them from the cache); it is exported for other caches.
 * The object is not modified: a copy without the field is returned.
 */
export function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
