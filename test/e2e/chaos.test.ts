import { expect, test } from "@jest/globals";
import { isAlreadyExists, isConflict, isNotFound } from "@kube-codegen/runtime";
import { createClientset, createInformerFactory, type shopV1 } from "../../fixtures/generated/index.js";
import { describeWithOwnApiServer } from "./own-apiserver.js";
import { freshNamespace } from "./support.js";
import { Recorder, eventually, versions } from "./informer-support.js";

const CHAOS_MS = Number(process.env["KUBE_CODEGEN_CHAOS_MS"] ?? 60_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

describeWithOwnApiServer("chaos: writers, a misbehaving network and apiserver restarts", { timeoutMs: 5000 }, (own) => {
  test(`for ${CHAOS_MS / 1000} s the informers' caches (paged and streaming lists) converge and no handler sees history go backwards`, async () => {
    const ns = await freshNamespace(own.cs.rest, "chaos");
    const ics = createClientset({ kubeconfigPath: own.proxy.kubeconfigPath(), watchInactivityTimeoutMs: 2000, timeoutMs: 5000 });
    // Two informers through the same proxy, one filled by paged lists, one by streaming lists.
    const watchers = (["paged", "streaming"] as const).map((mode) => {
      const problems = new Map<string, number>();
      const factory = createInformerFactory(ics, {
        namespace: ns,
        backoff: { initialMs: 100, maxMs: 2000 },
        streamingList: mode === "streaming",
        onError: (err, ctx) => {
          const key = `${ctx.during}: ${String(err).replace(/\d+/g, "N").slice(0, 160)}`;
          problems.set(key, (problems.get(key) ?? 0) + 1);
        },
      });
      const informer = factory.shopV1.widgets();
      const rec = new Recorder<shopV1.Widget>();
      informer.addEventHandler(rec.handler());
      factory.start();
      return { mode, factory, informer, rec, problems };
    });
    for (const w of watchers) await w.factory.waitForCacheSync(AbortSignal.timeout(30_000));

    const deadline = Date.now() + CHAOS_MS;
    const names = Array.from({ length: 40 }, (_, i) => `obj-${i}`);
    const stats = { creates: 0, updates: 0, deletes: 0, failures: 0, faults: [] as string[] };
    const widgets = own.cs.shopV1.widgets(ns);
    const writer = async (): Promise<void> => {
      while (Date.now() < deadline) {
        const name = pick(names);
        try {
          const r = Math.random();
          if (r < 0.4) {
            await widgets.create({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name }, spec: { size: "small" } });
            stats.creates++;
          } else if (r < 0.8) {
            const cur = await widgets.get(name);
            await widgets.update({ ...cur, spec: { size: pick(["small", "medium", "large"] as const), replicas: Math.floor(Math.random() * 10) } });
            stats.updates++;
          } else {
            await widgets.delete(name);
            stats.deletes++;
          }
        } catch (err) {
          if (!isNotFound(err) && !isConflict(err) && !isAlreadyExists(err)) stats.failures++;
          await sleep(50);
        }
      }
    };
    const chaos = async (): Promise<void> => {
      const restarts = [CHAOS_MS / 3, (2 * CHAOS_MS) / 3].map((t) => Date.now() + t);
      while (Date.now() < deadline) {
        await sleep(500 + Math.random() * 1500);
        if (restarts.length > 0 && Date.now() >= (restarts[0] ?? Infinity)) {
          restarts.shift();
          stats.faults.push("restart");
          await own.api.restart();
          continue;
        }
        const fault = pick(["cut", "stall", "delay", "refuse", "close"] as const);
        stats.faults.push(fault);
        if (fault === "cut") own.proxy.cutConnections();
        else if (fault === "close") own.proxy.closeWatches();
        else if (fault === "stall") {
          own.proxy.watchMode = "stall";
          await sleep(1000 + Math.random() * 2500);
          own.proxy.watchMode = "pass";
        } else if (fault === "delay") {
          own.proxy.delayMs = 200 + Math.random() * 800;
          await sleep(2000);
          own.proxy.delayMs = 0;
        } else {
          own.proxy.refuse = true;
          own.proxy.cutConnections();
          await sleep(500 + Math.random() * 1500);
          own.proxy.refuse = false;
        }
      }
    };
    try {
      await Promise.all([writer(), writer(), writer(), chaos()]);
      own.proxy.watchMode = "pass";
      own.proxy.refuse = false;
      own.proxy.delayMs = 0;
      process.stderr.write(`chaos: ${JSON.stringify({ ...stats, faults: stats.faults.length, restarts: stats.faults.filter((f) => f === "restart").length, watches: own.proxy.counts.watch, lists: own.proxy.counts.list })}\n`);

      // Two restarts in the full run (a shortened run, KUBE_CODEGEN_CHAOS_MS, may fit only one).
      expect(stats.faults.filter((f) => f === "restart").length).toBeGreaterThanOrEqual(CHAOS_MS >= 30_000 ? 2 : 1);
      expect(stats.creates + stats.updates + stats.deletes).toBeGreaterThan(100);
      for (const { mode, informer, rec, problems } of watchers) {
        try {
          await eventually(async () => expect(versions(informer.store.list())).toEqual(versions((await widgets.list()).items)), 60_000, 250);
        } catch (err) {
          process.stderr.write(`chaos: the ${mode} informer did not converge. stats ${JSON.stringify(informer.stats)}, last RV ${informer.lastSyncResourceVersion}, proxy ${JSON.stringify(own.proxy.counts)} active ${own.proxy.activeWatches}\n`);
          for (const [k, n] of problems) process.stderr.write(`  ${n}× ${k}\n`);
          for (const w of own.proxy.describeActive()) process.stderr.write(`  proxy watch: ${w}\n`);
          process.stderr.write(`  now ${Date.now()}, reflector in ${informer.stats.phase} for ${Date.now() - informer.stats.phaseSince} ms\n`);
          throw err;
        }
        await informer.idle();
        rec.expectMatches((await widgets.list()).items);
        const { lists, streamingLists, streamingFallback, relists, watches } = informer.stats;
        process.stderr.write(`chaos: ${mode} informer ${JSON.stringify({ lists, streamingLists, streamingFallback, relists, watches })}\n`);
        // No hot loop: relists stay few (each 410 costs at most two lists, then backoff).
        expect(lists + streamingLists).toBeLessThan(60);
        if (mode === "streaming") expect(streamingLists).toBeGreaterThanOrEqual(1);
        else expect(streamingLists).toBe(0);
      }
    } finally {
      for (const w of watchers) await w.factory.shutdown();
      ics.rest.close();
    }
  }, CHAOS_MS + 150_000);
});
