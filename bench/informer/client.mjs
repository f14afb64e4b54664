// One measured client, in its own process (node --expose-gc): `ours`, `client-node` or `floor`.
// Reports time to first sync, events per second and heap per cached object to its parent.
const [, , which, url, eventsArg, objectsArg] = process.argv;
const EVENTS = Number(eventsArg);
const OBJECTS = Number(objectsArg);
const PATH = "/apis/bench.example.com/v1/namespaces/bench/things";
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
const send = (m) => process.send(m);
const goAck = () => new Promise((r) => process.once("message", (m) => m === "streaming" && r()));

async function ours(streamingList = false) {
  const runtime = await import("../../runtime/dist/index.js");
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromOptions(kubeconfig);
  const rest = runtime.createRestClient({ kubeConfig: kc, watchInactivityTimeoutMs: 600_000 });
  const factory = new runtime.SharedInformerFactory(rest, { namespace: "bench", streamingList });
  const informer = factory.informerFor({ group: "bench.example.com", version: "v1", kind: "Thing", listKind: "ThingList", plural: "things", singular: "thing", shortNames: [], categories: [], scope: "Namespaced", subresources: {} });
  let updates = 0;
  let done;
  const finished = new Promise((r) => (done = r));
  informer.addEventHandler({ onUpdate: () => { if (++updates === EVENTS) done(); } });
  const base = heap();
  const t0 = performance.now();
  factory.start();
  await factory.waitForCacheSync();
  const syncMs = performance.now() - t0;
  const perObject = (heap() - base) / OBJECTS;
  send({ synced: true });
  await goAck();
  const t1 = performance.now();
  await finished;
  const ms = performance.now() - t1;
  send({ result: { syncMs, eventsPerSecond: EVENTS / (ms / 1000), heapPerObject: perObject, cached: informer.store.size } });
  await factory.shutdown();
  rest.close();
}

async function clientNode() {
  const k8s = await import("@kubernetes/client-node");
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions(kubeconfig);
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const listFn = () => api.listNamespacedCustomObject({ group: "bench.example.com", version: "v1", namespace: "bench", plural: "things" });
  const informer = k8s.makeInformer(kc, PATH, listFn);
  let updates = 0;
  let done;
  const finished = new Promise((r) => (done = r));
  informer.on("update", () => { if (++updates === EVENTS) done(); });
  let stopping = false;
  informer.on("error", (e) => stopping || process.stderr.write(`client-node informer error: ${e}\n`));
  const base = heap();
  const t0 = performance.now();
  await informer.start();
  const syncMs = performance.now() - t0;
  const perObject = (heap() - base) / OBJECTS;
  send({ synced: true });
  await goAck();
  const t1 = performance.now();
  await finished;
  const ms = performance.now() - t1;
  send({ result: { syncMs, eventsPerSecond: EVENTS / (ms / 1000), heapPerObject: perObject, cached: informer.list().length } });
  stopping = true;
  await informer.stop();
}

/** The floor: the same bytes, decoded, split into lines and JSON.parse'd, nothing else. */
function parseAll(onValue) {
  return import("./replay-server.mjs").then(({ watchPayload }) => {
    const chunks = watchPayload();
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
    return n / ((performance.now() - t0) / 1000);
  });
}

async function floor() {
  send({ result: { eventsPerSecond: await parseAll(() => {}) } });
}

async function floorKeep() {
  // What any cache must do at least: parse each line and keep the object under its key, so the
  // object it replaces becomes garbage that survived young-generation collections.
  const { makeObject } = await import("./replay-server.mjs");
  const cache = new Map();
  for (let i = 0; i < OBJECTS; i++) {
    const o = JSON.parse(JSON.stringify(makeObject(i, i + 1)));
    cache.set(o.metadata.name, o);
  }
  send({ result: { eventsPerSecond: await parseAll((e) => cache.set(e.object.metadata.name, e.object)) } });
}

try {
  await ({ ours: () => ours(false), "ours-streaming": () => ours(true), "client-node": clientNode, floor, "floor-keep": floorKeep })[which]();
} catch (err) {
  process.stderr.write(`${which}: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
}
