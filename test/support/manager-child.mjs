// A process that runs a manager the way an operator's main does (handleSignals: it owns the
// process), for the graceful-shutdown e2e test. It must exit by itself after SIGTERM.
// env: KUBECONFIG_PATH, NAMESPACE, LEASE, RECONCILE_MS, GRACE_MS, IDENTITY
import { createClientset, createInformerFactory } from "@kube-codegen/api";
import { controller, silentLogger } from "@kube-codegen/runtime";
import { createManager } from "@kube-codegen/runtime/manager";

const env = (k) => process.env[k] ?? "";
const say = (o) => process.stdout.write(`${JSON.stringify({ at: Date.now(), ...o })}\n`);
const ns = env("NAMESPACE");
const manager = createManager({
  newClientset: createClientset,
  newInformerFactory: createInformerFactory,
  config: { kubeconfigPath: env("KUBECONFIG_PATH"), context: "admin" },
  cache: { namespace: ns },
  leaderElection: { id: env("LEASE"), namespace: ns, identity: env("IDENTITY"), leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 },
  healthProbeBindAddress: "127.0.0.1:0",
  metricsBindAddress: "127.0.0.1:0",
  handleSignals: true,
  gracefulShutdownTimeoutMs: Number(env("GRACE_MS")),
  logger: silentLogger,
});
const cs = manager.clientset;
const recorder = manager.eventRecorderFor("slow");
manager.add(
  controller("slow", { logger: silentLogger })
    .for(manager.informers.coreV1.configMaps())
    .reconcile(async (req, { signal }) => {
      say({ event: "reconcile-start", name: req.name });
      const aborted = await new Promise((resolve) => {
        const t = setTimeout(() => resolve(false), Number(env("RECONCILE_MS")));
        signal.addEventListener("abort", () => (clearTimeout(t), resolve(true)), { once: true });
      });
      if (aborted) {
        say({ event: "reconcile-end", name: req.name, aborted: true });
        throw signal.reason;
      }
      await cs.coreV1.configMaps(ns).patch(req.name, { type: "merge", patch: { data: { done: env("IDENTITY") } } }, { signal, fieldManager: env("IDENTITY") });
      recorder.event({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: req.name, namespace: ns } }, "Normal", "Done", "Reconcile");
      say({ event: "reconcile-end", name: req.name, aborted: false });
    }),
);
void manager.elected.then(() => say({ event: "leading", addresses: manager.addresses }));
await manager.start();
say({ event: "stopped" });
