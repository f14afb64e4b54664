// Where one generation run's time goes, phase by phase, with and without --validators: the same
// steps as `generate` (generator/src/generate.ts), timed in one process, output to a directory of
// the caller's choice (a tmpfs keeps disk stalls out of the figures). Cold, as in the CLI: run
// each variant in a process of its own.
//
//   npm run build && node --max-semi-space-size=16 bench/generate/phases.mjs [--validators] --out <dir> <files...>
import { rmSync } from "node:fs";
import { readSources } from "../../generator/dist/load/sources.js";
import { loadCrds } from "../../generator/dist/load/crds.js";
import { validateCrds } from "../../generator/dist/load/validate-crd.js";
import { buildModelTaking } from "../../generator/dist/model/build.js";
import { planFiles } from "../../generator/dist/emit/plan.js";
import { notCheckedNotes, ruleKinds } from "../../generator/dist/model/not-checked.js";
import { createFormatter } from "../../generator/dist/format/prettier.js";
import { StagedOutput } from "../../generator/dist/write/output.js";

const args = process.argv.slice(2);
const validators = args.includes("--validators");
const outAt = args.indexOf("--out");
if (outAt < 0 || args[outAt + 1] === undefined) throw new Error("usage: phases.mjs [--validators] --out <dir> <files...>");
const out = args[outAt + 1];
const files = args.filter((a, i) => a !== "--validators" && i !== outAt && i !== outAt + 1);
rmSync(out, { recursive: true, force: true });

const rows = [];
let last = performance.now();
const lap = (phase) => {
  const now = performance.now();
  rows.push([phase, now - last]);
  last = now;
};
const sources = readSources(files, { cwd: process.cwd(), readStdin: () => "" });
const loaded = loadCrds(sources);
lap("read and parse (js-yaml), bounds");
validateCrds(loaded.crds);
lap("check CRDs as the API server would");
const { model } = buildModelTaking(loaded.crds, { validators });
lap(validators ? "model (with validation schemas)" : "model");
if (validators) {
  // The engine as generate loads it (the runtime's validators module, then @bufbuild/cel on the first compile).
  const { compile } = await import("../../runtime/dist/cel/engine.js");
  compile("true");
  lap("CEL engine load (@bufbuild/cel and @bufbuild/protobuf)");
  const kinds = ruleKinds(model);
  await notCheckedNotes(kinds);
  lap(`CEL rules of ${kinds.length} kinds compiled, to note those the validators cannot check`);
}
const format = await createFormatter(out, "auto");
const sink = new StagedOutput(out);
let emitted = 0;
for (const target of planFiles(model, { validators })) {
  sink.file(target.path, await format({ path: target.path, ...target.emit() }));
  emitted++;
}
lap(`emit and stage ${emitted} files`);
sink.commit();
lap("commit");
const total = rows.reduce((n, [, ms]) => n + ms, 0);
for (const [phase, ms] of rows) console.log(`${ms.toFixed(0).padStart(6)} ms  ${phase}`);
console.log(`${total.toFixed(0).padStart(6)} ms  total (${validators ? "--validators" : "plain"}; process start-up and module loading not included)`);
