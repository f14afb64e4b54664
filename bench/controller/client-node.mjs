// The controller benchmark's "what a TypeScript user writes today" peer: @kubernetes/client-node's
// makeInformer for Items and ConfigMaps, a small de-duplicating queue and workers, and the same
// logic as ours/main.ts and go/main.go (an Item → a ConfigMap it owns, then a merge patch of its
// status). Prints "ready" once both informers have listed; runs until SIGTERM.
import * as k8s from "@kubernetes/client-node";

const GROUP = "bench.kube-codegen.dev";
const VERSION = "v1";
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);

const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const core = kc.makeApiClient(k8s.CoreV1Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);
const mergePatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);

const itemInformer = k8s.makeInformer(kc, `/apis/${GROUP}/${VERSION}/items`, () => custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: "items" }));
const cmInformer = k8s.makeInformer(kc, "/api/v1/configmaps", () => core.listConfigMapForAllNamespaces());

// The queue: a key waits at most once; a key being worked on is not handed to a second worker,
// and an event meanwhile brings it back once the first is done.
const waiting = new Set();
const processing = new Set();
const dirty = new Set();
let wake = [];
function enqueue(key) {
  if (processing.has(key)) {
    dirty.add(key);
    return;
  }
  waiting.add(key);
  const w = wake;
  wake = [];
  for (const resolve of w) resolve();
}
async function next() {
  for (;;) {
    for (const key of waiting) {
      waiting.delete(key);
      processing.add(key);
      return key;
    }
    await new Promise((resolve) => wake.push(resolve));
  }
}
function done(key) {
  processing.delete(key);
  if (dirty.delete(key)) enqueue(key);
}

const keyOf = (o) => `${o.metadata.namespace}/${o.metadata.name}`;
itemInformer.on("add", (o) => enqueue(keyOf(o)));
itemInformer.on("update", (o, old) => {
  if (old === undefined || old.metadata.generation !== o.metadata.generation) enqueue(keyOf(o));
});
itemInformer.on("delete", (o) => enqueue(keyOf(o)));
const owner = (cm) => cm.metadata.ownerReferences?.find((r) => r.controller === true && r.kind === "Item" && r.apiVersion.startsWith(`${GROUP}/`));
for (const ev of ["add", "update", "delete"]) {
  cmInformer.on(ev, (cm) => {
    const ref = owner(cm);
    if (ref !== undefined) enqueue(`${cm.metadata.namespace}/${ref.name}`);
  });
}
for (const inf of [itemInformer, cmInformer]) inf.on("error", (err) => {
  process.stderr.write(`informer error: ${err}\n`);
  setTimeout(() => inf.start(), 1000);
});

function sameData(a, b) {
  const keys = Object.keys(a ?? {});
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

async function reconcile(key) {
  const [namespace, name] = key.split("/");
  const item = itemInformer.get(name, namespace);
  if (item === undefined) return;
  const want = { content: item.spec?.content ?? "" };
  const cmName = `${name}-content`;
  const current = cmInformer.get(cmName, namespace);
  if (current === undefined) {
    const body = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: cmName, namespace, labels: { "app.kubernetes.io/instance": name }, ownerReferences: [{ apiVersion: `${GROUP}/${VERSION}`, kind: "Item", name, uid: item.metadata.uid, controller: true, blockOwnerDeletion: true }] },
      data: want,
    };
    try {
      await core.createNamespacedConfigMap({ namespace, body });
    } catch (err) {
      if (err?.code !== 409) throw err;
    }
  } else if (!sameData(current.data, want)) {
    await core.replaceNamespacedConfigMap({ name: cmName, namespace, body: { ...structuredClone(current), data: want } });
  }
  const generation = item.metadata.generation ?? 0;
  if (item.status?.ready === true && item.status.observedGeneration === generation) return;
  await custom.patchNamespacedCustomObjectStatus({ group: GROUP, version: VERSION, namespace, plural: "items", name, body: { status: { ready: true, observedGeneration: generation } } }, mergePatch);
}

const failures = new Map();
async function worker() {
  for (;;) {
    const key = await next();
    try {
      await reconcile(key);
      failures.delete(key);
      done(key);
    } catch (err) {
      const n = (failures.get(key) ?? 0) + 1;
      failures.set(key, n);
      process.stderr.write(`reconcile ${key} failed (${n}): ${err?.message ?? err}\n`);
      done(key);
      setTimeout(() => enqueue(key), Math.min(1000, 5 * 2 ** n));
    }
  }
}

await Promise.all([itemInformer.start(), cmInformer.start()]);
for (let i = 0; i < WORKERS; i++) void worker();
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void Promise.all([itemInformer.stop(), cmInformer.stop()]).then(() => process.exit(0));
});
