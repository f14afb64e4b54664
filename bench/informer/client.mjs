// One measured client, in its own process (node --expose-gc), driven by run.mjs over IPC:
// list until synced, then (after "ready") N watch events, then (after "watched") a 410 and a relist.
// Reports wall-clock and CPU time, event-loop utilisation and heap at each step.
import { getHeapStatistics } from "node:v8";
import { GROUP, NAMESPACE, PATH, PLURAL, VERSION } from "./objects.mjs";

const [, , which, url, eventsArg, objectsArg] = process.argv;
const EVENTS = Number(eventsArg);
const OBJECTS = Number(objectsArg);
const FINAL_RV = String(OBJECTS + EVENTS + 1);
const DESCRIPTOR = { group: GROUP, version: VERSION, kind: "Thing", listKind: "ThingList", plural: PLURAL, singular: "thing", shortNames: [], categories: [], scope: "Namespaced", subresources: {} };
const kubeconfig = {
  clusters: [{ name: "replay", server: url, skipTLSVerify: true }],
  users: [{ name: "u", token: "t" }],
  contexts: [{ name: "c", cluster: "replay", user: "u" }],
  currentContext: "c",
};
const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
const send = (m) => {
  if (process.env.BENCH_DEBUG) process.stderr.write(`[${which}] ${JSON.stringify(m).slice(0, 200)}\n`);
  // A result is the last message: the process then exits at once (and writes its profile if asked).
  process.send(m, m.result !== undefined ? () => process.exit(0) : undefined);
};
const cpuMs = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/** Wall-clock, CPU and event-loop utilisation of `run` (called once the clocks are read). */
async function timed(run) {
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  return { ms: performance.now() - t0, cpuMs: cpuMs(cpu0), elu: performance.eventLoopUtilization(elu0).utilization };
}

/**
 * The steps every informer goes through. `client` has: sync() (start, resolve once synced),
 * updates (a promise of the Nth update), resynced() (true once the relist is applied),
 * notifications() (handler calls after the Nth update), size(), stop().
 */
async function drive(client) {
  const base = heap();
  const sync = await timed(() => client.sync());
  const afterSync = heap();
  // "ready": the bench lets the watch events flow.
  const watch = await timed(() => (send({ ready: true }), client.updates));
  const beforeRelist = heap();
  let peak = 0;
  // "watched": the bench makes the server end the watch with a 410.
  const relist = await timed(() => new Promise((resolve) => {
    send({ watched: true });
    const t = setInterval(() => {
      peak = Math.max(peak, getHeapStatistics().used_heap_size);
      if (client.resynced()) {
        clearInterval(t);
        resolve();
      }
    }, 2);
  }));
  const result = {
    syncMs: sync.ms, syncCpuMs: sync.cpuMs,
    heapAfterSync: afterSync - base, heapPerObject: (afterSync - base) / OBJECTS,
    eventsPerSecond: EVENTS / (watch.ms / 1000), cpuUsPerEvent: (watch.cpuMs * 1000) / EVENTS, watchElu: watch.elu,
    relistMs: relist.ms, relistCpuMs: relist.cpuMs, relistPeakOverHeap: peak - beforeRelist,
    relistNotifications: client.notifications(), cached: client.size(),
  };
  await client.stop();
  send({ result });
}

async function ours(options, metadata = false) {
  const runtime = await import("../../runtime/dist/index.js");
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromOptions(kubeconfig);
  const rest = runtime.createRestClient({ kubeConfig: kc, watchInactivityTimeoutMs: 600_000 });
  const factory = new runtime.SharedInformerFactory(rest, { namespace: NAMESPACE, ...options });
  const informer = metadata ? factory.metadataInformerFor(DESCRIPTOR) : factory.informerFor(DESCRIPTOR);
  let updates = 0;
  let later = 0;
  let watched;
  const done = new Promise((r) => (watched = r));
  informer.addEventHandler({
    onAdd: () => void (updates >= EVENTS && later++),
    onUpdate: () => (++updates === EVENTS ? watched() : updates > EVENTS && later++),
    onDelete: () => void later++,
  });
  await drive({
    sync: () => (factory.start(), factory.waitForCacheSync()),
    updates: done,
    resynced: () => informer.lastSyncResourceVersion === FINAL_RV,
    notifications: () => later,
    size: () => informer.store.size,
    stop: async () => {
      await factory.shutdown();
      rest.close();
    },
  });
}

async function clientNode() {
  const k8s = await import("@kubernetes/client-node");
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions(kubeconfig);
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const listFn = () => api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: PLURAL });
  const informer = k8s.makeInformer(kc, PATH, listFn);
  let updates = 0;
  let later = 0;
  let watched;
  const done = new Promise((r) => (watched = r));
  informer.on("update", () => (++updates === EVENTS ? watched() : updates > EVENTS && later++));
  informer.on("add", () => void (updates >= EVENTS && later++));
  informer.on("delete", () => void later++);
  let stopping = false;
  informer.on("error", (e) => stopping || process.stderr.write(`client-node informer error: ${e}\n`));
  await drive({
    sync: () => informer.start(),
    updates: done,
    resynced: () => informer.latestResourceVersion() === FINAL_RV,
    notifications: () => later,
    size: () => informer.list().length,
    stop: async () => {
      stopping = true;
      await informer.stop();
    },
  });
}

/** The server alone: every response read and thrown away, through node:http. */
async function raw() {
  const http = await import("node:http");
  const agent = new http.Agent({ keepAlive: true });
  const get = (path, onData = () => {}) => new Promise((resolve, reject) => {
    http.get(`${url}${path}`, { agent }, (res) => {
      let bytes = 0;
      res.on("data", (c) => { bytes += c.length; onData(c, res); });
      res.on("end", () => resolve(bytes));
      res.on("error", reject);
    }).on("error", reject);
  });
  const timeIt = async (f) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const bytes = await f();
    return { ms: performance.now() - t0, cpuMs: cpuMs(cpu0), bytes };
  };
  const paged = await timeIt(async () => {
    let total = 0;
    for (let start = 0; start < OBJECTS; start += 500) total += await get(`${PATH}?limit=500${start > 0 ? `&continue=${start}` : ""}`);
    return total;
  });
  const whole = await timeIt(() => get(PATH));
  // The streaming list is the first watch: its initial events, then (after "ready") the events,
  // then (after "watched") the 410 that ends it.
  let marked;
  const bookmark = new Promise((r) => (marked = r));
  let tail = "";
  let seen = false;
  let watchDone;
  const streaming = await timeIt(async () => {
    watchDone = get(`${PATH}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true`, (c) => {
      if (seen) return;
      tail = (tail + c.toString("latin1")).slice(-300);
      if (tail.includes("initial-events-end")) (seen = true), marked();
    });
    await bookmark;
    return 0;
  });
  const watch = await timeIt(() => {
    send({ ready: true });
    send({ watched: true });
    return watchDone;
  });
  agent.destroy();
  send({ result: { pagedMs: paged.ms, pagedBytes: paged.bytes, pagedCpuMs: paged.cpuMs, wholeMs: whole.ms, wholeBytes: whole.bytes, streamingMs: streaming.ms, watchMs: watch.ms, watchBytes: watch.bytes, cached: OBJECTS } });
}

/** The floor: the same watch bytes, decoded, split into lines and JSON.parse'd, nothing else. */
async function parseAll(onValue) {
  const { watchChunks } = await import("./replay-server.mjs");
  const chunks = watchChunks(OBJECTS, EVENTS);
  heap();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  for (const c of chunks) {
    // Each chunk ends with a newline: decode it once, parse each line as a slice of the text
    // (the fastest split measured here; the runtime's decoder does the same).
    const text = c.toString("utf8");
    let start = 0;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", start)) {
      onValue(JSON.parse(text.slice(start, i)));
      start = i + 1;
      n++;
    }
  }
  const ms = performance.now() - t0;
  return { eventsPerSecond: n / (ms / 1000), cpuUsPerEvent: (cpuMs(cpu0) * 1000) / n, cached: OBJECTS };
}

async function floorKeep() {
  // What any cache must do at least: parse each line and keep the object under its key, so the
  // object it replaces becomes garbage that survived young-generation collections.
  const { makeObject } = await import("./objects.mjs");
  const cache = new Map();
  for (let i = 0; i < OBJECTS; i++) {
    const o = JSON.parse(JSON.stringify(makeObject(i, i + 1)));
    cache.set(o.metadata.name, o);
  }
  send({ result: await parseAll((e) => cache.set(e.object.metadata.name, e.object)) });
}

const CLIENTS = {
  ours: () => ours({}),
  "ours-paged": () => ours({ streamingList: false }),
  "ours-managedfields": () => ours({ stripManagedFields: false }),
  "ours-metadata": () => ours({}, true),
  "client-node": clientNode,
  server: raw,
  floor: async () => send({ result: await parseAll(() => {}) }),
  "floor-keep": floorKeep,
};

try {
  await CLIENTS[which]();
} catch (err) {
  process.stderr.write(`${which}: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
}
