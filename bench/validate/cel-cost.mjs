// What the CEL part of the validators costs, per CRD version of the shared corpus: compiling its
// rules (cold: the program cache emptied before each CRD) and evaluating them on the example
// objects of ../shared/fixtures/samples (defaults applied first, as validate() does; median of 50 rounds).
//
//   npm run build && node bench/validate/cel-cost.mjs      (KUBE_CODEGEN_SHARED overrides ../shared)
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { validationSchema } from "../../generator/dist/model/validation.js";
import { compileRules } from "../../runtime/dist/cel/rules.js";
import { forgetCompiled } from "../../runtime/dist/cel/engine.js";
import { prepare } from "../../runtime/dist/validate/prepare.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SHARED = process.env.KUBE_CODEGEN_SHARED ?? resolve(REPO, "../shared");
const files = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [join(d, e.name)] : []));
const docs = (f) => parseAllDocuments(readFileSync(f, "utf8")).map((d) => d.toJS());

const samples = new Map();
for (const f of files(join(SHARED, "fixtures/samples"))) for (const o of docs(f)) if (o?.apiVersion) samples.set(`${o.apiVersion}/${o.kind}`, [...(samples.get(`${o.apiVersion}/${o.kind}`) ?? []), o]);

const rows = [];
const seen = new Set();
compileRules({ "x-kubernetes-validations": [{ rule: "true" }] }); // load the engine once, outside the figures
for (const f of files(join(SHARED, "fixtures/crds"))) {
  for (const crd of docs(f)) {
    if (crd?.kind !== "CustomResourceDefinition") continue;
    for (const v of crd.spec.versions) {
      const raw = v.schema?.openAPIV3Schema;
      const key = `${crd.spec.group}/${v.name}/${crd.spec.names.kind}`;
      if (!raw || seen.has(key) || !JSON.stringify(raw).includes("x-kubernetes-validations")) continue;
      seen.add(key);
      const schema = JSON.parse(JSON.stringify(validationSchema(raw, { apiVersion: `${crd.spec.group}/${v.name}`, kind: crd.spec.names.kind }).schema));
      const rules = (JSON.stringify(schema).match(/"rule":/g) ?? []).length;
      forgetCompiled();
      const t0 = performance.now();
      const set = compileRules(schema);
      const compileMs = performance.now() - t0;
      const objects = (samples.get(key) ?? []).map((o) => prepare(o, schema, true));
      let evalUs;
      if (objects.length > 0) {
        const times = [];
        for (let r = 0; r < 50; r++) {
          const t = performance.now();
          for (const o of objects) set.check(o, undefined);
          times.push((performance.now() - t) / objects.length);
        }
        evalUs = times.sort((a, b) => a - b)[25] * 1000;
      }
      rows.push({ crd: `${crd.metadata.name} ${v.name}`, rules, compileMs, objects: objects.length, evalUs });
    }
  }
}
rows.sort((a, b) => b.compileMs - a.compileMs);
const total = rows.reduce((a, r) => ({ rules: a.rules + r.rules, ms: a.ms + r.compileMs }), { rules: 0, ms: 0 });
const evaluated = rows.filter((r) => r.evalUs !== undefined);
const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`CRD versions with rules: ${rows.length}; rules: ${total.rules}; compile total ${total.ms.toFixed(0)} ms cold (median ${med(rows.map((r) => r.compileMs)).toFixed(2)} ms per CRD version)`);
console.log(`evaluated on examples: ${evaluated.length} CRD versions; median ${med(evaluated.map((r) => r.evalUs)).toFixed(1)} µs per object, max ${Math.max(...evaluated.map((r) => r.evalUs)).toFixed(1)} µs`);
console.log("| CRD version | rules | compile ms (cold) | examples | evaluation µs per object |");
console.log("|---|---:|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.crd} | ${r.rules} | ${r.compileMs.toFixed(2)} | ${r.objects} | ${r.evalUs === undefined ? "" : r.evalUs.toFixed(1)} |`);
