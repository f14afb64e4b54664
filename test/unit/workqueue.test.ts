import { describe, expect, test } from "@jest/globals";
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  FakeClock,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  WorkQueue,
} from "@kube-codegen/runtime";

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("work queue: client-go's semantics", () => {
  test("an item added while it waits is queued once", async () => {
    const q = new WorkQueue<string>({ clock: new FakeClock() });
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
    expect(q.metrics().adds).toBe(2);
  });

  test("an item added while it is processed is queued again at done, once", async () => {
    const q = new WorkQueue<string>({ clock: new FakeClock() });
    q.add("a");
    const a = await q.get();
    q.add("a");
    q.add("a");
    expect(q.len()).toBe(0); // not handed to a second worker meanwhile
    q.done(a as string);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe("a");
    q.done("a");
    expect(q.len()).toBe(0);
  });

  test("get waits for an add; shutDown answers waiting gets with undefined and refuses adds", async () => {
    const q = new WorkQueue<string>({ clock: new FakeClock() });
    const waiting = q.get();
    q.add("x");
    expect(await waiting).toBe("x");
    const second = q.get();
    q.shutDown();
    expect(await second).toBeUndefined();
    q.add("y");
    expect(await q.get()).toBeUndefined();
  });

  test("a get can be given up through its signal", async () => {
    const q = new WorkQueue<string>({ clock: new FakeClock() });
    const ac = new AbortController();
    const waiting = q.get(ac.signal);
    ac.abort();
    expect(await waiting).toBeUndefined();
    q.add("z");
    expect(q.len()).toBe(1); // the abandoned get took nothing
  });

  test("shutDownWithDrain waits for the items being processed", async () => {
    const q = new WorkQueue<string>({ clock: new FakeClock() });
    q.add("a");
    const a = (await q.get()) as string;
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    await tick();
    expect(drained).toBe(false);
    q.done(a);
    await drain;
    expect(drained).toBe(true);
  });

  test("addAfter waits on the clock; a second addAfter keeps the earlier time; ≤ 0 adds now", async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock });
    q.addAfter("a", 100);
    q.addAfter("a", 300);
    q.addAfter("b", 50);
    q.addAfter("now", 0);
    expect(q.len()).toBe(1);
    clock.advance(49);
    expect(q.len()).toBe(1);
    clock.advance(1);
    expect(q.len()).toBe(2);
    clock.advance(50);
    expect(q.len()).toBe(3);
    clock.advance(1_000);
    expect(q.len()).toBe(3); // the later addAfter of a did not add it again
    expect([await q.get(), await q.get(), await q.get()]).toEqual(["now", "b", "a"]);
  });

  test("an earlier addAfter moves a waiting item forward", () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock });
    q.addAfter("a", 1_000);
    q.addAfter("a", 10);
    clock.advance(10);
    expect(q.len()).toBe(1);
  });

  test("shutDown drops delayed items and leaves no timer", () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock });
    q.addAfter("a", 100);
    q.shutDown();
    expect(clock.pending).toBe(0);
    clock.advance(200);
    expect(q.len()).toBe(0);
  });

  test("metrics: depth, queue and work durations, unfinished work, longest running processor, retries", async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock, name: "widgets" });
    q.add("a");
    clock.advance(2_000);
    const a = (await q.get()) as string;
    clock.advance(3_000);
    const m = q.metrics();
    expect(m).toMatchObject({ name: "widgets", depth: 0, adds: 1, unfinishedWorkSeconds: 3, longestRunningProcessorSeconds: 3 });
    expect(m.queueDuration).toMatchObject({ count: 1, sum: 2 });
    q.done(a);
    q.addRateLimited("a");
    expect(q.metrics()).toMatchObject({ retries: 1, unfinishedWorkSeconds: 0 });
    expect(q.metrics().workDuration).toMatchObject({ count: 1, sum: 3 });
  });

  test("8 workers, 10,000 random adds of 50 keys: never two workers on one key, no add lost", async () => {
    const q = new WorkQueue<string>({ clock: new FakeClock() });
    const inFlight = new Set<string>();
    const lastAdd = new Map<string, number>();
    const lastStart = new Map<string, number>();
    let step = 0;
    let overlaps = 0;
    let processed = 0;
    let rnd = 42;
    const random = (n: number): number => ((rnd = (rnd * 1103515245 + 12345) % 2 ** 31) % n);
    const workers = Array.from({ length: 8 }, async () => {
      for (;;) {
        const key = await q.get();
        if (key === undefined) return;
        if (inFlight.has(key)) overlaps++;
        inFlight.add(key);
        lastStart.set(key, ++step);
        processed++;
        for (let i = random(3); i > 0; i--) await tick();
        inFlight.delete(key);
        q.done(key);
      }
    });
    for (let i = 0; i < 10_000; i++) {
      const key = `k${random(50)}`;
      q.add(key);
      lastAdd.set(key, ++step);
      if (random(4) === 0) await tick();
    }
    while (q.len() > 0 || inFlight.size > 0) await tick();
    await q.shutDownWithDrain();
    await Promise.all(workers);
    expect(overlaps).toBe(0);
    // Every key's last processing started after its last add: no change was lost.
    for (const [key, added] of lastAdd) expect([key, (lastStart.get(key) ?? 0) > added]).toEqual([key, true]);
    // Deduplication: far fewer reconciles than adds.
    expect(processed).toBeLessThan(10_000);
  });
});

describe("rate limiters", () => {
  test("per-item exponential: 5, 10, 20, 40 ms … capped at 1000 s; forget resets", () => {
    const l = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    expect([1, 2, 3, 4, 5].map(() => l.when("a"))).toEqual([5, 10, 20, 40, 80]);
    expect(l.numRequeues("a")).toBe(5);
    expect(l.when("b")).toBe(5);
    for (let i = 0; i < 40; i++) l.when("a");
    expect(l.when("a")).toBe(1_000_000);
    l.forget("a");
    expect([l.numRequeues("a"), l.when("a")]).toEqual([0, 5]);
  });

  test("token bucket: a burst of 100 free, then 10 a second", () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter(10, 100, clock);
    for (let i = 0; i < 100; i++) expect(l.when(`k${i}`)).toBe(0);
    expect(l.when("x")).toBeCloseTo(100);
    expect(l.when("y")).toBeCloseTo(200);
    clock.advance(1_000);
    // 10 tokens back, 2 owed: 8 free ones left.
    for (let i = 0; i < 8; i++) expect(l.when(`z${i}`)).toBe(0);
    expect(l.when("w")).toBeCloseTo(100);
  });

  test("the default controller limiter is the max of both: 5 ms × 2^n until the bucket is empty", () => {
    const clock = new FakeClock();
    const l = defaultControllerRateLimiter(clock);
    expect([l.when("a"), l.when("a"), l.when("a")]).toEqual([5, 10, 20]);
    for (let i = 0; i < 97; i++) l.when(`b${i}`);
    expect(l.when("c")).toBeCloseTo(100); // bucket empty: its 100 ms beats c's 5 ms
    l.forget("a");
    expect(l.numRequeues("a")).toBe(0);
  });

  test("fast-slow and max-of", () => {
    const fs = new ItemFastSlowRateLimiter(1, 1_000, 2);
    expect([fs.when("a"), fs.when("a"), fs.when("a")]).toEqual([1, 1, 1_000]);
    const m = new MaxOfRateLimiter(new ItemFastSlowRateLimiter(7, 9, 1), new ItemExponentialFailureRateLimiter(1, 100));
    expect([m.when("a"), m.when("a"), m.numRequeues("a")]).toEqual([7, 9, 2]);
  });

  test("addRateLimited in the queue waits as the limiter says; forget starts over", () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000) });
    q.addRateLimited("a");
    clock.advance(4);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    expect(q.numRequeues("a")).toBe(1);
    q.forget("a");
    expect(q.numRequeues("a")).toBe(0);
  });
});
