// Compares the two CEL engines on the shared corpus: parse (compile) rate and time for every
// x-kubernetes-validations rule, and evaluation of the rules on the shared example objects
// (each rule at each place its schema puts it; both engines get the same values).
// Usage: node bench/validate/engines.mjs  (needs ../shared and the two packages installed in /tmp/celbench or node_modules)
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { createRequire } from "node:module";
const req = createRequire(process.env.CEL_BENCH_MODULES ? join(process.env.CEL_BENCH_MODULES, "x.js") : import.meta.url);
const { parseAllDocuments } = req("yaml");
const yaml = { loadAll: (t) => parseAllDocuments(t).map((d) => d.toJS()) };
const buf = req("@bufbuild/cel");
const bufStrings = req("@bufbuild/cel/ext").strings;
const mb = req("@marcbachmann/cel-js");
const shared = process.env.KUBE_CODEGEN_SHARED ?? join(import.meta.dirname, "../../../shared");
const files = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [join(d, e.name)] : []));

const schemas = new Map(); // apiVersion/kind -> schema
const rules = [];
for (const f of files(join(shared, "fixtures/crds"))) {
  for (const doc of yaml.loadAll(readFileSync(f, "utf8"))) {
    if (doc?.kind !== "CustomResourceDefinition") continue;
    for (const v of doc.spec.versions ?? []) {
      const s = v.schema?.openAPIV3Schema;
      if (!s) continue;
      schemas.set(`${doc.spec.group}/${v.name}/${doc.spec.names.kind}`, s);
      const visit = (n) => {
        if (!n || typeof n !== "object") return;
        for (const r of n["x-kubernetes-validations"] ?? []) rules.push(r.rule);
        for (const c of Object.values(n.properties ?? {})) visit(c);
        if (n.items) visit(n.items);
        if (typeof n.additionalProperties === "object") visit(n.additionalProperties);
      };
      visit(s);
    }
  }
}
const unique = [...new Set(rules)];
const mbEnv = new mb.Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true, homogeneousAggregateLiterals: false });
const bufEnv = buf.celEnv({ funcs: bufStrings });
const time = (fn) => { const t = performance.now(); const r = fn(); return [r, performance.now() - t]; };
const compiled = { buf: new Map(), mb: new Map() };
const [bufOk, bufMs] = time(() => unique.filter((r) => { try { compiled.buf.set(r, buf.plan(bufEnv, buf.parse(r))); return true; } catch { return false; } }).length);
const [mbOk, mbMs] = time(() => unique.filter((r) => { try { compiled.mb.set(r, mbEnv.parse(r)); return true; } catch { return false; } }).length);
console.log(`rules: ${rules.length} (${unique.length} distinct)`);
console.log(`@bufbuild/cel        parse+plan: ${bufOk}/${unique.length} in ${bufMs.toFixed(0)} ms`);
console.log(`@marcbachmann/cel-js parse:      ${mbOk}/${unique.length} in ${mbMs.toFixed(0)} ms`);

// Values as the server types them: integers are int (bigint), other numbers double.
const celValue = (v, s) => {
  if (Array.isArray(v)) return v.map((x) => celValue(x, s?.items));
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, celValue(x, s?.properties?.[k] ?? (typeof s?.additionalProperties === "object" ? s.additionalProperties : undefined))]));
  if (typeof v === "number") return s?.type === "number" ? v : Number.isInteger(v) ? BigInt(v) : v;
  return v;
};
const bufValue = (v) => (Array.isArray(v) ? v.map(bufValue) : v !== null && typeof v === "object" ? new Map(Object.entries(v).map(([k, x]) => [k, bufValue(x)])) : v);
const evaluations = [];
const visit = (s, v) => {
  if (!s || v === undefined || v === null) return;
  for (const r of s["x-kubernetes-validations"] ?? []) if (!/oldSelf/.test(r.rule)) evaluations.push([r.rule, celValue(v, s)]);
  if (Array.isArray(v)) for (const x of v) visit(s.items, x);
  else if (typeof v === "object") for (const [k, x] of Object.entries(v)) visit(s.properties?.[k] ?? (typeof s.additionalProperties === "object" ? s.additionalProperties : undefined), x);
};
let objects = 0;
for (const f of files(join(shared, "fixtures/samples"))) {
  for (const doc of yaml.loadAll(readFileSync(f, "utf8"))) {
    if (!doc?.apiVersion) continue;
    const s = schemas.get(`${doc.apiVersion}/${doc.kind}`);
    if (s) { objects++; visit(s, doc); }
  }
}
const outcome = (fn) => { try { const r = fn(); return buf.isCelError(r) ? "error" : String(r); } catch { return "error"; } };
const results = { buf: [], mb: [] };
const rounds = 20;
const [, bufEval] = time(() => { for (let i = 0; i < rounds; i++) for (const [r, self] of evaluations) { const p = compiled.buf.get(r); if (p && i === 0) results.buf.push(outcome(() => p({ self: bufValue(self) }))); else if (p) p({ self: bufValue(self) }); } });
const [, mbEval] = time(() => { for (let i = 0; i < rounds; i++) for (const [r, self] of evaluations) { const p = compiled.mb.get(r); if (p && i === 0) results.mb.push(outcome(() => p({ self }))); else if (p) { try { p({ self }); } catch {} } } });
const differ = evaluations.map(([r], i) => [r, results.buf[i], results.mb[i]]).filter(([, a, b]) => a !== b);
console.log(`evaluations on ${objects} example objects: ${evaluations.length} (rule, place) pairs, ${rounds} rounds`);
console.log(`@bufbuild/cel        ${((bufEval / rounds / evaluations.length) * 1000).toFixed(2)} µs per evaluation (values converted to Map each time); errors ${results.buf.filter((x) => x === "error").length}`);
console.log(`@marcbachmann/cel-js ${((mbEval / rounds / evaluations.length) * 1000).toFixed(2)} µs per evaluation; errors ${results.mb.filter((x) => x === "error").length}`);
console.log(`outcomes differ on ${differ.length}:`);
for (const [r, a, b] of differ.slice(0, 15)) console.log(`  buf=${a} mb=${b}: ${r.slice(0, 110)}`);
const classes = new Map();
for (const [r, a, b] of differ) { const k = `buf=${a} mb=${b}`; classes.set(k, (classes.get(k) ?? 0) + 1); }
console.log("disagreement classes:", Object.fromEntries(classes));
const why = new Map();
for (const [r, self] of evaluations) {
  const errB = (() => { const p = compiled.buf.get(r); const x = p({ self: bufValue(self) }); return buf.isCelError(x) ? x.message.replace(/[:].*/, "") : undefined; })();
  if (errB) why.set("buf: " + errB, (why.get("buf: " + errB) ?? 0) + 1);
  try { compiled.mb.get(r)({ self }); } catch (e) { const k = "mb: " + e.message.split("\n")[0].replace(/: .*/, "").slice(0, 60); why.set(k, (why.get(k) ?? 0) + 1); }
}
console.log("errors by message:", Object.fromEntries(why));
