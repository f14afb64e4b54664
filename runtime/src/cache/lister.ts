import type { KubeObject } from "../client/types.js";
import { toSelector, type SelectorInput } from "./selector.js";
import { NAMESPACE_INDEX, type ReadonlyStore } from "./store.js";

/** A lister of one namespace. */
export interface NamespaceLister<T> {
  /** Objects in the namespace matching the label selector (all without one). Shared, read-only. */
  list(selector?: SelectorInput): T[];
  /** The object, or undefined when the cache has none of that name. */
  get(name: string): T | undefined;
}

/** The lister of a namespaced kind: across namespaces, or in one. */
export interface NamespacedLister<T> {
  /** Objects in every namespace matching the label selector (all without one). Shared, read-only. */
  list(selector?: SelectorInput): T[];
  /** The lister of one namespace. */
  namespace(namespace: string): NamespaceLister<T>;
}

/** The lister of a cluster-scoped kind. */
export interface ClusterLister<T> {
  /** Objects matching the label selector (all without one). Shared, read-only. */
  list(selector?: SelectorInput): T[];
  /** The object, or undefined when the cache has none of that name. */
  get(name: string): T | undefined;
}

/** The lister type of an object type (generated code narrows it by scope, see ListerFor). */
/** Both lister shapes at once (the untyped informer's); generated code uses ListerForKind. */
export type ListerFor<T> = NamespacedLister<T> & ClusterLister<T>;

/**
 * Reads from an informer's cache, never from the API server. `get` answers `undefined` for a
 * missing object (not a NotFound error). Returned objects are shared with the cache: treat them as
 * read-only (copy before changing; `freezeObjects` makes writes throw).
 */
export class Lister<T extends KubeObject> implements NamespacedLister<T>, ClusterLister<T> {
  constructor(
    private readonly store: ReadonlyStore<T>,
    private readonly namespaced: boolean,
  ) {}

  /** Objects matching the label selector (all without one). Shared, read-only. */
  list(selector?: SelectorInput): T[] {
    return filter(this.store.list(), selector);
  }

  get(name: string): T | undefined {
    return this.store.get(name);
  }

  /** The lister of one namespace. */
  namespace(namespace: string): NamespaceLister<T> {
    const store = this.store;
    return {
      list: (selector) => filter(store.byIndex(NAMESPACE_INDEX, namespace), selector),
      get: (name) => store.get(this.namespaced ? `${namespace}/${name}` : name),
    };
  }
}

function filter<T extends KubeObject>(objects: readonly T[], selector: SelectorInput | undefined): T[] {
  const s = toSelector(selector);
  if (s === undefined || s.requirements.length === 0) return [...objects];
  return objects.filter((o) => s.matches(o.metadata.labels));
}
