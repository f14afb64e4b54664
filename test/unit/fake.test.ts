import { describe, expect, test } from "@jest/globals";
import { isConflict, isGone, isNotFound, isTombstone, retryOnConflict } from "@kube-codegen/runtime";
import { statusErrors } from "@kube-codegen/runtime/fake";
import { createInformerFactory, type Clientset, type shopV1 } from "../../fixtures/generated/index.js";
import { createFakeClientset, createFakeClientsetWith } from "../../fixtures/generated/fake.js";

// What only the fake does (reactors, actions, compaction, seeds) and informers running on it. How
// the fake answers like the API server is proved by test/e2e/fake-differential.test.ts.

const widget = (name: string, namespace = "shop", spec: Partial<shopV1.WidgetSpec> = {}): shopV1.Widget => ({
  apiVersion: "shop.example.com/v1",
  kind: "Widget",
  metadata: { name, namespace },
  spec: { size: "small", ...spec },
});

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

/** Resolves once `check` holds (polling the event loop), or fails after 5 s. */
async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("the fake clientset", () => {
  test("starts with the objects given, created as a client would (defaults, uid, versions in order)", async () => {
    const cs = createFakeClientset(widget("a"), widget("b", "other"), { apiVersion: "shop.example.com/v1", kind: "Gadget", metadata: { name: "g" }, spec: { model: "m" } });
    const a = await cs.shopV1.widgets("shop").get("a");
    const b = await cs.shopV1.widgets("other").get("b");
    expect(a.spec.replicas).toBe(1); // the schema's default
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect((await cs.shopV1.gadgets().get("g")).metadata.namespace).toBeUndefined();
    expect((await cs.shopV1.widgets().list()).items.map((w) => w.metadata.name)).toEqual(["b", "a"]); // by namespace, then name
  });

  test("a seed of a kind it does not serve, or an invalid one, is refused with the object named", () => {
    // (A kind it does not serve does not compile: the cast stands for a caller without types.)
    expect(() => createFakeClientset({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" } } as never)).toThrow("the fake serves no Deployment in apps/v1");
    expect(() => createFakeClientset(widget("w", "shop", { size: "huge" as never }))).toThrow('the fake cannot start with Widget "shop/w": Widget.shop.example.com "w" is invalid: spec.size: Unsupported value: "huge"');
    expect(() => createFakeClientset(widget("w"), widget("w"))).toThrow('the fake cannot start with Widget "shop/w": widgets.shop.example.com "w" already exists');
  });

  test("seeds keep their status (a client's create could not set it)", async () => {
    const cs = createFakeClientset({ ...widget("a"), status: { phase: "Ready" } });
    expect((await cs.shopV1.widgets("shop").get("a")).status?.phase).toBe("Ready");
    const created = await cs.shopV1.widgets("shop").create({ ...widget("b"), status: { phase: "Ready" } });
    expect(created.status).toBeUndefined();
  });

  test("records every call as an action", async () => {
    const cs = createFakeClientset();
    const w = cs.shopV1.widgets("shop");
    await w.create(widget("a"));
    await w.patch("a", { type: "merge", patch: { spec: { color: "red" } } });
    await w.getStatus("a");
    await w.delete("a");
    expect(cs.rest.actions.map((a) => [a.verb, a.resource, a.subresource, a.namespace, a.name, a.patchType])).toEqual([
      ["create", "widgets", undefined, "shop", undefined, undefined],
      ["patch", "widgets", undefined, "shop", "a", "merge"],
      ["get", "widgets", "status", "shop", "a", undefined],
      ["delete", "widgets", undefined, "shop", "a", undefined],
    ]);
    expect(cs.rest.actions[1]?.body).toEqual({ spec: { color: "red" } });
    cs.rest.clearActions();
    expect(cs.rest.actions).toEqual([]);
  });

  test("a reactor injecting a conflict once: retryOnConflict reads again and succeeds", async () => {
    const cs = createFakeClientset(widget("a"));
    const widgets = cs.shopV1.widgets("shop");
    let injected = 0;
    const remove = cs.rest.prependReactor("update", "widgets", () => (injected++ === 0 ? { error: statusErrors.conflict(widgets.resource, "a") } : undefined));
    const updated = await retryOnConflict(async () => {
      const w = await widgets.get("a");
      return widgets.update({ ...w, spec: { ...w.spec, color: "blue" } });
    });
    expect(updated.spec.color).toBe("blue");
    expect(cs.rest.actions.filter((a) => a.verb === "update")).toHaveLength(2);
    remove();
    expect(isConflict(await rejection(widgets.update({ ...updated, metadata: { ...updated.metadata, resourceVersion: "1" } })))).toBe(true);
  });

  test("a reactor answering a call instead of the tracker, and one failing it with an Error", async () => {
    const cs = createFakeClientset();
    cs.rest.prependReactor("get", "*", (action) => ({ result: widget(action.name ?? "", action.namespace, { color: "from-reactor" }) }));
    expect((await cs.shopV1.widgets("shop").get("anything")).spec.color).toBe("from-reactor");
    cs.rest.prependReactor("list", "widgets", () => ({ error: new Error("boom") }));
    await expect(cs.shopV1.widgets("shop").list()).rejects.toThrow("boom");
    cs.rest.prependReactor("delete", "widgets", () => ({ error: statusErrors.notFound(cs.shopV1.widgets().resource, "x") }));
    expect(isNotFound(await rejection(cs.shopV1.widgets("shop").delete("x")))).toBe(true);
  });

  test("after a compaction, a watch from an older resourceVersion and an old continue token get 410", async () => {
    const cs = createFakeClientset(widget("a"), widget("b"), widget("c"));
    const widgets = cs.shopV1.widgets("shop");
    const page = await widgets.list({ limit: 1 });
    const rv = page.metadata.resourceVersion;
    await widgets.create(widget("d"));
    cs.rest.compact();
    const watch = widgets.watch({ resourceVersion: rv })[Symbol.asyncIterator]();
    expect(isGone(await rejection(watch.next()))).toBe(true);
    expect(isGone(await rejection(widgets.list({ limit: 1, continue: page.metadata.continue })))).toBe(true);
    // listAll starts over when its continue token expires mid-way, and says so.
    const pages: { names: (string | undefined)[]; restarted: boolean }[] = [];
    for await (const p of widgets.listAll({ limit: 3 })) {
      pages.push({ names: p.items.map((w) => w.metadata.name), restarted: p.restarted });
      if (pages.length === 1) cs.rest.compact();
    }
    expect(pages).toEqual([
      { names: ["a", "b", "c"], restarted: false },
      { names: ["a", "b", "c"], restarted: true },
      { names: ["d"], restarted: false },
    ]);
  });

  test("the history kept is configurable: past it, a watch from an old version gets 410", async () => {
    const cs = createFakeClientsetWith({ historySize: 2 });
    const widgets = cs.shopV1.widgets("shop");
    const first = await widgets.create(widget("a"));
    await widgets.create(widget("b"));
    await widgets.create(widget("c"));
    // From before "a": the change that created it is no longer kept.
    expect(isGone(await rejection(widgets.watch({ resourceVersion: String(Number(first.metadata.resourceVersion) - 1) })[Symbol.asyncIterator]().next()))).toBe(true);
    // The last two changes are still there.
    const b = await widgets.get("b");
    const it = widgets.watch({ resourceVersion: String(Number(b.metadata.resourceVersion) - 1), allowWatchBookmarks: false })[Symbol.asyncIterator]();
    const names = [(await it.next()).value, (await it.next()).value].map((ev) => (ev !== undefined && ev.type !== "BOOKMARK" ? `${ev.type} ${ev.object.metadata.name}` : ""));
    await it.return?.();
    expect(names).toEqual(["ADDED b", "ADDED c"]);
  });

  test("watches get bookmarks when they ask for them, and none is left open after close", async () => {
    const cs = createFakeClientsetWith({ bookmarkIntervalMs: 10 });
    const ac = new AbortController();
    const types: string[] = [];
    for await (const ev of cs.shopV1.widgets("shop").watch({ resourceVersion: cs.rest.tracker.resourceVersion, signal: ac.signal })) {
      types.push(ev.type);
      if (types.length === 2) break;
    }
    expect(types).toEqual(["BOOKMARK", "BOOKMARK"]);
    expect(cs.rest.tracker.watchers).toBe(0);
  });
});

describe("informers on the fake", () => {
  test("follow creates, updates, deletes, and a forced 410 with a deletion missed meanwhile", async () => {
    const cs = createFakeClientsetWith({ objects: [widget("seed")], bookmarkIntervalMs: 0 });
    const factory = createInformerFactory(cs, { namespace: "shop", backoff: { initialMs: 1, maxMs: 5 } });
    const informer = factory.shopV1.widgets();
    const seen: string[] = [];
    informer.addEventHandler({
      onAdd: (w, initial) => void seen.push(`add ${w.metadata.name}${initial ? " (initial)" : ""}`),
      onUpdate: (o, n) => void seen.push(`update ${n.metadata.name} ${o.spec.color ?? "-"}->${n.spec.color ?? "-"}`),
      onDelete: (w) => void seen.push(isTombstone(w) ? `delete ${w.lastKnownObject.metadata.name} (tombstone)` : `delete ${w.metadata.name}`),
    });
    factory.start();
    await factory.waitForCacheSync(AbortSignal.timeout(5_000));
    const widgets = cs.shopV1.widgets("shop");
    await widgets.create(widget("a"));
    await widgets.patch("a", { type: "merge", patch: { spec: { color: "red" } } });
    await widgets.delete("seed");
    await until("four events", () => seen.length === 4);
    // Force a 410: the watch ends, the history is dropped, and an object goes meanwhile.
    const watchesBefore = informer.stats.watches;
    cs.rest.compact();
    cs.rest.closeWatches();
    await widgets.delete("a");
    await widgets.create(widget("b"));
    cs.rest.compact();
    await until("the relist", () => seen.length === 6);
    expect(seen.slice(0, 4)).toEqual(["add seed (initial)", "add a", "update a -->red", "delete seed"]);
    // The relist delivers only the differences: the missed deletion as a tombstone, the new object.
    expect(seen.slice(4).sort()).toEqual(["add b", "delete a (tombstone)"]);
    expect(informer.stats.relists).toBeGreaterThanOrEqual(1);
    expect(informer.stats.watches).toBeGreaterThan(watchesBefore);
    expect(informer.lister().namespace("shop").list().map((w) => w.metadata.name)).toEqual(["b"]);
    // The informer keeps following after the relist.
    await widgets.patch("b", { type: "merge", patch: { spec: { color: "green" } } });
    await until("the update after the relist", () => seen.length === 7);
    expect(seen[6]).toBe("update b -->green");
    await factory.shutdown();
    expect(cs.rest.tracker.watchers).toBe(0);
  });
});

describe("streaming informers on the fake", () => {
  test("fill the cache from a watch with sendInitialEvents, without a list request", async () => {
    const cs = createFakeClientsetWith({ objects: [widget("a"), widget("b")], bookmarkIntervalMs: 0 });
    const factory = createInformerFactory(cs, { namespace: "shop", streamingList: true });
    const informer = factory.shopV1.widgets();
    factory.start();
    await factory.waitForCacheSync(AbortSignal.timeout(5_000));
    expect(informer.lister().namespace("shop").list().map((w) => w.metadata.name).sort()).toEqual(["a", "b"]);
    expect(informer.stats.streamingLists).toBe(1);
    expect(cs.rest.actions.filter((a) => a.verb === "list")).toEqual([]);
    await factory.shutdown();
  });
});

describe("the README's fake-clientset examples, on the fixture Widget", () => {
  test("an apply by a function taking the clientset: generation, managed fields, actions", async () => {
    const cs = createFakeClientset(widget("api", "payments", { color: "old" }));
    const ensure = (c: Clientset): Promise<shopV1.Widget> =>
      c.shopV1.widgets("payments").apply({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "api" }, spec: { size: "small", color: "api-tls" } }, { fieldManager: "payments-api", force: true });
    cs.rest.clearActions();
    await ensure(cs);
    const w = await cs.shopV1.widgets("payments").get("api");
    expect(w.spec.color).toBe("api-tls");
    expect(w.metadata.generation).toBe(2);
    expect(w.metadata.managedFields?.map((m) => m.manager)).toContain("payments-api");
    expect(cs.rest.actions.map((a) => a.verb)).toEqual(["patch", "get"]);
  });
});
