// The controller benchmark's kube-codegen peer: the generated Item client, @kube-codegen/api's
// ConfigMaps and the runtime's controller. An Item is reconciled into a ConfigMap it owns and a
// status patch (ready, observedGeneration) - the same logic as go/main.go and client-node.mjs.
// Prints "ready" once the caches are synced; runs until SIGTERM.
import { controller, generationChanged, isAlreadyExists, setControllerReference, type Request } from "@kube-codegen/runtime";
import { createClientset, createInformerFactory, type coreV1 } from "./generated/index.js";

const cs = createClientset();
const factory = createInformerFactory(cs);
const items = factory.benchV1.items();
const configMaps = factory.coreV1.configMaps();
const itemLister = items.lister();
const configMapLister = configMaps.lister();

function sameData(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a ?? {});
  return keys.length === Object.keys(b).length && keys.every((k) => a?.[k] === b[k]);
}

async function reconcile(req: Request, { signal }: { signal: AbortSignal }): Promise<void> {
  const ns = req.namespace ?? "";
  const item = itemLister.namespace(ns).get(req.name);
  if (item === undefined) return;
  const want = { content: item.spec?.content ?? "" };
  const name = `${req.name}-content`;
  const current = configMapLister.namespace(ns).get(name);
  if (current === undefined) {
    const cm: coreV1.ConfigMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns, labels: { "app.kubernetes.io/instance": req.name } }, data: want };
    setControllerReference(item, cm);
    try {
      await cs.coreV1.configMaps(ns).create(cm, { signal });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  } else if (!sameData(current.data, want)) {
    await cs.coreV1.configMaps(ns).update({ ...structuredClone(current), data: want }, { signal });
  }
  const generation = item.metadata.generation ?? 0;
  if (item.status?.ready === true && item.status.observedGeneration === generation) return;
  await cs.benchV1.items(ns).patchStatus(req.name, { type: "merge", patch: { status: { ready: true, observedGeneration: generation } } }, { signal });
}

const c = controller("item", { maxConcurrentReconciles: Number(process.env["BENCH_WORKERS"] ?? 1) })
  .for(items, generationChanged())
  .owns(configMaps)
  .reconcile(reconcile);
const stop = new AbortController();
factory.start();
const running = c.start(stop.signal);
await Promise.race([factory.waitForCacheSync(AbortSignal.timeout(60_000)), running]);
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  stop.abort();
  void running.then(async () => {
    await factory.shutdown();
    cs.rest.close();
  });
});
