import type { KubeObject } from "../client/types.js";

/**
 * A transform for informers (`transform` of the factory or informer options) that drops
 * `metadata.managedFields` before an object is cached: server-side apply's field ownership, often
 * the largest part of an object's metadata and rarely read by a controller (controller-runtime's
 * `TransformStripManagedFields`). Opt-in: code that reads field managers from the cache needs them.
 */
export function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
