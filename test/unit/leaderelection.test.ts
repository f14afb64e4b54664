import { describe, expect, test } from "@jest/globals";
import {
  ApiStatusError,
  FakeClock,
  LeaderElectionLostError,
  LeaderElector,
  LeaseLock,
  silentLogger,
  type LeaseClient,
  type LeaseObject,
} from "@kube-codegen/runtime";

const tick = async (n = 10): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** An in-memory Lease store that checks resourceVersion like the API server; `down` fails every call, `hang` never answers. */
class FakeLeases {
  lease: LeaseObject | undefined;
  #rv = 0;
  readonly writes: string[] = [];
  client(who: string): LeaseClient & { down: boolean; hang: boolean } {
    const self = this;
    const c = {
      down: false,
      hang: false,
      async get(name: string, o: { signal?: AbortSignal | undefined }): Promise<LeaseObject> {
        await c.gate(o.signal);
        if (self.lease === undefined) throw status(404, "NotFound", `leases "${name}" not found`);
        return structuredClone(self.lease);
      },
      async create(l: LeaseObject, o: { signal?: AbortSignal | undefined }): Promise<LeaseObject> {
        await c.gate(o.signal);
        if (self.lease !== undefined) throw status(409, "AlreadyExists", "exists");
        return self.#store(l, who);
      },
      async update(l: LeaseObject, o: { signal?: AbortSignal | undefined }): Promise<LeaseObject> {
        await c.gate(o.signal);
        if (self.lease?.metadata.resourceVersion !== l.metadata.resourceVersion) throw status(409, "Conflict", "the object has been modified");
        return self.#store(l, who);
      },
      async gate(signal: AbortSignal | undefined): Promise<void> {
        await Promise.resolve();
        if (c.hang) await new Promise((_r, reject) => signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true }));
        if (c.down) throw new Error("connection refused");
      },
    };
    return c;
  }
  #store(l: LeaseObject, who: string): LeaseObject {
    this.lease = structuredClone({ ...l, metadata: { ...l.metadata, resourceVersion: String(++this.#rv) } });
    this.writes.push(`${who}:${l.spec?.holderIdentity ?? ""}`);
    return structuredClone(this.lease);
  }
}

function status(code: number, reason: string, message: string): ApiStatusError {
  return new ApiStatusError({ verb: "get", method: "GET", url: "/leases" }, { kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message }, code, undefined);
}

function candidate(leases: FakeLeases, clock: FakeClock, id: string, extra: { releaseOnCancel?: boolean } = {}) {
  const client = leases.client(id);
  const elector = new LeaderElector({ lock: new LeaseLock(client, "ns", "lock", id), clock, wallTime: () => new Date(Date.UTC(2026, 0, 1) + clock.now()), logger: silentLogger, ...extra });
  const events: string[] = [];
  let leading: AbortSignal | undefined;
  const stop = new AbortController();
  const done = elector.run(stop.signal, {
    onStartedLeading: (s) => {
      leading = s;
      events.push(`started@${clock.now()}`);
      s.addEventListener("abort", () => events.push(`lost@${clock.now()}:${(s.reason as Error).name}`));
    },
    onStoppedLeading: () => events.push(`stopped@${clock.now()}`),
  });
  return { client, elector, events, stop, done, leading: () => leading };
}

async function advance(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await tick();
  }
}

describe("leader election (client-go's algorithm, injected clock)", () => {
  test("defaults are 15 s / 10 s / 2 s; bad combinations are refused", () => {
    const lock = new LeaseLock(new FakeLeases().client("a"), "ns", "l", "a");
    expect(() => new LeaderElector({ lock, leaseDurationMs: 10_000 })).toThrow(/greater than the renew deadline/);
    expect(() => new LeaderElector({ lock, renewDeadlineMs: 2_000, leaseDurationMs: 3_000, retryPeriodMs: 2_000 })).toThrow(/1.2 × the retry period/);
    expect(() => new LeaderElector({ lock })).not.toThrow();
    expect(() => new LeaseLock(new FakeLeases().client("a"), "ns", "l", "")).toThrow(/identity/);
  });

  test("the first candidate creates the lease; the second waits the lease duration on its own clock from its last observation", async () => {
    const clock = new FakeClock();
    const leases = new FakeLeases();
    const a = candidate(leases, clock, "a");
    await tick();
    expect(a.events).toEqual(["started@0"]);
    expect(leases.lease?.spec).toMatchObject({ holderIdentity: "a", leaseDurationSeconds: 15, leaseTransitions: 0 });
    // a's renewals keep changing the record: b never takes it, however long it waits.
    const b = candidate(leases, clock, "b");
    await advance(clock, 60_000);
    expect(b.events).toEqual([]);
    expect(b.elector.leader()).toBe("a");
    // a dies without releasing (its calls fail): b takes over only once the record has not changed
    // for 15 s as b measures it. b first sees the last change at its next poll (within a jittered
    // retry, ≤ 2.2 × 2 s, after a's last write) and takes the lease at the first poll 15 s after that:
    // between 15 s and 15 s + 2 × 4.4 s after a's last write.
    a.client.down = true;
    const lastWrite = clock.now();
    await advance(clock, 15_000 - 100);
    expect(b.events).toEqual([]);
    for (let waited = 0; b.events.length === 0 && waited < 2 * 4_400 + 500; waited += 100) await advance(clock, 100);
    expect(b.events).toHaveLength(1);
    const took = Number(b.events[0]?.split("@")[1]);
    expect(took - lastWrite).toBeGreaterThanOrEqual(15_000);
    expect(took - lastWrite).toBeLessThanOrEqual(15_000 + 2 * 4_400 + 100);
    expect(leases.lease?.spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.done, b.done]);
  });

  test("expiry ignores the remote renewTime: a lease renewed 'long ago' by a skewed clock is still respected", async () => {
    const clock = new FakeClock();
    const leases = new FakeLeases();
    const now = new Date(Date.UTC(2020, 0, 1)).toISOString();
    leases.lease = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "lock", namespace: "ns", resourceVersion: "1" }, spec: { holderIdentity: "other", leaseDurationSeconds: 15, renewTime: now, acquireTime: now, leaseTransitions: 4 } };
    const b = candidate(leases, clock, "b");
    await advance(clock, 14_000);
    expect(b.events).toEqual([]);
    await advance(clock, 6_000);
    expect(b.events).toHaveLength(1);
    expect(leases.lease?.spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 5 });
    b.stop.abort();
    await b.done;
  });

  test("a leader that cannot renew stops leading at the renew deadline, before the lease could expire for others", async () => {
    const clock = new FakeClock();
    const leases = new FakeLeases();
    const a = candidate(leases, clock, "a");
    await tick();
    await advance(clock, 4_000); // renewed at 2 s and 4 s
    a.client.hang = true; // requests hang until their signal aborts
    const lastWrite = clock.now();
    await advance(clock, 13_000);
    const lost = a.events.find((e) => e.startsWith("lost@"));
    expect(lost).toBeDefined();
    const at = Number(lost?.split("@")[1]?.split(":")[0]);
    // the next renewal starts one retry period after the last success, and gives up 10 s later
    expect(at - lastWrite).toBeLessThanOrEqual(2_000 + 10_000);
    expect(at - lastWrite).toBeLessThan(15_000);
    expect(lost).toContain(LeaderElectionLostError.name);
    await a.done;
    expect(a.events.at(-1)).toMatch(/^stopped@/);
  });

  test("release on cancel clears the holder: the other candidate takes over at its next retry, not after the lease", async () => {
    const clock = new FakeClock();
    const leases = new FakeLeases();
    const a = candidate(leases, clock, "a", { releaseOnCancel: true });
    await tick();
    const b = candidate(leases, clock, "b");
    await advance(clock, 5_000);
    a.stop.abort();
    await tick();
    await a.done;
    expect(a.events.map((e) => e.split("@")[0])).toEqual(["started", "lost", "stopped"]);
    expect(leases.lease?.spec).toMatchObject({ holderIdentity: "", leaseDurationSeconds: 1, leaseTransitions: 0 });
    const released = clock.now();
    await advance(clock, 4_500);
    expect(b.events).toHaveLength(1);
    expect(Number(b.events[0]?.split("@")[1]) - released).toBeLessThanOrEqual(4_400 + 100);
    expect(leases.lease?.spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    b.stop.abort();
    await b.done;
  });

  test("two candidates acting on the same version: one wins, the other gets a conflict (resourceVersion guards the write)", async () => {
    const clock = new FakeClock();
    const leases = new FakeLeases();
    const now = new Date(0).toISOString();
    leases.lease = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "lock", namespace: "ns", resourceVersion: "7" }, spec: { holderIdentity: "", leaseDurationSeconds: 1, renewTime: now, acquireTime: now, leaseTransitions: 2 } };
    const mk = (id: string): LeaderElector => new LeaderElector({ lock: new LeaseLock(leases.client(id), "ns", "lock", id), clock, logger: silentLogger });
    const [x, y] = [mk("x"), mk("y")];
    const signal = new AbortController().signal;
    const results = await Promise.all([x.tryAcquireOrRenew(signal), y.tryAcquireOrRenew(signal)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(leases.lease?.spec?.leaseTransitions).toBe(3);
    expect(leases.writes).toHaveLength(1);
  });

  test("renewals keep acquireTime and the transitions count; the renew time moves", async () => {
    const clock = new FakeClock();
    const leases = new FakeLeases();
    const a = candidate(leases, clock, "a");
    await tick();
    const first = structuredClone(leases.lease?.spec);
    await advance(clock, 6_000);
    expect(leases.lease?.spec?.acquireTime).toBe(first?.acquireTime);
    expect(leases.lease?.spec?.leaseTransitions).toBe(0);
    expect(leases.lease?.spec?.renewTime).not.toBe(first?.renewTime);
    expect(leases.lease?.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(leases.writes.length).toBeGreaterThanOrEqual(3);
    a.stop.abort();
    await a.done;
  });
});
