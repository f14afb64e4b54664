import { RecordStore } from "./records.js";
import { startOperator } from "./operator.js";

// `npm start`: runs against the kubeconfig's cluster (or in-cluster) until SIGTERM or SIGINT, with
// leader election (the Lease in POD_NAMESPACE, else the service account's namespace), probes on
// :8081 and metrics on :8080 (HEALTH_PROBE_BIND_ADDRESS / METRICS_BIND_ADDRESS, "0" turns one off).
const env = process.env;
const records = new RecordStore(env["WEBSITE_RECORDS_DIR"] ?? "./records");
const operator = await startOperator({
  records,
  namespace: env["WATCH_NAMESPACE"],
  leaderElection: env["LEADER_ELECT"] === "false" ? undefined : { namespace: env["POD_NAMESPACE"] },
  healthProbeBindAddress: env["HEALTH_PROBE_BIND_ADDRESS"] ?? ":8081",
  metricsBindAddress: env["METRICS_BIND_ADDRESS"] ?? ":8080",
  handleSignals: true,
});
process.stderr.write("website operator running\n");
try {
  await operator.done;
  process.stderr.write("website operator stopped\n");
} catch (err) {
  // Leadership lost (or the caches never synced): exit, the Deployment restarts the pod.
  process.stderr.write(`website operator stopped: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
