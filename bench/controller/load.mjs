// The controller benchmark's load generator: creates Items in namespace "bench" (a fixed number in
// flight) and watches them until every one has status.ready with its current observedGeneration.
import { performance } from "node:perf_hooks";
import { createClientset } from "../.out/controller/generated/index.js";
import { httpsRequest } from "@kube-codegen/envtest";

const IN_FLIGHT = 50;

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * The apiserver's count of the writes an operator makes (apiserver_request_total): status patches
 * of Items, ConfigMap creates and updates. Extra ones mean duplicate reconciles that wrote.
 */
async function operatorWrites(server) {
  const res = await httpsRequest(`${server.url}/metrics`, { caPem: server.caPem, token: server.adminToken });
  const count = (verb, resource, subresource) => {
    let sum = 0;
    for (const line of res.body.split("\n")) {
      if (!line.startsWith("apiserver_request_total{")) continue;
      const labels = line.slice(0, line.lastIndexOf("}"));
      if (labels.includes(`verb="${verb}"`) && labels.includes(`resource="${resource}"`) && labels.includes(`subresource="${subresource}"`)) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
    return sum;
  };
  return { statusPatches: count("PATCH", "items", "status"), configMapCreates: count("POST", "configmaps", ""), configMapUpdates: count("PUT", "configmaps", "") };
}

/** Creates `n` Items and resolves with the time to all ready and the latency quantiles (ms). */
export async function measureItems(server, n, timeoutMs = 600_000) {
  const cs = createClientset({ kubeconfigPath: server.kubeconfigPath });
  const items = cs.benchV1.items("bench");
  try {
    const list = await items.list();
    const createdAt = new Map();
    const readyAt = new Map();
    let rewatches = 0;
    let allReady;
    const finished = new Promise((resolve) => (allReady = resolve));
    const stop = new AbortController();
    // The server may end a watch at any time: watch again from the last resourceVersion seen.
    const watching = (async () => {
      let rv = list.metadata.resourceVersion;
      while (!stop.signal.aborted) {
        for await (const ev of items.watch({ resourceVersion: rv, allowWatchBookmarks: true, signal: stop.signal })) {
          rv = ev.object.metadata.resourceVersion ?? rv;
          if (ev.type !== "ADDED" && ev.type !== "MODIFIED") continue;
          const o = ev.object;
          if (o.status?.ready === true && o.status.observedGeneration === o.metadata.generation && !readyAt.has(o.metadata.name)) {
            readyAt.set(o.metadata.name, performance.now());
            if (readyAt.size === n) allReady();
          }
        }
        if (!stop.signal.aborted) rewatches++;
      }
    })().catch((err) => {
      if (!stop.signal.aborted) throw err;
    });
    const t0 = performance.now();
    let next = 0;
    const creator = async () => {
      while (next < n) {
        const name = `item-${String(next++).padStart(5, "0")}`;
        await items.create({ apiVersion: "bench.kube-codegen.dev/v1", kind: "Item", metadata: { name }, spec: { content: `content of ${name}` } });
        createdAt.set(name, performance.now());
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, creator));
    const createMs = performance.now() - t0;
    let timer;
    await Promise.race([finished, watching.then(() => Promise.reject(new Error("the watch failed"))), new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`only ${readyAt.size} of ${n} ready after ${timeoutMs} ms`)), timeoutMs)))]);
    clearTimeout(timer);
    const allReadyMs = Math.max(...readyAt.values()) - t0;
    stop.abort();
    const lat = [...readyAt].map(([name, t]) => Math.max(0, t - (createdAt.get(name) ?? t))).sort((a, b) => a - b);
    const cms = await cs.coreV1.configMaps("bench").list();
    const owned = cms.items.filter((c) => c.metadata.ownerReferences?.some((r) => r.controller === true && r.kind === "Item")).length;
    if (owned !== n) throw new Error(`${owned} owned ConfigMaps, expected ${n}`);
    return { allReadyMs, createMs, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), configMaps: owned, rewatches, writes: await operatorWrites(server) };
  } finally {
    cs.rest.close();
  }
}
