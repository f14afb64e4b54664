import { describe, expect, test } from "@jest/globals";
import {
  controller,
  FakeClock,
  generationChanged,
  ItemExponentialFailureRateLimiter,
  silentLogger,
  terminal,
  type EventHandler,
  type HandlerRegistration,
  type KubeObject,
  type Request,
  type ResourceDescriptor,
  type Source,
} from "@kube-codegen/runtime";

const tick = async (n = 5): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

const websites: ResourceDescriptor = { group: "examples.dev", version: "v1", kind: "Website", listKind: "WebsiteList", plural: "websites", singular: "website", shortNames: [], categories: [], scope: "Namespaced", subresources: { status: true } };
const deployments: ResourceDescriptor = { group: "apps", version: "v1", kind: "Deployment", listKind: "DeploymentList", plural: "deployments", singular: "deployment", shortNames: [], categories: [], scope: "Namespaced", subresources: {} };

/** An informer stand-in: the test says when it has synced and what happens. */
class FakeSource<T extends KubeObject> implements Source<T> {
  readonly handlers: EventHandler<T>[] = [];
  #synced = false;
  #waiters: (() => void)[] = [];
  constructor(readonly resource?: ResourceDescriptor) {}
  addEventHandler(h: EventHandler<T>): HandlerRegistration {
    this.handlers.push(h);
    return { remove: () => void this.handlers.splice(this.handlers.indexOf(h), 1), hasSynced: () => this.#synced, idle: async () => undefined } as unknown as HandlerRegistration;
  }
  start(): void {}
  hasSynced(): boolean {
    return this.#synced;
  }
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
      this.#waiters.push(resolve);
    });
  }
  sync(): void {
    this.#synced = true;
    for (const w of this.#waiters.splice(0)) w();
  }
  add(o: T): void {
    for (const h of this.handlers) void h.onAdd?.(o, false);
  }
  update(a: T, b: T): void {
    for (const h of this.handlers) void h.onUpdate?.(a, b);
  }
  delete(o: T): void {
    for (const h of this.handlers) void h.onDelete?.(o);
  }
}

const obj = (name: string, extra: Partial<KubeObject["metadata"]> = {}, kind = "Website"): KubeObject => ({
  apiVersion: kind === "Website" ? "examples.dev/v1" : "apps/v1",
  kind,
  metadata: { namespace: "ns", name, uid: `uid-${name}`, generation: 1, resourceVersion: "1", ...extra },
});

interface Harness {
  readonly clock: FakeClock;
  readonly primary: FakeSource<KubeObject>;
  readonly calls: { key: string; at: number }[];
  readonly stop: () => Promise<void>;
  readonly metrics: () => ReturnType<ReturnType<ReturnType<ReturnType<typeof controller>["for"]>["reconcile"]>["metrics"]>;
}

async function run(reconcile: (r: Request) => unknown, build?: (b: ReturnType<ReturnType<typeof controller>["for"]>, h: { clock: FakeClock }) => ReturnType<ReturnType<typeof controller>["for"]>, workers = 1): Promise<Harness> {
  const clock = new FakeClock();
  const primary = new FakeSource<KubeObject>(websites);
  const calls: { key: string; at: number }[] = [];
  let b = controller("websites", { clock, logger: silentLogger, maxConcurrentReconciles: workers, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000) }).for(primary);
  if (build !== undefined) b = build(b, { clock });
  const c = b.reconcile(async (r) => {
    calls.push({ key: `${r.namespace ?? ""}/${r.name}`, at: clock.now() });
    return (await reconcile(r)) as never;
  });
  const ac = new AbortController();
  const running = c.start(ac.signal);
  primary.sync();
  await tick();
  return { clock, primary, calls, stop: async () => (ac.abort(), await running), metrics: () => c.metrics() };
}

describe("controller: result rules with an injected clock (CONTROLLER.md §6 items 1–3)", () => {
  test("a change during a reconcile leads to exactly one more reconcile, never a concurrent one", async () => {
    let release: () => void = () => undefined;
    let running = 0;
    let maxRunning = 0;
    const h = await run(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      if (h === undefined || h.calls.length === 1) await new Promise<void>((r) => (release = r));
      running--;
    }, undefined, 8);
    h.primary.add(obj("a"));
    await tick();
    for (let i = 2; i < 7; i++) h.primary.update(obj("a", { resourceVersion: String(i - 1) }), obj("a", { resourceVersion: String(i) }));
    await tick();
    expect(h.calls).toHaveLength(1);
    release();
    await tick(10);
    expect(h.calls.map((c) => c.key)).toEqual(["ns/a", "ns/a"]);
    expect(maxRunning).toBe(1);
    await h.stop();
  });

  test("a throwing reconcile is retried after 5, 10, 20 ms; success resets the delay", async () => {
    let fail = 3;
    const h = await run(() => {
      if (fail-- > 0) throw new Error("boom");
    });
    h.primary.add(obj("a"));
    await tick();
    for (const step of [5, 10, 20]) {
      h.clock.advance(step - 1);
      await tick();
      const before = h.calls.length;
      h.clock.advance(1);
      await tick();
      expect(h.calls.length).toBe(before + 1);
    }
    expect(h.calls.map((c) => c.at)).toEqual([0, 5, 15, 35]);
    // Succeeded: the failures are forgotten, so the next failure waits 5 ms again.
    fail = 1;
    h.primary.update(obj("a"), obj("a", { resourceVersion: "2" }));
    await tick();
    h.clock.advance(5);
    await tick();
    expect(h.calls.map((c) => c.at)).toEqual([0, 5, 15, 35, 35, 40]);
    await h.stop();
  });

  test("a terminal error is counted apart and not retried; a non-Error throw is an error too", async () => {
    let n = 0;
    const h = await run(() => {
      n++;
      if (n === 1) throw terminal(new Error("invalid spec"));
      throw "not an Error";
    });
    h.primary.add(obj("a"));
    await tick();
    h.clock.advance(10_000);
    await tick();
    expect(h.calls).toHaveLength(1);
    h.primary.add(obj("b"));
    await tick();
    h.clock.advance(5);
    await tick();
    expect(h.calls.map((c) => c.key)).toEqual(["ns/a", "ns/b", "ns/b"]);
    await h.stop();
  });

  test("requeueAfterMs comes back after that long; an event meanwhile reconciles sooner", async () => {
    const h = await run(() => ({ requeueAfterMs: 60_000 }));
    h.primary.add(obj("a"));
    await tick();
    h.clock.advance(59_999);
    await tick();
    expect(h.calls).toHaveLength(1);
    h.clock.advance(1);
    await tick();
    expect(h.calls.map((c) => c.at)).toEqual([0, 60_000]);
    h.clock.advance(10_000);
    h.primary.update(obj("a"), obj("a", { resourceVersion: "9" }));
    await tick();
    expect(h.calls.map((c) => c.at)).toEqual([0, 60_000, 70_000]);
    await h.stop();
  });

  test("requeue: true comes back after the rate limiter's delay", async () => {
    let n = 0;
    const h = await run(() => (n++ < 2 ? { requeue: true } : undefined));
    h.primary.add(obj("a"));
    await tick();
    h.clock.advance(5);
    await tick();
    h.clock.advance(10);
    await tick();
    expect(h.calls.map((c) => c.at)).toEqual([0, 5, 15]);
    await h.stop();
  });
});

describe("controller: sources and predicates", () => {
  test("generationChanged: a status-only update (same generation) does not reconcile", async () => {
    const h = await run(() => undefined, (b) => b.withEventFilter(generationChanged()));
    h.primary.add(obj("a"));
    await tick();
    h.primary.update(obj("a"), obj("a", { resourceVersion: "2" }));
    await tick();
    expect(h.calls).toHaveLength(1);
    h.primary.update(obj("a", { resourceVersion: "2" }), obj("a", { resourceVersion: "3", generation: 2 }));
    await tick();
    expect(h.calls).toHaveLength(2);
    await h.stop();
  });

  test("owns: events of owned objects go to their controller owner (group and kind matched, version ignored)", async () => {
    const owned = new FakeSource<KubeObject>(deployments);
    const h = await run(() => undefined, (b) => (owned.sync(), b.owns(owned)));
    const ref = (apiVersion: string, kind: string, controllerRef: boolean) => ({ ownerReferences: [{ apiVersion, kind, name: "site", uid: "u", controller: controllerRef }] });
    owned.add(obj("d1", ref("examples.dev/v1beta1", "Website", true), "Deployment"));
    owned.add(obj("d2", ref("examples.dev/v1", "Website", false), "Deployment")); // not the controller
    owned.add(obj("d3", ref("other.dev/v1", "Website", true), "Deployment")); // another group
    owned.add(obj("d4", ref("examples.dev/v1", "Gadget", true), "Deployment")); // another kind
    await tick();
    expect(h.calls.map((c) => c.key)).toEqual(["ns/site"]);
    owned.delete(obj("d1", ref("examples.dev/v1", "Website", true), "Deployment"));
    await tick();
    expect(h.calls.map((c) => c.key)).toEqual(["ns/site", "ns/site"]);
    await h.stop();
  });

  test("watches: any informer and a map function", async () => {
    const secrets = new FakeSource<KubeObject>();
    const h = await run(() => undefined, (b) => (secrets.sync(), b.watches(secrets, (s) => [{ namespace: s.metadata.namespace, name: `uses-${s.metadata.name ?? ""}` }])));
    secrets.add(obj("tls", {}, "Secret"));
    await tick();
    expect(h.calls.map((c) => c.key)).toEqual(["ns/uses-tls"]);
    await h.stop();
  });

  test("owns() without a resource-naming for() is refused at build time", () => {
    expect(() => controller("x").for(new FakeSource<KubeObject>()).owns(new FakeSource<KubeObject>(deployments))).toThrow(/owns\(\) needs for\(\) first, with an informer that names its resource/);
  });
});

describe("controller: start and stop", () => {
  test("workers start only after every cache synced; a cache that does not sync in time is named", async () => {
    const clock = new FakeClock();
    const primary = new FakeSource<KubeObject>(websites);
    const owned = new FakeSource<KubeObject>(deployments);
    const calls: string[] = [];
    const c = controller("websites", { clock, logger: silentLogger, cacheSyncTimeoutMs: 1_000 }).for(primary).owns(owned).reconcile((r) => void calls.push(r.name));
    const started = c.start(new AbortController().signal);
    primary.sync();
    primary.add(obj("early"));
    await tick();
    expect(calls).toEqual([]); // queued, but no worker before the sync
    clock.advance(1_000);
    await expect(started).rejects.toThrow(/controller websites: caches not synced after 1000 ms: deployments\.apps\/v1/);
  });

  test("stopping lets an in-flight reconcile finish, then resolves; its signal aborts only after the graceful timeout", async () => {
    let release: () => void = () => undefined;
    let signal: AbortSignal | undefined;
    const clock = new FakeClock();
    const primary = new FakeSource<KubeObject>(websites);
    const c = controller("websites", { clock, logger: silentLogger, gracefulShutdownTimeoutMs: 5_000 }).for(primary).reconcile(async (_r, ctx) => {
      signal = ctx.signal;
      await new Promise<void>((r) => (release = r));
    });
    const ac = new AbortController();
    let done = false;
    const running = c.start(ac.signal).then(() => (done = true));
    primary.sync();
    primary.add(obj("a"));
    await tick();
    ac.abort();
    await tick();
    expect([done, signal?.aborted]).toEqual([false, false]);
    clock.advance(5_000);
    expect(signal?.aborted).toBe(true);
    release();
    await running;
    expect(primary.handlers).toHaveLength(0);
    expect(c.metrics().reconcileTotal.success).toBe(1);
  });

  test("reconcileTimeoutMs aborts the reconcile's signal; the timeout counts as an error and is retried", async () => {
    const clock = new FakeClock();
    const primary = new FakeSource<KubeObject>(websites);
    let attempts = 0;
    const c = controller("websites", { clock, logger: silentLogger, reconcileTimeoutMs: 100, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000) }).for(primary).reconcile(async (_r, ctx) => {
      attempts++;
      if (attempts > 1) return;
      await new Promise<void>((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error)));
    });
    const ac = new AbortController();
    const running = c.start(ac.signal);
    primary.sync();
    primary.add(obj("a"));
    await tick();
    clock.advance(100);
    await tick();
    clock.advance(5);
    await tick();
    expect(attempts).toBe(2);
    expect(c.metrics()).toMatchObject({ reconcileErrors: 1, reconcileTotal: { error: 1, success: 1 } });
    ac.abort();
    await running;
  });

  test("metrics: totals by result, errors, terminal errors, workers", async () => {
    let n = 0;
    const h = await run(() => {
      n++;
      if (n === 1) throw new Error("x");
      if (n === 2) throw terminal("bad");
      if (n === 3) return { requeueAfterMs: 1 };
      return undefined;
    });
    h.primary.add(obj("a"));
    h.primary.add(obj("b"));
    await tick();
    h.clock.advance(5);
    await tick();
    h.clock.advance(1);
    await tick();
    await h.stop();
    expect(h.calls.length).toBe(4);
    const m = h.metrics();
    expect(m).toMatchObject({ reconcileTotal: { success: 1, error: 2, requeue: 0, requeue_after: 1 }, reconcileErrors: 2, terminalReconcileErrors: 1, activeWorkers: 0, maxConcurrentReconciles: 1 });
    expect(m.reconcileTime.count).toBe(4);
    expect(m.queue).toMatchObject({ name: "websites", retries: 1 });
  });
});
