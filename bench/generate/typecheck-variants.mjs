// What in our types.ts files costs tsc more than openapi-typescript's types: the same outputs,
// changed one way at a time, checked with the type-check bench's tsconfig.
//
//   node bench/generate/typecheck.mjs && node bench/generate/typecheck-variants.mjs
//
// It reads the outputs typecheck.mjs leaves in bench/.out/typecheck (ours and openapi-typescript's
// for the union corpus) and writes its variants to bench/.out/typecheck-variants:
//   - without comments (ours and theirs: descriptions are JSDoc in both);
//   - without the runtime import: ObjectMeta, ListMeta and the other shared wire types declared
//     locally instead of imported from @kube-codegen/runtime (whose .d.ts are then not checked);
//   - in one file: the 77 types.ts as namespaces of one module;
//   - with type aliases of object types instead of interfaces.
// BENCH_RUNS=N rounds (default 5), every variant under tsc 5.9 and 7 in each round; prints a
// Markdown table of medians (tsc's own "Total time" and "Check time", and its type count).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO } from "./corpus.mjs";
import { median } from "./measure.mjs";

const FROM = join(REPO, "bench/.out/typecheck");
const WORK = join(REPO, "bench/.out/typecheck-variants");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const COMPILERS = [
  { name: "tsc 5.9", bin: join(REPO, "node_modules/typescript/bin/tsc") },
  { name: "tsc 7", bin: join(REPO, "node_modules/typescript7/bin/tsc") },
];

if (!existsSync(join(FROM, "tsconfig.types.json"))) throw new Error(`run node bench/generate/typecheck.mjs first (no ${FROM})`);
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const options = JSON.parse(readFileSync(join(FROM, "tsconfig.types.json"), "utf8")).compilerOptions;
const ours = readdirSync(join(FROM, "ours"), { recursive: true }).filter((f) => f.endsWith("types.ts")).sort();
const oursText = (f) => readFileSync(join(FROM, "ours", f), "utf8");
const theirs = readFileSync(join(FROM, "openapi-typescript/types.ts"), "utf8");

/** Drops JSDoc blocks (every description and tag is one; no string in these files holds "/**"). */
const noComments = (t) => t.replace(/^[ \t]*\/\*\*[\s\S]*?\*\/\n/gm, "");
const RUNTIME_IMPORT = /^import type \{([^}]*)\} from "@kube-codegen\/runtime";\n/m;
const importedNames = (t) => (RUNTIME_IMPORT.exec(t)?.[1] ?? "").split(",").map((s) => s.trim()).filter(Boolean);

function write(dir, files) {
  for (const [f, text] of files) {
    const to = join(WORK, dir, f);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, text);
  }
  const tsconfig = join(WORK, `tsconfig.${dir}.json`);
  writeFileSync(tsconfig, `${JSON.stringify({ compilerOptions: options, include: [`${dir}/**/*.ts`] }, null, 2)}\n`);
  return tsconfig;
}

const variants = [
  { name: "openapi-typescript, as generated", tsconfig: write("theirs", [["types.ts", theirs]]) },
  { name: "openapi-typescript, no comments", tsconfig: write("theirs-nc", [["types.ts", noComments(theirs)]]) },
  { name: "ours: types.ts files, as generated", tsconfig: write("ours", ours.map((f) => [f, oursText(f)])) },
  { name: "ours: no comments", tsconfig: write("ours-nc", ours.map((f) => [f, noComments(oursText(f))])) },
  {
    name: "ours: no comments, runtime types declared locally",
    tsconfig: write("ours-nc-local", ours.map((f) => {
      const t = noComments(oursText(f));
      return [f, t.replace(RUNTIME_IMPORT, importedNames(t).map((n) => `type ${n} = Record<string, unknown>;\n`).join(""))];
    })),
  },
  {
    name: "ours: no comments, one file (a namespace per group version)",
    tsconfig: write("ours-nc-one", [["types.ts", 'import type * as runtime from "@kube-codegen/runtime";\n' + ours.map((f, i) => {
      const t = noComments(oursText(f));
      const local = importedNames(t).map((n) => `  type ${n} = runtime.${n};\n`).join("");
      return `export namespace gv${i} {\n${local}${t.replace(/^import .*\n/gm, "").replace(/^\/\/.*\n/gm, "")}}\n`;
    }).join("")]]),
  },
  {
    name: "ours: no comments, type aliases instead of interfaces",
    tsconfig: write("ours-nc-alias", ours.map((f) => [f, noComments(oursText(f)).replace(/^export interface (\w+) \{$/gm, "export type $1 = {").replace(/^\}$/gm, "};")])),
  },
];

function check(compiler, tsconfig) {
  const r = spawnSync(process.execPath, [compiler.bin, "-p", tsconfig, "--extendedDiagnostics"], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${compiler.name} -p ${tsconfig} exited ${r.status}:\n${r.stdout}${r.stderr}`.slice(0, 4000));
  const field = (key) => Number(new RegExp(`^${key}:\\s+([\\d.]+)`, "m").exec(r.stdout)?.[1] ?? Number.NaN);
  return { total: field("Total time"), check: field("Check time"), types: field("Types"), files: field("Files") };
}

const samples = new Map();
for (let round = 0; round < RUNS; round++) {
  for (const v of variants) {
    for (const c of COMPILERS) {
      const key = `${v.name}\u0000${c.name}`;
      samples.set(key, [...(samples.get(key) ?? []), check(c, v.tsconfig)]);
    }
  }
}
const rows = ["| variant | compiler | total s | check s | types | files |", "|---|---|---:|---:|---:|---:|"];
for (const c of COMPILERS) {
  for (const v of variants) {
    const s = samples.get(`${v.name}\u0000${c.name}`);
    rows.push(`| ${v.name} | ${c.name} | ${median(s.map((x) => x.total)).toFixed(2)} | ${median(s.map((x) => x.check)).toFixed(2)} | ${s[0].types.toLocaleString("en-US")} | ${s[0].files} |`);
  }
}
console.log(`${RUNS} rounds, medians of tsc's own times (\`--extendedDiagnostics\`), ${ours.length} types.ts files of ours:\n`);
console.log(rows.join("\n"));
