import type { ApiServer } from "@kube-codegen/envtest";

// Jest imports global setup through Node's own loader (not its transform): the envtest package is
// loaded as built (`npm test` builds it first), by its package name like any user's test would.
const { findBinaries, startApiServer } = await import("@kube-codegen/envtest");

declare global {
  // eslint-disable-next-line no-var
  var __KUBE_CODEGEN_APISERVER__: ApiServer | undefined;
}

/**
 * Jest global setup of the e2e project: one shared apiserver for all e2e suites. Its address and
 * credentials reach the test workers through KUBE_CODEGEN_E2E (JSON); when it cannot run, the
 * reason is in KUBE_CODEGEN_E2E_MISSING.
 */
export default async function globalSetup(): Promise<void> {
  const binaries = findBinaries(true);
  if ("missing" in binaries) {
    process.env["KUBE_CODEGEN_E2E_MISSING"] = binaries.missing;
    return;
  }
  const server = await startApiServer({ binaries });
  globalThis.__KUBE_CODEGEN_APISERVER__ = server;
  process.env["KUBE_CODEGEN_E2E"] = JSON.stringify({
    url: server.url,
    kubeconfigPath: server.kubeconfigPath,
    adminToken: server.adminToken,
    userToken: server.userToken,
    caPem: server.caPem,
    startupMs: server.startupMs,
  });
  process.env["KUBE_APISERVER_BIN"] = binaries.kubeApiserver;
  process.env["ETCD_BIN"] = binaries.etcd;
  process.stderr.write(`\n[envtest] kube-apiserver ready at ${server.url} in ${server.startupMs} ms\n`);
}
