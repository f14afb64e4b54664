import { describe, expect, test } from "@jest/globals";
import {
  ApiStatusError,
  IndexedStore,
  SharedInformer,
  TransportError,
  isTombstone,
  type DeletedFinalStateUnknown,
  type KubeObject,
  type ListOptions,
  type ListerWatcher,
  type WatchEvent,
  type WatchOptions,
} from "@kube-codegen/runtime";

interface Obj extends KubeObject {
  spec?: { v?: number };
}
const obj = (name: string, rv: string, ns = "default", labels: Record<string, string> = {}): Obj => ({
  apiVersion: "t/v1",
  kind: "T",
  metadata: { name, namespace: ns, resourceVersion: rv, labels },
});
const gone = (): ApiStatusError =>
  new ApiStatusError({ verb: "watch", method: "GET", url: "/x" }, { kind: "Status", code: 410, reason: "Expired", message: "too old" }, 410);

/** A watch the test drives: push events, end it cleanly, or fail it. */
class ScriptedWatch implements AsyncIterable<WatchEvent<Obj>> {
  #queue: (WatchEvent<Obj> | { end: true } | { error: unknown })[] = [];
  #wake: (() => void) | undefined;
  constructor(readonly options: WatchOptions) {}
  push(ev: WatchEvent<Obj>): void {
    this.#queue.push(ev);
    this.#wake?.();
  }
  end(): void {
    this.#queue.push({ end: true });
    this.#wake?.();
  }
  fail(error: unknown): void {
    this.#queue.push({ error });
    this.#wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<Obj>> {
    const signal = this.options.signal;
    for (;;) {
      while (this.#queue.length === 0) {
        if (signal?.aborted === true) return;
        await new Promise<void>((r) => {
          this.#wake = r;
          signal?.addEventListener("abort", () => r(), { once: true });
        });
      }
      const next = this.#queue.shift();
      if (next === undefined) continue;
      if ("end" in next) return;
      if ("error" in next) throw next.error;
      yield next;
    }
  }
}

/** A list/watch source with a server-side state the test changes. */
class FakeApi implements ListerWatcher<Obj> {
  objects = new Map<string, Obj>();
  rv = 1;
  lists: ListOptions[] = [];
  watches: ScriptedWatch[] = [];
  listFailures: unknown[] = [];
  async list(options: ListOptions) {
    this.lists.push(options);
    const failure = this.listFailures.shift();
    if (failure !== undefined) throw failure;
    return { metadata: { resourceVersion: String(this.rv) }, items: [...this.objects.values()] };
  }
  watch(options: WatchOptions): ScriptedWatch {
    const w = new ScriptedWatch(options);
    this.watches.push(w);
    return w;
  }
  put(name: string): Obj {
    const o = obj(name, String(++this.rv));
    this.objects.set(name, o);
    return o;
  }
  remove(name: string): Obj | undefined {
    const o = this.objects.get(name);
    this.objects.delete(name);
    this.rv++;
    return o;
  }
  current(): ScriptedWatch {
    const w = this.watches.at(-1);
    if (w === undefined) throw new Error("no watch yet");
    return w;
  }
}

const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 2));
  }
};

function setup(extra: Partial<ConstructorParameters<typeof SharedInformer<Obj>>[1]> = {}) {
  const api = new FakeApi();
  const errors: unknown[] = [];
  const informer = new SharedInformer<Obj>(api, { namespaced: true, backoff: { initialMs: 5, maxMs: 20 }, onError: (e) => errors.push(e), ...extra });
  const events: string[] = [];
  informer.addEventHandler({
    onAdd: (o, initial) => void events.push(`add ${o.metadata.name}${initial ? " (initial)" : ""}`),
    onUpdate: (a, b) => void events.push(`update ${b.metadata.name} ${a.metadata.resourceVersion}→${b.metadata.resourceVersion}`),
    onDelete: (o) => void events.push(isTombstone(o) ? `delete ${o.key} (tombstone)` : `delete ${o.metadata.name}`),
  });
  return { api, informer, events, errors };
}

describe("informer", () => {
  test("list, then watch from the list's resourceVersion with bookmarks", async () => {
    const { api, informer, events } = setup();
    api.put("a");
    api.put("b");
    informer.start();
    await informer.waitForSync();
    await until(() => api.watches.length === 1);
    expect(api.lists[0]).toMatchObject({ resourceVersion: "", limit: 500 });
    expect(api.current().options).toMatchObject({ resourceVersion: "3", allowWatchBookmarks: true });
    expect(api.current().options.timeoutSeconds).toBeGreaterThanOrEqual(300);
    expect(api.current().options.timeoutSeconds).toBeLessThan(600);
    api.current().push({ type: "ADDED", object: api.put("c") });
    api.current().push({ type: "MODIFIED", object: api.put("a") });
    api.current().push({ type: "DELETED", object: obj("b", String(++api.rv)) });
    api.current().push({ type: "BOOKMARK", object: { metadata: { resourceVersion: "99" } } });
    await until(() => informer.lastSyncResourceVersion === "99");
    await informer.idle();
    expect(events).toEqual(["add a (initial)", "add b (initial)", "add c", "update a 2→5", "delete b"]);
    expect(informer.lister().namespace("default").list().map((o) => o.metadata.name).sort()).toEqual(["a", "c"]);
    await informer.stop();
  });

  test("a clean end of the watch: watch again from the last resourceVersion, no relist, no events", async () => {
    const { api, informer, events } = setup();
    api.put("a");
    informer.start();
    await until(() => api.watches.length === 1);
    api.current().push({ type: "MODIFIED", object: api.put("a") });
    await until(() => informer.lastSyncResourceVersion === "3");
    api.current().end();
    await until(() => api.watches.length === 2);
    expect(api.current().options.resourceVersion).toBe("3");
    expect(api.lists).toHaveLength(1);
    await informer.idle();
    expect(events).toEqual(["add a (initial)", "update a 2→3"]);
    await informer.stop();
  });

  test("ERROR 410: relist from the last resourceVersion; deltas, tombstones, nothing for created-and-deleted", async () => {
    const { api, informer, events } = setup();
    api.put("keep");
    api.put("gone");
    api.put("changed");
    informer.start();
    await until(() => api.watches.length === 1);
    // While the watch is broken: one deleted, one changed, one created and deleted again, one new.
    api.remove("gone");
    api.put("changed");
    api.put("flash");
    api.remove("flash");
    api.put("new");
    api.current().fail(gone());
    await until(() => api.watches.length === 2);
    expect(api.lists.map((l) => l.resourceVersion)).toEqual(["", "4"]);
    await informer.idle();
    expect(events.slice(3).sort()).toEqual(["add new", "delete default/gone (tombstone)", "update changed 4→6"].sort());
    const tomb = { kind: "DeletedFinalStateUnknown", key: "default/gone", lastKnownObject: obj("gone", "3") } satisfies DeletedFinalStateUnknown<Obj>;
    expect(isTombstone(tomb)).toBe(true);
    await informer.stop();
  });

  test("a relist where nothing changed delivers nothing", async () => {
    const { api, informer, events } = setup();
    api.put("a");
    informer.start();
    await until(() => api.watches.length === 1);
    api.current().fail(gone());
    await until(() => api.watches.length === 2);
    await informer.idle();
    expect(api.lists).toHaveLength(2);
    expect(events).toEqual(["add a (initial)"]);
    await informer.stop();
  });

  test("a 410 on the relist itself: list again at once from scratch", async () => {
    const { api, informer } = setup();
    informer.start();
    await until(() => api.watches.length === 1);
    api.listFailures.push(gone());
    api.current().fail(gone());
    await until(() => api.watches.length === 2);
    expect(api.lists.map((l) => l.resourceVersion)).toEqual(["", "1", ""]);
    await informer.stop();
  });

  test("a broken connection: back off and watch again from the last resourceVersion, no relist; cache stays synced", async () => {
    const { api, informer, errors } = setup();
    api.put("a");
    informer.start();
    await until(() => api.watches.length === 1);
    for (let i = 0; i < 3; i++) {
      api.current().fail(new TransportError({ verb: "watch", method: "GET", url: "/x" }, "connection refused", "ECONNREFUSED"));
      await until(() => api.watches.length === i + 2);
    }
    expect(api.lists).toHaveLength(1);
    expect(api.watches.map((w) => w.options.resourceVersion)).toEqual(["2", "2", "2", "2"]);
    expect(informer.hasSynced()).toBe(true);
    expect(informer.store.size).toBe(1);
    expect(errors).toHaveLength(3);
    await informer.stop();
  });

  test("watches that end at once, repeatedly: relist with backoff, not a hot loop", async () => {
    const api = new FakeApi();
    const informer = new SharedInformer<Obj>(api, { namespaced: true, backoff: { initialMs: 50, maxMs: 400 } });
    // Every watch ends immediately.
    api.watch = function (options) {
      const w = new ScriptedWatch(options);
      this.watches.push(w);
      w.end();
      return w;
    };
    informer.start();
    await new Promise((r) => setTimeout(r, 1000));
    await informer.stop();
    // Without backoff this would be thousands in a second; with 50 → 400 ms doubling, a handful.
    expect(api.watches.length).toBeLessThan(20);
    expect(api.lists.length).toBeGreaterThan(1);
  });

  test("an expired continue token restarts the list from scratch; pages are never mixed", async () => {
    const api = new FakeApi();
    let call = 0;
    api.list = async function (options: ListOptions) {
      this.lists.push(options);
      call++;
      if (call === 1) return { metadata: { resourceVersion: "10", continue: "t1" }, items: [obj("a", "5")] };
      if (call === 2) throw gone();
      if (call === 3) return { metadata: { resourceVersion: "12", continue: "t2" }, items: [obj("a", "11")] };
      return { metadata: { resourceVersion: "12" }, items: [obj("b", "12")] };
    };
    const informer = new SharedInformer<Obj>(api, { namespaced: true, pageSize: 1 });
    informer.start();
    await informer.waitForSync();
    expect(api.lists.map((l) => [l.resourceVersion, l.continue])).toEqual([["", undefined], [undefined, "t1"], ["", undefined], [undefined, "t2"]]);
    expect(informer.store.list().map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort()).toEqual(["a@11", "b@12"]);
    await informer.stop();
  });

  test("handlers: a slow one does not block another; a throwing one is reported and gets the next event", async () => {
    const { api, informer } = setup({ onHandlerError: (e) => reported.push(e) });
    const reported: unknown[] = [];
    const slow: string[] = [];
    const fast: string[] = [];
    const throwing: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    informer.addEventHandler({ onAdd: async (o) => {
      await gate;
      slow.push(o.metadata.name ?? "");
    } });
    informer.addEventHandler({ onAdd: (o) => void fast.push(o.metadata.name ?? "") });
    informer.addEventHandler({ onAdd: (o) => {
      throwing.push(o.metadata.name ?? "");
      if (o.metadata.name === "a") throw new Error("boom");
    } });
    api.put("a");
    informer.start();
    await until(() => api.watches.length === 1);
    api.current().push({ type: "ADDED", object: api.put("b") });
    await until(() => fast.length === 2 && throwing.length === 2);
    expect(slow).toEqual([]);
    expect(reported.map(String)).toEqual(["Error: boom"]);
    release();
    await informer.idle();
    expect(slow).toEqual(["a", "b"]);
    await informer.stop();
  });

  test("a handler added after start first gets the cache as adds; resync re-delivers updates", async () => {
    const { api, informer } = setup();
    api.put("a");
    api.put("b");
    informer.start();
    await informer.waitForSync();
    const late: string[] = [];
    const reg = informer.addEventHandler(
      { onAdd: (o, initial) => void late.push(`add ${o.metadata.name} ${initial}`), onUpdate: (x, y) => void late.push(`resync ${y.metadata.name} ${x === y}`) },
      { resyncPeriodMs: 30 },
    );
    await until(() => late.filter((l) => l.startsWith("resync")).length >= 4);
    reg.remove();
    expect(late.slice(0, 2).sort()).toEqual(["add a true", "add b true"]);
    expect(late.slice(2, 4).sort()).toEqual(["resync a true", "resync b true"]);
    expect(api.lists).toHaveLength(1); // resync is not an API call
    await informer.stop();
  });

  test("stop ends everything; start after stop does nothing", async () => {
    const { api, informer } = setup();
    informer.start();
    await until(() => api.watches.length === 1);
    await informer.stop();
    informer.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(api.lists).toHaveLength(1);
    expect(api.watches).toHaveLength(1);
  });

  test("transform is applied once, before caching; freezeObjects makes writes throw", async () => {
    const { api, informer } = setup({
      transform: (o: Obj) => ({ ...o, metadata: { ...o.metadata, managedFields: [] } }),
      freezeObjects: true,
    });
    api.put("a");
    informer.start();
    await informer.waitForSync();
    const a = informer.lister().namespace("default").get("a");
    expect(a?.metadata.managedFields).toEqual([]);
    expect(() => {
      (a as Obj).metadata.name = "x";
    }).toThrow(TypeError);
    await informer.stop();
  });
});

describe("IndexedStore", () => {
  test("namespace index, custom indexes, updates and deletes keep indexes right", () => {
    const s = new IndexedStore<Obj>({ byTeam: (o) => [o.metadata.labels?.["team"] ?? ""] });
    s.set(obj("a", "1", "ns1", { team: "x" }));
    s.set(obj("b", "1", "ns2", { team: "x" }));
    s.set(obj("c", "1", "ns1", { team: "y" }));
    expect(s.byIndex("namespace", "ns1").map((o) => o.metadata.name).sort()).toEqual(["a", "c"]);
    expect(s.byIndex("byTeam", "x").map((o) => o.metadata.name).sort()).toEqual(["a", "b"]);
    s.set(obj("a", "2", "ns1", { team: "y" }));
    expect(s.byIndex("byTeam", "x").map((o) => o.metadata.name)).toEqual(["b"]);
    s.delete("ns2/b");
    expect(s.byIndex("byTeam", "x")).toEqual([]);
    s.replace([obj("z", "3", "ns3", { team: "x" })]);
    expect(s.keys()).toEqual(["ns3/z"]);
    expect(s.byIndex("byTeam", "x").map((o) => o.metadata.name)).toEqual(["z"]);
    expect(s.byIndex("namespace", "ns1")).toEqual([]);
    s.addIndexer("byName", (o) => [o.metadata.name ?? ""]);
    expect(s.byIndex("byName", "z")).toHaveLength(1);
    expect(() => s.byIndex("nope", "x")).toThrow(/no index named nope/);
  });
});

describe("410 loops", () => {
  test("a watch that keeps answering 410 after a relist from the last version: the next relist is from scratch, with backoff", async () => {
    const api = new FakeApi();
    api.put("a");
    // The server keeps the old version listable but refuses to watch from it (a restarted watch cache).
    let watchCalls = 0;
    const realWatch = api.watch.bind(api);
    api.watch = (options) => {
      watchCalls++;
      const w = realWatch(options);
      if (options.resourceVersion === "2") w.fail(gone());
      return w;
    };
    let listCall = 0;
    api.list = async function (options: ListOptions) {
      this.lists.push(options);
      listCall++;
      // The list at the old version answers that version; a list from scratch answers the latest.
      return { metadata: { resourceVersion: options.resourceVersion === "" && listCall > 1 ? "9" : "2" }, items: [obj("a", "2")] };
    };
    const informer = new SharedInformer<Obj>(api, { namespaced: true, backoff: { initialMs: 20, maxMs: 40 } });
    informer.start();
    await until(() => api.lists.some((l, i) => i > 0 && l.resourceVersion === ""));
    await until(() => api.watches.at(-1)?.options.resourceVersion === "9");
    await new Promise((r) => setTimeout(r, 100));
    await informer.stop();
    expect(api.lists.map((l) => l.resourceVersion)).toEqual(["", "2", ""]);
    expect(watchCalls).toBe(3);
  });
});

describe("streaming list (sendInitialEvents)", () => {
  const endBookmark = (rv: string): WatchEvent<Obj> => ({ type: "BOOKMARK", object: { metadata: { resourceVersion: rv, annotations: { "k8s.io/initial-events-end": "true" } } } });
  const initialEvents = (api: FakeApi): WatchEvent<Obj>[] => [...api.objects.values()].map((o) => ({ type: "ADDED", object: o }));
  const streamingSetup = () => setup({ streamingList: true });

  test("the cache is filled by the watch's initial events, replaced once at the closing bookmark, and the same watch goes on; no list call", async () => {
    const { api, informer, events } = streamingSetup();
    api.put("a");
    api.put("b");
    informer.start();
    await until(() => api.watches.length === 1);
    const w = api.current();
    expect(w.options).toMatchObject({ sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", resourceVersion: "", allowWatchBookmarks: true });
    // Initial events come in any order, with bookmarks in between that must not count as synced.
    for (const ev of initialEvents(api).reverse()) w.push(ev);
    w.push({ type: "BOOKMARK", object: { metadata: { resourceVersion: "2" } } });
    await new Promise((r) => setTimeout(r, 20));
    expect({ synced: informer.hasSynced(), size: informer.store.size, rv: informer.lastSyncResourceVersion }).toEqual({ synced: false, size: 0, rv: "" });
    w.push(endBookmark("3"));
    await informer.waitForSync();
    expect(informer.lastSyncResourceVersion).toBe("3");
    w.push({ type: "MODIFIED", object: api.put("a") });
    await until(() => informer.lastSyncResourceVersion === "4");
    await informer.idle();
    expect(events.sort()).toEqual(["add a (initial)", "add b (initial)", "update a 2→4"]);
    expect(api.lists).toEqual([]);
    expect(api.watches).toHaveLength(1);
    expect(informer.stats).toMatchObject({ lists: 0, streamingLists: 1, streamingFallback: false });
    await informer.stop();
  });

  test("a connection broken during the initial events: nothing reaches the cache; the streaming list starts over", async () => {
    const { api, informer, events, errors } = streamingSetup();
    api.put("a");
    api.put("b");
    informer.start();
    await until(() => api.watches.length === 1);
    api.current().push({ type: "ADDED", object: api.objects.get("a") as Obj });
    api.current().fail(new TransportError({ verb: "watch", method: "GET", url: "/x" }, "reset", "ECONNRESET"));
    await until(() => api.watches.length === 2);
    expect(informer.store.size).toBe(0);
    expect(api.current().options).toMatchObject({ sendInitialEvents: true, resourceVersion: "" });
    for (const ev of initialEvents(api)) api.current().push(ev);
    api.current().push(endBookmark("3"));
    await informer.waitForSync();
    await informer.idle();
    expect(events.sort()).toEqual(["add a (initial)", "add b (initial)"]);
    expect(errors).toHaveLength(1);
    await informer.stop();
  });

  test("a relist after 410 is a streaming list from the last version: tombstones for what went, updates for what changed", async () => {
    const { api, informer, events } = streamingSetup();
    api.put("keep");
    api.put("gone");
    api.put("changed");
    informer.start();
    await until(() => api.watches.length === 1);
    for (const ev of initialEvents(api)) api.current().push(ev);
    api.current().push(endBookmark("4"));
    await informer.waitForSync();
    api.remove("gone");
    api.put("changed");
    api.current().fail(gone());
    await until(() => api.watches.length === 2);
    expect(api.current().options).toMatchObject({ sendInitialEvents: true, resourceVersion: "4" });
    for (const ev of initialEvents(api)) api.current().push(ev);
    api.current().push(endBookmark("6"));
    await until(() => informer.lastSyncResourceVersion === "6");
    await informer.idle();
    expect(events.slice(3).sort()).toEqual(["delete default/gone (tombstone)", "update changed 4→6"]);
    expect(informer.stats.streamingLists).toBe(2);
    await informer.stop();
  });

  test("a server that refuses it (422): reported once, then paged lists and plain watches for good", async () => {
    const { api, informer, errors } = streamingSetup();
    api.put("a");
    const invalid = new ApiStatusError({ verb: "watch", method: "GET", url: "/x" }, { kind: "Status", code: 422, reason: "Invalid", message: "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled" }, 422);
    const realWatch = api.watch.bind(api);
    api.watch = (options) => {
      const w = realWatch(options);
      if (options.sendInitialEvents === true) w.fail(invalid);
      return w;
    };
    informer.start();
    await informer.waitForSync();
    await until(() => api.watches.length === 2);
    expect(api.lists).toHaveLength(1);
    expect(api.current().options.sendInitialEvents).toBeUndefined();
    expect(informer.stats.streamingFallback).toBe(true);
    expect(errors.map((e) => (e as Error).message)).toEqual([expect.stringContaining("WatchList feature gate"), expect.stringMatching(/^streaming lists are not available .*; using paged lists from now on$/)]);
    // A later 410 relists with a paged list, not a streaming one.
    api.current().fail(gone());
    await until(() => api.lists.length === 2);
    await until(() => api.watches.length === 3);
    expect(api.watches.filter((w) => w.options.sendInitialEvents === true)).toHaveLength(1);
    await informer.stop();
  });

  test("streaming lists that keep ending before their bookmark: three, with backoff, then paged lists", async () => {
    const { api, informer, errors } = streamingSetup();
    api.put("a");
    const realWatch = api.watch.bind(api);
    api.watch = (options) => {
      const w = realWatch(options);
      if (options.sendInitialEvents === true) {
        w.push({ type: "ADDED", object: api.objects.get("a") as Obj });
        w.end();
      }
      return w;
    };
    informer.start();
    await informer.waitForSync();
    expect(api.watches.filter((w) => w.options.sendInitialEvents === true)).toHaveLength(3);
    expect(api.lists).toHaveLength(1);
    expect(informer.stats.streamingFallback).toBe(true);
    expect(errors.map((e) => (e as Error).message).at(-1)).toMatch(/^streaming lists are not available \(the streaming list ended before its last object \(1 received; 3 in a row\)\)/);
    await informer.stop();
  });
});
