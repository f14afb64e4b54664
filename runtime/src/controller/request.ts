import type { KubeObject } from "../client/types.js";

/**
 * What a reconcile is asked about: an object by namespace and name, never an event (so every
 * reconcile is level-based: read the current state, make the world match it).
 */
export interface Request {
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string | undefined;
  readonly name: string;
}

/** `namespace/name`, or `name` for a cluster-scoped object: a request's queue key. */
export function requestKey(r: Request): string {
  return r.namespace === undefined || r.namespace === "" ? r.name : `${r.namespace}/${r.name}`;
}

/** The request for an object. */
export function requestFor(obj: KubeObject): Request {
  const ns = obj.metadata.namespace;
  return ns === undefined || ns === "" ? { name: obj.metadata.name ?? "" } : { namespace: ns, name: obj.metadata.name ?? "" };
}
