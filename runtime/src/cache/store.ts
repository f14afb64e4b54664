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
  /** The object of a key (`namespace/name`, or `name` when cluster-scoped). */
  get(key: string): T | undefined;
  /** Every object, in no particular order. */
  list(): readonly T[];
  /** Every key. */
  keys(): readonly string[];
  /** Objects whose index function gave `value` for `indexName`. Throws for an unknown index. */
  byIndex(indexName: string, value: string): readonly T[];
  readonly size: number;
}

/**
 * A map of objects by key with indexes (client-go's thread-safe store plus indexer; here, one
 * thread). Objects are held by namespace, then name, which is also the namespace index (always
 * present) — no key string or index entry per object. Custom indexes map values to keys.
 */
export class IndexedStore<T extends KubeObject> implements ReadonlyStore<T> {
  #byNamespace = new Map<string, Map<string, T>>();
  #size = 0;
  readonly #indexers = new Map<string, IndexFn<T>>();
  #indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Readonly<Record<string, IndexFn<T>>> = {}) {
    for (const [name, fn] of Object.entries(indexers)) this.addIndexer(name, fn);
  }

  /** Adds an index; existing objects are indexed at once. */
  addIndexer(name: string, fn: IndexFn<T>): void {
    if (name === NAMESPACE_INDEX || this.#indexers.has(name)) throw new Error(`index ${name} exists already`);
    this.#indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.#indices.set(name, index);
    for (const obj of this.list()) addTo(index, fn(obj), keyOf(obj));
  }

  /** How many objects the store holds. */
  get size(): number {
    return this.#size;
  }

  /** The object of a key (`namespace/name`, or `name` when cluster-scoped). */
  get(key: string): T | undefined {
    const slash = key.indexOf("/");
    return slash === -1 ? this.#byNamespace.get("")?.get(key) : this.#byNamespace.get(key.slice(0, slash))?.get(key.slice(slash + 1));
  }

  /** Every object, in no particular order. */
  list(): T[] {
    const out: T[] = [];
    for (const names of this.#byNamespace.values()) for (const o of names.values()) out.push(o);
    return out;
  }

  /** Every key. */
  keys(): string[] {
    const out: string[] = [];
    for (const [ns, names] of this.#byNamespace) for (const name of names.keys()) out.push(ns === "" ? name : `${ns}/${name}`);
    return out;
  }

  byIndex(indexName: string, value: string): T[] {
    if (indexName === NAMESPACE_INDEX) return [...(this.#byNamespace.get(value)?.values() ?? [])];
    if (!this.#indexers.has(indexName)) throw new Error(`no index named ${indexName}`);
    const keys = this.#indices.get(indexName)?.get(value);
    if (keys === undefined) return [];
    const out: T[] = [];
    for (const k of keys) {
      const o = this.get(k);
      if (o !== undefined) out.push(o);
    }
    return out;
  }

  /** Inserts or replaces one object; returns the previous one. */
  set(obj: T): T | undefined {
    const ns = obj.metadata.namespace ?? "";
    const name = obj.metadata.name ?? "";
    let names = this.#byNamespace.get(ns);
    if (names === undefined) {
      names = new Map();
      this.#byNamespace.set(ns, names);
    }
    const old = names.get(name);
    names.set(name, obj);
    if (old === undefined) this.#size++;
    if (this.#indexers.size === 0) return old;
    const key = keyOf(obj);
    for (const [indexName, fn] of this.#indexers) {
      const after = fn(obj);
      const index = this.#indices.get(indexName) as Map<string, Set<string>>;
      if (old !== undefined) {
        // Re-index only what moved: most updates keep every index value.
        const before = fn(old);
        if (before.length === after.length && before.every((v, i) => v === after[i])) continue;
        removeFrom(index, before, key);
      }
      addTo(index, after, key);
    }
    return old;
  }

  /** Removes one object by key; returns it. */
  delete(key: string): T | undefined {
    const slash = key.indexOf("/");
    const ns = slash === -1 ? "" : key.slice(0, slash);
    const name = slash === -1 ? key : key.slice(slash + 1);
    const names = this.#byNamespace.get(ns);
    const old = names?.get(name);
    if (names === undefined || old === undefined) return undefined;
    names.delete(name);
    if (names.size === 0) this.#byNamespace.delete(ns);
    this.#size--;
    for (const [indexName, fn] of this.#indexers) removeFrom(this.#indices.get(indexName) as Map<string, Set<string>>, fn(old), key);
    return old;
  }

  /** Replaces the whole content at once: readers see the old content or the new, never a mix. */
  replace(objects: readonly T[]): void {
    const byNamespace = new Map<string, Map<string, T>>();
    let size = 0;
    for (const o of objects) {
      const ns = o.metadata.namespace ?? "";
      let names = byNamespace.get(ns);
      if (names === undefined) {
        names = new Map();
        byNamespace.set(ns, names);
      }
      if (!names.has(o.metadata.name ?? "")) size++;
      names.set(o.metadata.name ?? "", o);
    }
    const indices = new Map<string, Map<string, Set<string>>>();
    for (const [name, fn] of this.#indexers) {
      const index = new Map<string, Set<string>>();
      for (const names of byNamespace.values()) for (const obj of names.values()) addTo(index, fn(obj), keyOf(obj));
      indices.set(name, index);
    }
    this.#byNamespace = byNamespace;
    this.#size = size;
    this.#indices = indices;
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

function removeFrom(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const v of values) {
    const set = index.get(v);
    if (set === undefined) continue;
    set.delete(key);
    if (set.size === 0) index.delete(v);
  }
}
