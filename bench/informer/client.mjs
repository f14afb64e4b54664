// One measured client, in its own process (node --expose-gc): `ours`, `client-node` or `floor`.
// Reports time to first sync, events per second and heap per cached object to its parent.
import { readFileSync } from "node:fs";
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

async function ours() {
  const runtime = await import("../../runtime/dist/index.js");
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromOptions(kubeconfig);
  const rest = runtime.createRestClient({ kubeConfig: kc, watchInactivityTimeoutMs: 600_000 });
  const factory = new runtime.SharedInformerFactory(rest, { namespace: "bench" });
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
  informer.on("error", (e) => process.stderr.write(`client-node informer error: ${e}\n`));
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
  await informer.stop();
}

async function floor() {
  // The floor: the same bytes, split into lines and JSON.parse'd, nothing else.
  const { watchPayload } = await import("./replay-server.mjs");
  const chunks = watchPayload();
  const t0 = performance.now();
  let n = 0;
  for (const c of chunks) {
    let start = 0;
    for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, start)) {
      JSON.parse(c.toString("utf8", start, i));
      start = i + 1;
      n++;
    }
  }
  const ms = performance.now() - t0;
  send({ result: { eventsPerSecond: n / (ms / 1000) } });
}

try {
  await ({ ours, "client-node": clientNode, floor })[which]();
} catch (err) {
  process.stderr.write(`${which}: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
}
void readFileSync;
