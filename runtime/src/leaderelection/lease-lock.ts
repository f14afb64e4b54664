import { KubeError, isNotFound } from "../errors.js";
import type { MicroTime, ObjectMeta } from "../meta.js";
import type { ResourceDescriptor } from "../resource.js";

/**
 * What the elector reads and writes: client-go's `LeaderElectionRecord`, the lock-independent view
 * of a Lease's spec. Times are wall-clock timestamps for humans (`kubectl get lease`); no decision
 * is ever taken by comparing them with the local clock.
 */
export interface LeaderElectionRecord {
  /** Who holds the lock; empty when released. */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime: MicroTime;
  readonly renewTime: MicroTime;
  /** Handovers between holders so far (the Lease's `leaseTransitions`). */
  readonly leaderTransitions: number;
}

/** A lock the elector campaigns on (client-go's `resourcelock.Interface`). */
export interface ResourceLock {
  /** This candidate's identity. */
  readonly identity: string;
  /** `namespace/name`, for logs and errors. */
  describe(): string;
  /**
   * The current record and its raw form (compared to notice a change), or undefined when the lock
   * does not exist yet. Other failures throw.
   */
  get(signal: AbortSignal): Promise<{ readonly record: LeaderElectionRecord; readonly raw: string } | undefined>;
  /** Creates the lock holding `record`; throws when it exists already (someone else was faster). */
  create(record: LeaderElectionRecord, signal: AbortSignal): Promise<void>;
  /** Writes `record` over the version read or written last; throws on a conflict (someone else wrote meanwhile). */
  update(record: LeaderElectionRecord, signal: AbortSignal): Promise<void>;
}

/** The parts of a `coordination.k8s.io/v1` Lease the lock uses (the built-in package's `coordinationV1.Lease` fits). */
export interface LeaseObject {
  apiVersion: "coordination.k8s.io/v1";
  kind: "Lease";
  metadata: ObjectMeta;
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: MicroTime;
    renewTime?: MicroTime;
    leaseTransitions?: number;
  };
}

/** Only what the lock needs from a Lease client (`cs.coordinationV1.leases(ns)`, or {@link createResourceClient} with {@link leaseResource}). */
export interface LeaseClient {
  /** The Lease; 404 when there is none. */
  get(name: string, options: { readonly signal?: AbortSignal | undefined }): Promise<LeaseObject>;
  /** Creates the Lease; 409 when it exists. */
  create(lease: LeaseObject, options: { readonly signal?: AbortSignal | undefined }): Promise<LeaseObject>;
  /** Replaces the Lease; 409 when its resourceVersion is stale. */
  update(lease: LeaseObject, options: { readonly signal?: AbortSignal | undefined }): Promise<LeaseObject>;
}

/** `coordination.k8s.io/v1` Leases, for a client made with `createResourceClient`. */
export const leaseResource = {
  group: "coordination.k8s.io",
  version: "v1",
  kind: "Lease",
  listKind: "LeaseList",
  plural: "leases",
  singular: "lease",
  shortNames: [],
  categories: [],
  scope: "Namespaced",
  subresources: {},
} as const satisfies ResourceDescriptor;

/** A `meta/v1.MicroTime` for a date: RFC 3339 with microseconds, UTC. */
export function microTime(d: Date): MicroTime {
  return d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/**
 * A lock on a Lease (client-go's `LeaseLock`): `update` sends the Lease last read or written, so its
 * `resourceVersion` guards the write — of two candidates acting on the same version, one gets a
 * conflict. Not safe for two electors at once: one lock per elector.
 */
export class LeaseLock implements ResourceLock {
  #lease: LeaseObject | undefined;

  constructor(
    private readonly client: LeaseClient,
    readonly namespace: string,
    readonly name: string,
    readonly identity: string,
  ) {
    if (identity === "") throw new KubeError("leader election: the identity must not be empty");
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  async get(signal: AbortSignal): Promise<{ record: LeaderElectionRecord; raw: string } | undefined> {
    let lease: LeaseObject;
    try {
      lease = await this.client.get(this.name, { signal });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    this.#lease = lease;
    const record = recordOf(lease);
    return { record, raw: JSON.stringify(record) };
  }

  async create(record: LeaderElectionRecord, signal: AbortSignal): Promise<void> {
    this.#lease = await this.client.create(
      { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: this.name, namespace: this.namespace }, spec: specOf(record) },
      { signal },
    );
  }

  async update(record: LeaderElectionRecord, signal: AbortSignal): Promise<void> {
    const lease = this.#lease;
    if (lease === undefined) throw new KubeError(`lease ${this.describe()} not read yet: get or create it first`);
    this.#lease = await this.client.update({ ...lease, spec: { ...lease.spec, ...specOf(record) } }, { signal });
  }
}

function recordOf(lease: LeaseObject): LeaderElectionRecord {
  const s = lease.spec ?? {};
  return {
    holderIdentity: s.holderIdentity ?? "",
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: s.acquireTime ?? "",
    renewTime: s.renewTime ?? "",
    leaderTransitions: s.leaseTransitions ?? 0,
  };
}

function specOf(r: LeaderElectionRecord): NonNullable<LeaseObject["spec"]> {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    ...(r.acquireTime !== "" ? { acquireTime: r.acquireTime } : {}),
    ...(r.renewTime !== "" ? { renewTime: r.renewTime } : {}),
    leaseTransitions: r.leaderTransitions,
  };
}
