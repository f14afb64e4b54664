import { createServer } from "node:http";
import { createClientset } from "./generated/index.js";
import { createLinksService } from "./links.js";

// Configuration from the environment, as in a pod: the kubeconfig from the usual places
// (KUBECONFIG, ~/.kube/config, or the in-cluster service account).
const env = process.env;
const namespace = env["NAMESPACE"] ?? "default";
const host = env["HOST"] ?? "0.0.0.0";
const port = Number(env["PORT"] ?? "8080");
const context = env["KUBE_CONTEXT"];

const clientset = createClientset(context !== undefined ? { context } : {});
const service = createLinksService({ clientset, namespace });
const server = createServer(service.handle);

server.listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === "object" && address !== null ? address.port : port;
  console.log(`links service listening on http://${host}:${bound} (namespace ${namespace})`);
});

// Graceful stop: the event streams ended, then no new connections (idle ones closed, requests in
// flight answered), then the API server's sockets.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void service.close().then(() => server.close(() => clientset.rest.close()));
  });
}
