import { RecordStore } from "./records.js";
import { startOperator } from "./operator.js";

// `npm start`: runs against the kubeconfig's cluster (or in-cluster) until SIGTERM or SIGINT.
const records = new RecordStore(process.env["WEBSITE_RECORDS_DIR"] ?? "./records");
const operator = await startOperator({ records, namespace: process.env["WATCH_NAMESPACE"] });
process.stderr.write("website operator running\n");
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void operator.stop().then(() => process.stderr.write("website operator stopped\n"));
  });
}
