/** Jest global teardown of the e2e project: stops the shared apiserver and etcd. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__KUBE_CODEGEN_APISERVER__?.stop();
  globalThis.__KUBE_CODEGEN_APISERVER__ = undefined;
}
