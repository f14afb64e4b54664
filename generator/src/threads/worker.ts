// A worker thread of the generator's pool (see pool.ts): parses and checks sources, and lists the
// CEL rules a validator cannot check. Each reply carries the id of its task.
import { parentPort, workerData } from "node:worker_threads";
import { parseSourceChecked } from "../load/parallel.js";
import { notCheckedNotes } from "../model/not-checked.js";
import type { Task, WorkerData } from "./pool.js";

// Load the CEL engine while the main thread builds the model. Importing the validators' module is
// not enough: the engine loads with the first rule compiled, so one is.
if ((workerData as WorkerData | null)?.preloadValidators === true) {
  void import("@kube-codegen/runtime/validate")
    .then(({ createValidator }) => createValidator("warm-up", JSON.stringify({ "x-kubernetes-validations": [{ rule: "true" }] })).notChecked())
    .catch(() => undefined);
}

parentPort?.on("message", ({ id, task }: { id: number; task: Task }) => {
  void answer(task).then(
    (value) => parentPort?.postMessage({ id, ok: true, value }),
    (err: unknown) => parentPort?.postMessage({ id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});

async function answer(task: Task): Promise<unknown> {
  switch (task.type) {
    case "parse":
      return task.sources.map((s) => parseSourceChecked(s, true));
    case "not-checked":
      return notCheckedNotes(task.kinds);
  }
}
