import type { ApiServer } from "./apiserver.js";

// Jest imports global setup through Node's own loader (not its transform), so the helpers are
// loaded as TypeScript by Node's type stripping, by their .ts names.
type Binaries = typeof import("./binaries.js");
type Server = typeof import("./apiserver.js");
const { findBinaries } = (await import(new URL("./binaries.ts", import.meta.url).href)) as Binaries;
const { startApiServer } = (await import(new URL("./apiserver.ts", import.meta.url).href)) as Server;

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
