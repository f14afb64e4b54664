import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createClientset, createInformerFactory, type Clientset, type InformerFactory, type shopV1 } from "../../fixtures/generated/index.js";
import { ApiProxy } from "../support/api-proxy.js";
import { describeE2E } from "../support/e2e.js";
import { REPO } from "../support/paths.js";
import { describeWithOwnApiServer } from "./own-apiserver.js";
import { fixtureCrds, freshNamespace, installCrds } from "./support.js";
import { Recorder, eventually, versions } from "./informer-support.js";
import { stripManagedFields } from "@kube-codegen/runtime";

/** The cache holds the server's objects exactly, but for managedFields (cut before parsing). */
async function cachedAsServed(writer: ReturnType<Clientset["shopV1"]["widgets"]>, informer: { store: { list(): readonly shopV1.Widget[] } }): Promise<void> {
  const served = (await writer.list()).items;
  expect(served.every((w) => (w.metadata.managedFields?.length ?? 0) > 0)).toBe(true);
  const byName = (ws: readonly shopV1.Widget[]): shopV1.Widget[] => [...ws].sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
  expect(byName(informer.store.list())).toStrictEqual(byName(served.map((w) => stripManagedFields(w))));
}

const widget = (name: string, labels: Record<string, string> = {}): shopV1.Widget => ({
  apiVersion: "shop.example.com/v1",
  kind: "Widget",
  metadata: { name, labels },
  spec: { size: "small" },
});

async function createMany(cs: Clientset, ns: string, n: number, labels: (i: number) => Record<string, string>): Promise<void> {
  const widgets = cs.shopV1.widgets(ns);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < n; i = next++) await widgets.create(widget(`w-${String(i).padStart(4, "0")}`, labels(i)));
    }),
  );
}

/** Another client creates, updates and deletes one widget each: the handler sees exactly that. */
async function followsWrites(writer: ReturnType<Clientset["shopV1"]["widgets"]>, informer: { idle(): Promise<void> }, rec: Recorder<shopV1.Widget>): Promise<void> {
  const before = rec.log.length;
  await writer.create(widget("new-one", { team: "t9" }));
  const target = await writer.get("w-0007");
  await writer.update({ ...target, spec: { size: "large" } });
  await writer.delete("w-0008");
  await eventually(async () => {
    await informer.idle();
    expect(rec.log.slice(before)).toEqual(["add new-one", "update w-0007", "delete w-0008"]);
  });
}

describeE2E("informers against the real apiserver", (server) => {
  let cs: Clientset;
  beforeAll(async () => {
    cs = createClientset({ kubeconfigPath: server.kubeconfigPath });
    await installCrds(cs.rest, fixtureCrds("widgets.yaml"));
  }, 60_000);
  afterAll(() => cs.rest.close());

  test("syncs 2,000 objects listed in pages, then follows another client's writes; lister and indexes answer from the cache", async () => {
    const ns = await freshNamespace(cs.rest, "inf2k");
    await createMany(cs, ns, 2000, (i) => ({ team: `t${i % 4}` }));
    const watcherCs = createClientset({ kubeconfigPath: server.kubeconfigPath });
    const factory = createInformerFactory(watcherCs, { namespace: ns, streamingList: false });
    const informer = factory.shopV1.widgets();
    informer.addIndexer("byTeam", (w) => [w.metadata.labels?.["team"] ?? ""]);
    const rec = new Recorder<shopV1.Widget>();
    informer.addEventHandler(rec.handler());
    factory.start();
    await factory.waitForCacheSync(AbortSignal.timeout(60_000));
    expect(informer.stats.listPages).toBe(4); // 500 per page
    expect(informer.store.size).toBe(2000);
    await informer.idle();
    expect(rec.log.filter((l) => l.endsWith("(initial)"))).toHaveLength(2000);

    const writer = cs.shopV1.widgets(ns);
    await cachedAsServed(writer, informer);
    await followsWrites(writer, informer, rec);
    await cachedAsServed(writer, informer);
    const lister = informer.lister();
    expect(lister.namespace(ns).get("w-0007")?.spec?.size).toBe("large");
    expect(lister.namespace(ns).get("w-0008")).toBeUndefined();
    expect(lister.namespace(ns).list("team=t1")).toHaveLength(500);
    expect(lister.list("team in (t9)").map((w) => w.metadata.name)).toEqual(["new-one"]);
    expect(informer.store.byIndex("namespace", ns)).toHaveLength(2000);
    expect(informer.store.byIndex("byTeam", "t0")).toHaveLength(499);
    expect(versions(informer.store.list())).toEqual(versions((await writer.list()).items));
    await factory.shutdown();
    watcherCs.rest.close();
  }, 180_000);

  test("a streaming list (sendInitialEvents): 1,000 objects with no list request, then the same watch follows writes; a fresh list agrees", async () => {
    const ns = await freshNamespace(cs.rest, "stream");
    await createMany(cs, ns, 1000, (i) => ({ team: `t${i % 4}` }));
    const watcherCs = createClientset({ kubeconfigPath: server.kubeconfigPath });
    const errors: unknown[] = [];
    const factory = createInformerFactory(watcherCs, { namespace: ns, streamingList: true, onError: (e) => errors.push(e) });
    const informer = factory.shopV1.widgets();
    const rec = new Recorder<shopV1.Widget>();
    informer.addEventHandler(rec.handler());
    factory.start();
    await factory.waitForCacheSync(AbortSignal.timeout(60_000));
    expect(informer.stats).toMatchObject({ lists: 0, listPages: 0, streamingLists: 1, streamingFallback: false, watches: 1 });
    expect(informer.store.size).toBe(1000);
    const writer = cs.shopV1.widgets(ns);
    await cachedAsServed(writer, informer);
    expect(versions(informer.store.list())).toEqual(versions((await writer.list()).items));
    await informer.idle();
    expect(rec.log.filter((l) => l.endsWith("(initial)"))).toHaveLength(1000);
    await followsWrites(writer, informer, rec);
    expect(informer.stats.watches).toBe(1);
    expect(informer.lister().namespace(ns).list("team=t1")).toHaveLength(250);
    expect(versions(informer.store.list())).toEqual(versions((await writer.list()).items));
    rec.expectMatches((await writer.list()).items);
    expect(errors).toEqual([]);
    await factory.shutdown();
    watcherCs.rest.close();
  }, 120_000);

  describe("through a proxy that the test controls", () => {
    let proxy: ApiProxy;
    let pcs: Clientset;
    let factory: InformerFactory;
    let ns: string;
    const rec = new Recorder<shopV1.Widget>();
    const errors: unknown[] = [];

    beforeAll(async () => {
      proxy = await ApiProxy.start({ url: server.url, caPem: server.caPem, token: server.adminToken });
      pcs = createClientset({ kubeconfigPath: proxy.kubeconfigPath(), watchInactivityTimeoutMs: 1500 });
      ns = await freshNamespace(cs.rest, "proxied");
      await createMany(cs, ns, 20, () => ({}));
      factory = createInformerFactory(pcs, { namespace: ns, backoff: { initialMs: 200, maxMs: 2000 }, onError: (e) => errors.push(e) });
      factory.shopV1.widgets().addEventHandler(rec.handler());
      factory.start();
      await factory.waitForCacheSync(AbortSignal.timeout(30_000));
    }, 60_000);

    afterAll(async () => {
      await factory.shutdown();
      pcs.rest.close();
      await proxy.stop();
    });

    const informer = () => factory.shopV1.widgets();
    const converged = async () => {
      await eventually(async () => {
        expect(versions(informer().store.list())).toEqual(versions((await cs.shopV1.widgets(ns).list()).items));
      });
      await informer().idle();
      rec.expectMatches((await cs.shopV1.widgets(ns).list()).items);
    };

    test("a watch closed cleanly: watched again from the last resourceVersion, no relist, no handler calls", async () => {
      await eventually(() => expect(proxy.activeWatches).toBe(1));
      const { list, watch } = proxy.counts;
      const seen = rec.log.length;
      proxy.closeWatches();
      await eventually(() => expect(proxy.counts.watch).toBe(watch + 1));
      expect(proxy.counts.list).toBe(list);
      await informer().idle();
      expect(rec.log.length).toBe(seen);
      await converged();
    });

    test("a connection cut in the middle of an object: the event still arrives, without a relist", async () => {
      await eventually(() => expect(proxy.activeWatches).toBe(1));
      const lists = proxy.counts.list;
      proxy.cutNextChunkMidObject();
      await cs.shopV1.widgets(ns).create(widget("after-cut"));
      await eventually(() => expect(informer().lister().namespace(ns).get("after-cut")).toBeDefined());
      expect(proxy.counts.list).toBe(lists);
      await converged();
    });

    test("a stalled stream (no bytes) is detected by the inactivity timer and watched again", async () => {
      await eventually(() => expect(proxy.activeWatches).toBe(1));
      const { list, watch } = proxy.counts;
      proxy.watchMode = "stall";
      await cs.shopV1.widgets(ns).create(widget("during-stall"));
      await eventually(() => expect(proxy.counts.watch).toBeGreaterThan(watch), 10_000);
      proxy.watchMode = "pass";
      await eventually(() => expect(informer().lister().namespace(ns).get("during-stall")).toBeDefined());
      expect(proxy.counts.list).toBe(list);
      await converged();
    });

    test("watches closed under 1 s, repeatedly: backoff, not a hot loop", async () => {
      proxy.watchMode = "close-at-once";
      proxy.closeWatches();
      const watches = proxy.counts.watch;
      await new Promise((r) => setTimeout(r, 5000));
      const made = proxy.counts.watch - watches;
      proxy.watchMode = "pass";
      // Backoff 200 ms doubling to 2 s: about ten requests in 5 s, not thousands.
      expect(made).toBeGreaterThan(1);
      expect(made).toBeLessThan(16);
      await cs.shopV1.widgets(ns).create(widget("after-short-watches"));
      await eventually(() => expect(informer().lister().namespace(ns).get("after-short-watches")).toBeDefined());
      await converged();
    });
  });

  test("shutdown leaves nothing running: the process exits on its own", () => {
    const r = spawnSync(process.execPath, [join(REPO, "test/e2e/fixtures/shutdown-check.mjs"), server.kubeconfigPath], { encoding: "utf8", timeout: 30_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^synced \d+ objects, shut down\n$/);
    expect(r.status).toBe(0);
  }, 40_000);
});

// Without the watch cache, watches read etcd directly: a compaction makes old resource versions
// answer 410 at once.
describeWithOwnApiServer("informers under apiserver restarts and etcd compaction", { apiserverArgs: ["--watch-cache=false"] }, (own) => {
  async function informerVia(kubeconfigPath: string, ns: string) {
    const ics = createClientset({ kubeconfigPath, watchInactivityTimeoutMs: 2000 });
    const factory = createInformerFactory(ics, { namespace: ns, backoff: { initialMs: 200, maxMs: 2000 } });
    const informer = factory.shopV1.widgets();
    const rec = new Recorder<shopV1.Widget>();
    informer.addEventHandler(rec.handler());
    factory.start();
    await factory.waitForCacheSync(AbortSignal.timeout(30_000));
    await informer.idle();
    const close = async () => {
      await factory.shutdown();
      ics.rest.close();
    };
    return { informer, rec, close };
  }

  const serverList = async (ns: string) => (await own.cs.shopV1.widgets(ns).list()).items;

  test("apiserver restarted mid-watch: the cache stays readable and converges", async () => {
    const ns = await freshNamespace(own.cs.rest, "restart");
    await createMany(own.cs, ns, 10, () => ({}));
    const { informer, rec, close } = await informerVia(own.api.kubeconfigPath, ns);
    await own.api.restart();
    expect(informer.hasSynced()).toBe(true);
    expect(informer.store.size).toBe(10);
    const w = own.cs.shopV1.widgets(ns);
    await w.create(widget("after-restart"));
    await w.delete("w-0001");
    const t = await w.get("w-0002");
    await w.update({ ...t, spec: { size: "medium" } });
    await eventually(async () => expect(versions(informer.store.list())).toEqual(versions(await serverList(ns))), 30_000);
    await informer.idle();
    rec.expectMatches(await serverList(ns));
    await close();
  }, 90_000);

  test("compaction while disconnected: 410, relist, tombstones for deletes, nothing for created-and-deleted", async () => {
    const ns = await freshNamespace(own.cs.rest, "compact");
    await createMany(own.cs, ns, 5, () => ({}));
    const { informer, rec, close } = await informerVia(own.proxy.kubeconfigPath(), ns);
    const relists = informer.stats.relists;
    own.proxy.refuse = true;
    own.proxy.cutConnections();
    const w = own.cs.shopV1.widgets(ns);
    await w.delete("w-0001");
    await w.create(widget("flash"));
    await w.delete("flash");
    await w.create(widget("added"));
    const t = await w.get("w-0002");
    await w.update({ ...t, spec: { size: "large" } });
    await own.api.compact();
    const before = rec.log.length;
    own.proxy.refuse = false;
    await eventually(async () => expect(versions(informer.store.list())).toEqual(versions(await serverList(ns))), 30_000);
    await informer.idle();
    expect(informer.stats.relists).toBeGreaterThan(relists);
    expect(rec.log.slice(before).sort()).toEqual(["add added", "delete w-0001 (tombstone)", "update w-0002"]);
    rec.expectMatches(await serverList(ns));
    await close();
  }, 90_000);

  test("a relist where nothing changed delivers no updates", async () => {
    const ns = await freshNamespace(own.cs.rest, "quiet");
    await createMany(own.cs, ns, 5, () => ({}));
    const { informer, rec, close } = await informerVia(own.proxy.kubeconfigPath(), ns);
    const relists = informer.stats.relists;
    own.proxy.refuse = true;
    own.proxy.cutConnections();
    // Writes elsewhere move etcd on, then the compaction makes the informer's version too old.
    const other = await freshNamespace(own.cs.rest, "churn");
    await createMany(own.cs, other, 3, () => ({}));
    await own.api.compact();
    const before = rec.log.length;
    own.proxy.refuse = false;
    await eventually(() => expect(informer.stats.relists).toBeGreaterThan(relists), 30_000);
    await eventually(() => expect(own.proxy.activeWatches).toBeGreaterThan(0));
    await informer.idle();
    expect(rec.log.slice(before)).toEqual([]);
    await close();
  }, 90_000);
});

describeWithOwnApiServer("streaming list against a server with the WatchList feature off", { apiserverArgs: ["--feature-gates=WatchList=false"] }, (own) => {
  test("the server refuses it; the informer says so once, falls back to a paged list and watch, and syncs", async () => {
    const ns = await freshNamespace(own.cs.rest, "nostream");
    await createMany(own.cs, ns, 30, () => ({}));
    const errors: unknown[] = [];
    const factory = createInformerFactory(own.cs, { namespace: ns, streamingList: true, pageSize: 10, onError: (e) => errors.push(e) });
    const informer = factory.shopV1.widgets();
    const rec = new Recorder<shopV1.Widget>();
    informer.addEventHandler(rec.handler());
    factory.start();
    await factory.waitForCacheSync(AbortSignal.timeout(30_000));
    expect(informer.stats).toMatchObject({ lists: 1, listPages: 3, streamingLists: 0, streamingFallback: true });
    const messages = errors.map((e) => (e instanceof Error ? e.message : String(e)));
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatch(/^streaming lists are not available \(.+\); using paged lists from now on$/);
    process.stderr.write(`[e2e] WatchList off answers: ${messages[0]}\n`);
    await own.cs.shopV1.widgets(ns).create(widget("after"));
    await eventually(async () => {
      await informer.idle();
      expect(rec.log.at(-1)).toBe("add after");
    });
    rec.expectMatches((await own.cs.shopV1.widgets(ns).list()).items);
    await factory.shutdown();
  }, 60_000);
});
