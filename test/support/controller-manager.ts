import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** A running kube-controller-manager with only some controllers. */
export interface ControllerManager {
  stop(): Promise<void>;
}

/**
 * The kube-controller-manager binary built beside the test apiserver (by
 * envtest/build-binaries.sh, from the same Kubernetes module), or `KUBE_CONTROLLER_MANAGER`.
 */
export function controllerManagerBinary(): string | undefined {
  const explicit = process.env["KUBE_CONTROLLER_MANAGER"];
  if (explicit !== undefined) return existsSync(explicit) ? explicit : undefined;
  const apiserver = process.env["KUBE_APISERVER_BIN"];
  if (apiserver === undefined) return undefined;
  const beside = join(dirname(apiserver), "kube-controller-manager");
  return existsSync(beside) ? beside : undefined;
}

/**
 * Starts kube-controller-manager against a test apiserver with only the given controllers (the
 * garbage collector and the namespace controller, for owner references proved by the real GC), no
 * leader election, no serving port. Resolves once it says the controllers started.
 */
export async function startControllerManager(binary: string, kubeconfigPath: string, controllers: readonly string[] = ["garbage-collector-controller", "namespace-controller"]): Promise<ControllerManager> {
  const proc: ChildProcess = spawn(binary, [
    `--kubeconfig=${kubeconfigPath}`,
    `--controllers=${controllers.join(",")}`,
    "--leader-elect=false",
    "--secure-port=0",
    "--use-service-account-credentials=false",
    "--concurrent-gc-syncs=5",
    "-v=2",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  const started = new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`kube-controller-manager did not start its controllers in 30 s:\n${log.slice(-3000)}`)), 30_000);
    proc.stderr?.on("data", (chunk: Buffer) => {
      log = (log + chunk.toString("utf8")).slice(-20_000);
      if (/Started controller.*garbage-collector|Started "garbage-collector-controller"|garbage collector.*synced|Caches are synced.*garbage/i.test(log)) {
        clearTimeout(deadline);
        resolve();
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(deadline);
      reject(new Error(`kube-controller-manager exited with ${String(code)}:\n${log.slice(-3000)}`));
    });
  });
  await started;
  return {
    stop: async () => {
      if (proc.exitCode !== null) return;
      const closed = new Promise((r) => proc.once("close", r));
      proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), 5_000);
      await closed;
      clearTimeout(t);
    },
  };
}
