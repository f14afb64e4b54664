import type { EventHandler, HandlerRegistration } from "../cache/informer.js";
import { isTombstone } from "../cache/informer.js";
import type { KubeObject } from "../client/types.js";
import type { ResourceDescriptor } from "../resource.js";
import { admits, type Predicate } from "./predicates.js";
import { requestFor, requestKey, type Request } from "./request.js";

/**
 * Only what a controller needs from an informer: its events, its sync state, and which resource
 * it informs on. The factory's informers (`factory.examplesV1.websites()`) are sources.
 */
export interface Source<T extends KubeObject> {
  /** The resource informed on; `owns()` needs it of the `for()` source. */
  readonly resource?: ResourceDescriptor | undefined;
  /** Registers the controller's handler (removed when the controller stops). */
  addEventHandler(handler: EventHandler<T>): HandlerRegistration;
  /** Starts the informer (idempotent). */
  start(): void;
  /** Whether the first list is in the cache. */
  hasSynced(): boolean;
  /** Resolves once synced; rejects when `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void>;
}

/** Maps an object of a watched source to the requests it concerns. */
export type MapFn<T extends KubeObject> = (obj: T) => readonly Request[];

/** The group of an `apiVersion` (`apps/v1` → `apps`, `v1` → ``). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/**
 * The owner request of an object: its controller owner reference (`controller: true`) when that
 * names the owner's group and kind (any version), in the object's namespace unless the owner is
 * cluster-scoped (controller-runtime's `EnqueueRequestForOwner` with `OnlyControllerOwner`).
 */
export function ownerMap<O extends KubeObject>(owner: ResourceDescriptor): MapFn<O> {
  return (obj) => {
    const ref = obj.metadata.ownerReferences?.find((r) => r.controller === true);
    if (ref === undefined || ref.kind !== owner.kind || groupOf(ref.apiVersion) !== owner.group) return [];
    return [owner.scope === "Cluster" ? { name: ref.name } : { namespace: obj.metadata.namespace, name: ref.name }];
  };
}

/** The object itself as the request (the primary kind, `for`). */
export function selfMap<T extends KubeObject>(): MapFn<T> {
  return (obj) => [requestFor(obj)];
}

/**
 * An event handler that turns a source's events into requests: predicates first, then the map;
 * an update enqueues what the old and the new object map to; a delete seen late (a tombstone)
 * maps its last known state.
 */
export function enqueueing<T extends KubeObject>(map: MapFn<T>, predicates: readonly Predicate<T>[], enqueue: (r: Request) => void): EventHandler<T> {
  // One event enqueues each request once (old and new object often map to the same one).
  const all = (objs: readonly T[]): void => {
    const seen = new Set<string>();
    for (const o of objs) {
      for (const r of map(o)) {
        const key = requestKey(r);
        if (seen.has(key)) continue;
        seen.add(key);
        enqueue(r);
      }
    }
  };
  return {
    onAdd: (obj) => {
      if (admits(predicates, "create", obj)) all([obj]);
    },
    onUpdate: (oldObj, newObj) => {
      if (admits(predicates, "update", oldObj, newObj)) all(oldObj === newObj ? [newObj] : [oldObj, newObj]);
    },
    onDelete: (obj) => {
      const last = isTombstone(obj) ? obj.lastKnownObject : obj;
      if (admits(predicates, "delete", last)) all([last]);
    },
  };
}
