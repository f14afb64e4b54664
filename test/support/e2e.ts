import { describe, test } from "@jest/globals";
import { IN_CI } from "./paths.js";
import type { Binaries } from "@kube-codegen/envtest";

/** The shared apiserver, as global setup describes it to the workers. */
export interface E2eServer {
  readonly url: string;
  readonly kubeconfigPath: string;
  readonly adminToken: string;
  readonly userToken: string;
  readonly caPem: string;
  readonly startupMs: number;
}

/** The shared apiserver, or undefined when the e2e environment is missing. */
export function e2eServer(): E2eServer | undefined {
  const raw = process.env["KUBE_CODEGEN_E2E"];
  return raw === undefined ? undefined : (JSON.parse(raw) as E2eServer);
}

/** The binaries, for a test that starts an apiserver of its own (to restart or kill it). */
export function e2eBinaries(): Binaries | undefined {
  const kubeApiserver = process.env["KUBE_APISERVER_BIN"];
  const etcd = process.env["ETCD_BIN"];
  return kubeApiserver !== undefined && etcd !== undefined ? { kubeApiserver, etcd } : undefined;
}

let told = false;

/**
 * `describe` for suites that need the real apiserver. Without it the suite is skipped with one line
 * saying how to enable it — except under CI=true, where a missing environment fails.
 */
export function describeE2E(name: string, fn: (server: E2eServer) => void): void {
  const server = e2eServer();
  if (server !== undefined) {
    describe(name, () => fn(server));
    return;
  }
  const reason = process.env["KUBE_CODEGEN_E2E_MISSING"] ?? "the e2e global setup did not run";
  if (IN_CI) {
    describe(name, () => {
      test("has a real kube-apiserver", () => {
        throw new Error(`e2e environment missing under CI=true: ${reason}`);
      });
    });
    return;
  }
  if (!told) {
    process.stderr.write(`e2e suites skipped: ${reason}\n`);
    told = true;
  }
  describe.skip(name, () => fn({ url: "", kubeconfigPath: "", adminToken: "", userToken: "", caPem: "", startupMs: 0 }));
}
