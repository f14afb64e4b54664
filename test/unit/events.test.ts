import { describe, expect, test } from "@jest/globals";
import { EventBroadcaster, FakeClock, silentLogger, type EventObject, type EventSeries, type EventSink, type KubeObject } from "@kube-codegen/runtime";

/** A sink that keeps the Events like the server would, by namespace/name. */
class MemorySink implements EventSink {
  readonly events = new Map<string, EventObject>();
  calls = 0;
  failNext = 0;
  async create(e: EventObject): Promise<unknown> {
    this.calls++;
    if (this.failNext > 0 && this.failNext--) throw new Error("connection reset");
    this.events.set(`${e.metadata.namespace}/${e.metadata.name}`, e);
    return e;
  }
  async patchSeries(ns: string, name: string, series: EventSeries): Promise<unknown> {
    this.calls++;
    const e = this.events.get(`${ns}/${name}`);
    if (e === undefined) throw new Error("not found");
    e.series = series;
    return e;
  }
}

const site = (name: string, rv = "1"): KubeObject => ({ apiVersion: "examples.dev/v1", kind: "Website", metadata: { name, namespace: "web", uid: `uid-${name}`, resourceVersion: rv } });

function setup(extra: Partial<ConstructorParameters<typeof EventBroadcaster>[0]> = {}) {
  const clock = new FakeClock();
  const sink = new MemorySink();
  const b = new EventBroadcaster({ sink, clock, wallTime: () => new Date(Date.UTC(2026, 0, 1) + clock.now()), logger: silentLogger, ...extra });
  return { clock, sink, b, rec: b.newRecorder("website-controller", "website-controller-pod-1") };
}

describe("events (events.k8s.io/v1 like client-go's tools/events)", () => {
  test("an event has regarding, reason, action, note, type, reportingController and reportingInstance, in the object's namespace", async () => {
    const { sink, b, rec } = setup();
    rec.event(site("a"), "Normal", "Applied", "Reconcile", "children applied");
    await b.flush();
    const [e] = [...sink.events.values()];
    expect(e).toMatchObject({
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { namespace: "web" },
      reason: "Applied",
      action: "Reconcile",
      note: "children applied",
      type: "Normal",
      reportingController: "website-controller",
      reportingInstance: "website-controller-pod-1",
      regarding: { apiVersion: "examples.dev/v1", kind: "Website", name: "a", namespace: "web", uid: "uid-a", resourceVersion: "1" },
    });
    expect(e?.metadata.name).toMatch(/^a\.[0-9a-f]+$/);
    expect(e?.eventTime).toMatch(/\.\d{6}Z$/);
    expect(e?.series).toBeUndefined();
  });

  test("100 identical events make one Event with a series count of 100 (written at once for the 2nd, then on refresh)", async () => {
    const { sink, b, rec, clock } = setup({ seriesRefreshMs: 1_000 });
    for (let i = 0; i < 100; i++) rec.event(site("a", String(i)), "Warning", "Failed", "Reconcile", `attempt ${i}`);
    await b.flush();
    expect(sink.events.size).toBe(1);
    const e = [...sink.events.values()][0];
    expect(e?.series?.count).toBe(100);
    expect(e?.note).toBe("attempt 0");
    expect(b.stats()).toMatchObject({ recorded: 100, folded: 98, rateLimited: 0 });
    // more repeats: written by the refresh timer, without new objects
    rec.event(site("a"), "Warning", "Failed", "Reconcile");
    clock.advance(1_000);
    await b.flush();
    expect(e?.series?.count).toBe(101);
    expect(sink.events.size).toBe(1);
    // another reason, type or object is another Event
    rec.event(site("a"), "Normal", "Failed", "Reconcile");
    rec.event(site("b"), "Warning", "Failed", "Reconcile");
    await b.flush();
    expect(sink.events.size).toBe(3);
  });

  test("a flood per object is rate limited (burst 25, then one per 5 minutes); other objects are not affected", async () => {
    const { sink, b, rec, clock } = setup();
    for (let i = 0; i < 10_000; i++) rec.event(site("a"), "Normal", `Reason${i}`, "Reconcile");
    rec.event(site("b"), "Normal", "Other", "Reconcile");
    await b.flush();
    expect(sink.events.size).toBe(26);
    expect(b.stats()).toMatchObject({ recorded: 10_001, rateLimited: 10_000 - 25, written: 26 });
    clock.advance(299_000);
    rec.event(site("a"), "Normal", "Later", "Reconcile");
    clock.advance(1_000);
    rec.event(site("a"), "Normal", "Later2", "Reconcile");
    await b.flush();
    expect(sink.events.size).toBe(27);
  });

  test("recording never throws and never waits: bad input is counted, a full queue drops, a failing server is retried", async () => {
    const { sink, b, rec, clock } = setup({ maxQueued: 3, burst: 1000 });
    expect(() => rec.event(site("a"), "Bogus" as "Normal", "R", "A")).not.toThrow();
    expect(() => rec.event(site("a"), "Normal", "", "A")).not.toThrow();
    expect(() => rec.event({ name: "x" }, "Normal", "R", "A", "é".repeat(2000))).not.toThrow();
    for (let i = 0; i < 10; i++) rec.event(site("a"), "Normal", `R${i}`, "A");
    expect(b.stats()).toMatchObject({ invalid: 2 });
    expect(b.stats().dropped).toBeGreaterThan(0);
    sink.failNext = 1;
    const flushed = b.flush();
    for (let i = 0; i < 50; i++) {
      clock.advance(500);
      await new Promise((r) => setImmediate(r));
    }
    await flushed;
    const x = [...sink.events.values()].find((e) => e.regarding.name === "x");
    expect(x?.metadata.namespace).toBe("default");
    expect(Buffer.byteLength(x?.note ?? "")).toBeLessThanOrEqual(1024);
    await b.shutdown();
    rec.event(site("a"), "Normal", "After", "A");
    expect(sink.events.size).toBe(b.stats().written);
    expect(clock.pending).toBe(0);
  });
});
