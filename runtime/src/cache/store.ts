import type { KubeObject } from "../client/types.js";

/** A function from an object to the values it is indexed under. */
export type IndexFn<T> = (obj: T) => readonly string[];

/** The key of an object in a store: `namespace/name`, or `name` for cluster-scoped objects. */
export function keyOf(obj: { metadata: { namespace?: string | undefined; name?: string | undefined } }): string {
  const ns = obj.metadata.namespace;
  return ns === undefined || ns === "" ? (obj.metadata.name ?? "") : `${ns}/${obj.metadata.name ?? ""}`;
}

/** The name of the index every store has: objects by namespace. */
export const NAMESPACE_INDEX = "namespace";

/** Read access to a store: what listers and users see. Returned objects are shared and read-only. */
export interface ReadonlyStore<T> {
  get(key: string): T | undefined;
  list(): readonly T[];
  keys(): readonly string[];
  /** Objects whose index function gave `value` for `indexName`. Throws for an unknown index. */
  byIndex(indexName: string, value: string): readonly T[];
  readonly size: number;
}

/**
 * A map of objects by key with indexes (client-go's thread-safe store plus indexer; here, one
 * thread). The namespace index is always present.
 */
export class IndexedStore<T extends KubeObject> implements ReadonlyStore<T> {
  #items = new Map<string, T>();
  readonly #indexers = new Map<string, IndexFn<T>>();
  #indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Readonly<Record<string, IndexFn<T>>> = {}) {
    this.#indexers.set(NAMESPACE_INDEX, (o) => [o.metadata.namespace ?? ""]);
    for (const [name, fn] of Object.entries(indexers)) this.addIndexer(name, fn);
  }

  /** Adds an index; existing objects are indexed at once. */
  addIndexer(name: string, fn: IndexFn<T>): void {
    if (this.#indexers.has(name)) throw new Error(`index ${name} exists already`);
    this.#indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.#indices.set(name, index);
    for (const [key, obj] of this.#items) addTo(index, fn(obj), key);
  }

  get size(): number {
    return this.#items.size;
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  list(): T[] {
    return [...this.#items.values()];
  }

  keys(): string[] {
    return [...this.#items.keys()];
  }

  byIndex(indexName: string, value: string): T[] {
    if (!this.#indexers.has(indexName)) throw new Error(`no index named ${indexName}`);
    const keys = this.#indices.get(indexName)?.get(value);
    if (keys === undefined) return [];
    const out: T[] = [];
    for (const k of keys) {
      const o = this.#items.get(k);
      if (o !== undefined) out.push(o);
    }
    return out;
  }

  /** Inserts or replaces one object; returns the previous one. */
  set(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.#items.get(key);
    this.#items.set(key, obj);
    if (old === undefined) {
      this.#index(key, obj);
      return old;
    }
    // Re-index only what moved: most updates keep every index value.
    for (const [name, fn] of this.#indexers) {
      const before = fn(old);
      const after = fn(obj);
      if (before.length === after.length && before.every((v, i) => v === after[i])) continue;
      const index = this.#indices.get(name) ?? new Map<string, Set<string>>();
      this.#indices.set(name, index);
      for (const v of before) {
        const set = index.get(v);
        set?.delete(key);
        if (set?.size === 0) index.delete(v);
      }
      addTo(index, after, key);
    }
    return old;
  }

  /** Removes one object by key; returns it. */
  delete(key: string): T | undefined {
    const old = this.#items.get(key);
    if (old === undefined) return undefined;
    this.#unindex(key, old);
    this.#items.delete(key);
    return old;
  }

  /** Replaces the whole content at once: readers see the old content or the new, never a mix. */
  replace(objects: readonly T[]): void {
    const items = new Map<string, T>();
    for (const o of objects) items.set(keyOf(o), o);
    const indices = new Map<string, Map<string, Set<string>>>();
    for (const [name, fn] of this.#indexers) {
      const index = new Map<string, Set<string>>();
      for (const [key, obj] of items) addTo(index, fn(obj), key);
      indices.set(name, index);
    }
    this.#items = items;
    this.#indices = indices;
  }

  #index(key: string, obj: T): void {
    for (const [name, fn] of this.#indexers) {
      let index = this.#indices.get(name);
      if (index === undefined) {
        index = new Map();
        this.#indices.set(name, index);
      }
      addTo(index, fn(obj), key);
    }
  }

  #unindex(key: string, obj: T): void {
    for (const [name, fn] of this.#indexers) {
      const index = this.#indices.get(name);
      if (index === undefined) continue;
      for (const v of fn(obj)) {
        const set = index.get(v);
        if (set === undefined) continue;
        set.delete(key);
        if (set.size === 0) index.delete(v);
      }
    }
  }
}

function addTo(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const v of values) {
    let set = index.get(v);
    if (set === undefined) {
      set = new Set();
      index.set(v, set);
    }
    set.add(key);
  }
}
