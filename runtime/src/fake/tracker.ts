import { randomUUID } from "node:crypto";
import type { KubeObject } from "../client/types.js";
import type { ResourceDescriptor } from "../resource.js";
import { apiVersionOf } from "../resource.js";
import type { FakeResource, ServedResource, StructuralSchema } from "./schema.js";
import { expired } from "./status.js";

/** A change of one object, as the watch history keeps it. */
export interface Change {
  readonly rv: number;
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly resource: string;
  /** The object after the change (the last state for DELETED). */
  readonly object: KubeObject;
  /** The object before (MODIFIED and DELETED), for selector transitions. */
  readonly previous: KubeObject | undefined;
}

/** Options of {@link ObjectTracker}. */
export interface TrackerOptions {
  /** Changes kept for watches from a resourceVersion (default 1,000); older versions answer 410. */
  readonly historySize?: number | undefined;
  /** The clock of creationTimestamp, deletionTimestamp and managed fields (default: now). */
  readonly now?: (() => Date) | undefined;
}

/** `group/version/plural`: how the tracker names a resource. */
export const resourceKey = (r: Pick<ResourceDescriptor, "group" | "version" | "plural">): string => `${r.group}/${r.version}/${r.plural}`;
/** `namespace/name`, or `name`. */
export const objectKey = (namespace: string | undefined, name: string): string => (namespace === undefined || namespace === "" ? name : `${namespace}/${name}`);

/**
 * The fake API server's storage: objects by resource, one resourceVersion counter for all of them
 * (like etcd's revision), a bounded history of changes for watches, and the watchers themselves.
 * Objects are stored and handed out as copies, so no caller can change what is stored.
 */
export class ObjectTracker {
  readonly #resources = new Map<string, ServedResource>();
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  readonly #history: Change[] = [];
  readonly #listeners = new Set<(c: Change) => void>();
  readonly #historySize: number;
  readonly #now: () => Date;
  #rv = 1;
  /** Changes at or below this version are no longer in the history. */
  #compacted = 1;

  constructor(resources: readonly FakeResource[], options: TrackerOptions = {}) {
    for (const r of resources) {
      const schema = typeof r.schema === "string" ? (JSON.parse(r.schema) as StructuralSchema) : r.schema;
      this.#resources.set(resourceKey(r.descriptor), { ...r, schema });
    }
    this.#historySize = options.historySize ?? 1000;
    this.#now = options.now ?? (() => new Date());
  }

  /** The resources served. */
  get resources(): readonly ServedResource[] {
    return [...this.#resources.values()];
  }

  /** The resource with this group, version and plural. */
  resource(group: string, version: string, plural: string): ServedResource | undefined {
    return this.#resources.get(`${group}/${version}/${plural}`);
  }

  /** The resource of an object's apiVersion and kind. */
  resourceOf(obj: Pick<KubeObject, "apiVersion" | "kind">): ServedResource | undefined {
    for (const r of this.#resources.values()) if (apiVersionOf(r.descriptor) === obj.apiVersion && r.descriptor.kind === obj.kind) return r;
    return undefined;
  }

  /** The current resourceVersion (the counter's last value). */
  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** A timestamp in the server's format (RFC 3339, seconds). */
  timestamp(): string {
    return this.#now().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** A fresh uid. */
  uid(): string {
    return randomUUID();
  }

  /** A stored object (a copy), or undefined. */
  get(resource: string, key: string): KubeObject | undefined {
    const o = this.#objects.get(resource)?.get(key);
    return o === undefined ? undefined : structuredClone(o);
  }

  /** Every stored object of a resource (copies), sorted by namespace and name as etcd keys are. */
  all(resource: string): KubeObject[] {
    const m = this.#objects.get(resource);
    if (m === undefined) return [];
    return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => structuredClone(o));
  }

  /**
   * Stores an object (undefined: removes it) under the next resourceVersion, records the change
   * and tells the watchers. Returns the stored object.
   */
  commit(resource: string, key: string, next: KubeObject | undefined, previous: KubeObject | undefined): KubeObject {
    const rv = ++this.#rv;
    let m = this.#objects.get(resource);
    if (m === undefined) this.#objects.set(resource, (m = new Map()));
    const object = structuredClone(next ?? previous) as KubeObject;
    object.metadata.resourceVersion = String(rv);
    if (next === undefined) m.delete(key);
    else m.set(key, structuredClone(object));
    const change: Change = { rv, type: next === undefined ? "DELETED" : previous === undefined ? "ADDED" : "MODIFIED", resource, object, previous };
    this.#history.push(change);
    if (this.#history.length > this.#historySize) {
      const dropped = this.#history.splice(0, this.#history.length - this.#historySize);
      this.#compacted = dropped[dropped.length - 1]?.rv ?? this.#compacted;
    }
    for (const l of [...this.#listeners]) l(change);
    return structuredClone(object);
  }

  /**
   * The changes after `rv` (for a watch from that version), or the server's 410 when they are no
   * longer kept.
   */
  changesSince(rv: number): Change[] {
    if (rv < this.#compacted) throw expired(`too old resource version: ${rv} (${this.#compacted})`);
    return this.#history.filter((c) => c.rv > rv);
  }

  /** Drops the whole history, as an etcd compaction does: watches from older versions get 410. */
  compact(): void {
    this.#history.length = 0;
    this.#compacted = this.#rv;
  }

  /** The version at or below which the history was dropped. */
  get compactedVersion(): number {
    return this.#compacted;
  }

  /** Calls `fn` with every change from now on; returns the unsubscribe function. */
  subscribe(fn: (c: Change) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Watchers listening now (for tests that check nothing is left open). */
  get watchers(): number {
    return this.#listeners.size;
  }
}
