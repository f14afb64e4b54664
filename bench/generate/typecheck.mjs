// Type-check cost: `tsc --noEmit` (TypeScript 5.9 and 7) over kube-codegen's output for the union
// corpus against openapi-typescript's output of the same CRDs, with the same strict tsconfig.
//
//   npm run build && node bench/generate/typecheck.mjs      (also the last part of npm run bench:generate)
//
// BENCH_RUNS=N rounds (default 5, at least 3), every project under both compilers in each round.
// Generation is not timed. Besides the two outputs, three projects split the cost: the floor (an
// empty file: lib and @types/node), the runtime's declarations alone (what importing
// @kube-codegen/runtime and its ./fake costs), and our types.ts files alone (our counterpart of
// openapi-typescript's types). `skipLibCheck` is false, so the runtime's .d.ts, reached through
// node_modules as a user's project reaches them, are checked with our output and counted in it.
// Its section of BENCHMARKS.md is rewritten.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import os from "node:os";
import { installPeers, loadDocs, log, peerBin, REPO, unionFiles, writeOpenApiDocument } from "./corpus.mjs";
import { measure, median } from "./measure.mjs";

const WORK = join(REPO, "bench/.out/typecheck");
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));
const COMPILERS = [
  { name: "tsc 5.9", bin: join(REPO, "node_modules/typescript/bin/tsc") },
  { name: "tsc 7", bin: join(REPO, "node_modules/typescript7/bin/tsc") },
];
// What a demanding user's project turns on (the options the packaging test's user project uses), without emit.
const COMPILER_OPTIONS = { ...JSON.parse(readFileSync(join(REPO, "test/support/user-compiler-options.json"), "utf8")), noEmit: true };

/** Writes `tsconfig.<name>.json` in WORK over `include`; returns its path. */
function project(name, include) {
  const file = join(WORK, `tsconfig.${name}.json`);
  writeFileSync(file, `${JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include }, null, 2)}\n`);
  return file;
}

function tscOutput(compiler, tsconfig, extra) {
  const r = spawnSync(process.execPath, [compiler.bin, "-p", tsconfig, ...extra], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${compiler.name} -p ${tsconfig} ${extra.join(" ")} exited ${r.status}:\n${r.stdout}${r.stderr}`.slice(0, 4000));
  return r.stdout;
}

/** Files, types, instantiations, check time and memory from what `--extendedDiagnostics` printed. */
function diagnostics(compiler, out) {
  const field = (key) => {
    const m = new RegExp(`^${key}:\\s+([\\d.]+)`, "m").exec(out);
    if (m === null) throw new Error(`${compiler.name} --extendedDiagnostics printed no "${key}":\n${out}`);
    return Number(m[1]);
  };
  return { types: field("Types"), instantiations: field("Instantiations"), checkSeconds: field("Check time"), memoryMb: field("Memory used") / 1024, files: field("Files") };
}

/** Where tsc 5.9 spends its check time, by kind of file (from `--generateTrace`'s checkSourceFile spans). */
function checkTimeByFile(tsconfig, name) {
  const dir = join(WORK, `trace-${name}`);
  rmSync(dir, { recursive: true, force: true });
  tscOutput(COMPILERS[0], tsconfig, ["--generateTrace", dir]);
  const events = JSON.parse(readFileSync(join(dir, "trace.json"), "utf8"));
  const ms = new Map();
  let open;
  for (const e of events) {
    if (e.name !== "checkSourceFile") continue;
    if (e.ph === "B") open = e;
    else if (e.ph === "E") {
      const category = fileCategory(open.args.path);
      ms.set(category, (ms.get(category) ?? 0) + (e.ts - open.ts) / 1000);
    }
  }
  return ms;
}

/** The kind of file a checked path is, for the split of the check time. */
function fileCategory(path) {
  if (path.includes("/node_modules/typescript/lib/") || path.includes("/node_modules/@types/") || path.includes("/node_modules/undici-types/")) return "lib and @types/node";
  if (path.includes("/runtime/dist/")) return "runtime .d.ts";
  const rel = relative(WORK, path);
  if (rel.startsWith("openapi-typescript/")) return "types.ts";
  const inGen = rel.replace(/^ours\//, "");
  if (inGen === "fake.ts") return "fake.ts";
  if (!inGen.includes("/")) return "index.ts";
  if (inGen.endsWith("/types.ts")) return "types.ts";
  if (inGen.endsWith("/client.ts")) return "group client.ts";
  if (inGen.endsWith("/index.ts")) return "group index.ts";
  return "kind files";
}

/** One compiler's comparison, split: what every project pays, our types, and the rest of our output. */
function verdictLine(s) {
  const f = (x) => x.toFixed(2);
  const over = (p) => p.seconds - s.floor.seconds;
  return `${s.compiler}: ours ${f(s.ours.seconds)} s against openapi-typescript's ${f(s.peer.seconds)} s, ${s.ratio.toFixed(2)}× (median of the per-round ratios; ${s.ratio <= 1 ? "no slower" : "slower"}). ` +
    `Above the floor (${f(s.floor.seconds)} s, paid by every project): our types.ts files ${f(over(s.types))} s, of which the runtime's declarations they import ${f(over(s.runtime))} s, against openapi-typescript's types ${f(over(s.peer))} s; ` +
    `the rest of our output (descriptors, clients, informers, listers, the fake clientset) adds ${f(s.ours.seconds - s.types.seconds)} s (check time ${f(s.ours.checkSeconds - s.types.checkSeconds)} s, ${(s.ours.instantiations - s.types.instantiations).toLocaleString("en-US")} instantiations, ${s.ours.files - s.types.files} files)`;
}

const CATEGORIES = ["lib and @types/node", "runtime .d.ts", "types.ts", "kind files", "group client.ts", "group index.ts", "index.ts", "fake.ts"];

function main() {
  if (!existsSync(join(REPO, "generator/dist/cli/main.js"))) throw new Error("run `npm run build` first");
  installPeers();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const union = unionFiles();
  const docs = loadDocs(union);
  const load = [os.loadavg()[0]];
  // Our output as users generate it; openapi-typescript's as a .ts file (as a .d.ts under
  // skipLibCheck it would not be checked at all).
  const ours = join(WORK, "ours");
  const gen = spawnSync(join(REPO, "node_modules/.bin/kube-codegen"), ["generate", "--quiet", "--crds", ...union, "--out", ours], { encoding: "utf8" });
  if (gen.status !== 0) throw new Error(`kube-codegen generate failed: ${gen.stderr}`);
  const peerOut = join(WORK, "openapi-typescript");
  mkdirSync(peerOut);
  const peer = spawnSync(process.execPath, [peerBin("openapi-typescript"), writeOpenApiDocument(docs, join(WORK, "openapi.json")), "-o", join(peerOut, "types.ts")], { encoding: "utf8" });
  if (peer.status !== 0) throw new Error(`openapi-typescript failed: ${peer.stderr}`);
  writeFileSync(join(WORK, "floor.ts"), "export {};\n");
  writeFileSync(join(WORK, "runtime.ts"), 'export type * as runtime from "@kube-codegen/runtime";\nexport type * as fake from "@kube-codegen/runtime/fake";\n');
  const tsFiles = readdirSync(ours, { recursive: true }).filter((f) => f.endsWith(".ts"));
  const count = tsFiles.length;
  const groupVersions = tsFiles.filter((f) => f.endsWith("/types.ts")).length;
  const kindFiles = tsFiles.filter((f) => f.includes("/") && !/\/(types|client|index)\.ts$/.test(f)).length;
  log(`typecheck: ${union.length} files, ${docs.length} CRDs; ours ${count} .ts files; ${os.cpus().length} CPUs, Node ${process.version}, load ${load[0].toFixed(2)}`);

  const projects = [
    { name: "kube-codegen (full output)", key: "ours", tsconfig: project("ours", ["ours/**/*.ts"]) },
    { name: "openapi-typescript", key: "peer", tsconfig: project("peer", ["openapi-typescript/types.ts"]) },
    { name: "kube-codegen types.ts files only", key: "types", tsconfig: project("types", ["ours/**/types.ts"]) },
    { name: "runtime .d.ts alone", key: "runtime", tsconfig: project("runtime", ["runtime.ts"]) },
    { name: "floor (empty file: lib, @types/node)", key: "floor", tsconfig: project("floor", ["floor.ts"]) },
  ];
  // Rounds interleave every project and compiler, so a busy spell on this shared machine hits all.
  const samples = new Map();
  for (let i = 0; i < RUNS; i++) {
    for (const c of COMPILERS) {
      for (const p of projects) {
        // --extendedDiagnostics only reads timers and counters the compiler keeps anyway.
        const m = measure(process.execPath, [c.bin, "-p", p.tsconfig, "--extendedDiagnostics"], REPO, { stdout: true });
        m.diagnostics = diagnostics(c, m.stdout);
        const key = `${c.name}/${p.key}`;
        samples.set(key, [...(samples.get(key) ?? []), m]);
        log(`${c.name} ${p.name} run ${i + 1}/${RUNS}: ${m.seconds.toFixed(2)} s, ${m.rss_mb.toFixed(0)} MB`);
      }
    }
  }
  load.push(os.loadavg()[0]);
  const rows = [];
  const summary = [];
  for (const c of COMPILERS) {
    const get = (k) => samples.get(`${c.name}/${k}`);
    // Median of the per-round ratios: a round's two figures were taken seconds apart.
    const ratio = median(get("ours").map((m, i) => m.seconds / get("peer")[i].seconds));
    for (const p of projects) {
      const ms = get(p.key);
      const d = { ...ms[0].diagnostics, checkSeconds: median(ms.map((m) => m.diagnostics.checkSeconds)), memoryMb: median(ms.map((m) => m.diagnostics.memoryMb)) };
      const seconds = median(ms.map((m) => m.seconds));
      rows.push(`| ${c.name} | ${p.name} | ${seconds.toFixed(2)} | ${median(ms.map((m) => m.rss_mb)).toFixed(0)} | ${d.files} | ${d.types.toLocaleString("en-US")} | ${d.instantiations.toLocaleString("en-US")} | ${d.checkSeconds.toFixed(2)} | ${d.memoryMb.toFixed(0)} |`);
      p[c.name] = { seconds, ...d };
    }
    summary.push({ compiler: c.name, ours: projects[0][c.name], peer: projects[1][c.name], types: projects[2][c.name], runtime: projects[3][c.name], floor: projects[4][c.name], ratio });
  }
  const split = [checkTimeByFile(projects[0].tsconfig, "ours"), checkTimeByFile(projects[1].tsconfig, "peer")];
  const splitRows = CATEGORIES.filter((k) => split.some((s) => s.has(k))).map((k) => `| ${k} | ${(split[0].get(k) ?? 0).toFixed(0)} | ${split[1].has(k) ? split[1].get(k).toFixed(0) : ""} |`);
  const total = (s) => [...s.values()].reduce((a, b) => a + b, 0);
  const verdict = summary.map((s) => verdictLine(s));

  const section = [
    "## Type-check cost (`npm run bench:generate`, last part)",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}, TypeScript 5.9 (\`node_modules/typescript\`) and 7 (\`node_modules/typescript7\`), ${RUNS} rounds, every project under both compilers in each round; load average ${load.map((l) => l.toFixed(2)).join(" before, ")} after.`,
    `Input: the union corpus (${union.length} files, ${docs.length} CRDs). kube-codegen: \`kube-codegen generate --quiet --crds <files> --out <dir>\` (${count} .ts files: types, descriptors, clients, informers, listers, fake clientset); openapi-typescript: its types of every served version (\`openapi-typescript openapi.json -o types.ts\`, as in the generation bench), checked as a \`.ts\` file.`,
    "Each is checked by `tsc -p` with the same tsconfig: `strict`, `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`, `module: nodenext`, `types: [\"node\"]`, `noEmit`, and `skipLibCheck: false`, so the runtime's `.d.ts` that our files import (through node_modules, as in a user's project) are checked too and counted in our figures; the runtime row shows their share, the floor row what lib and @types/node cost every project.",
    "Every run has `--extendedDiagnostics`. Seconds: median wall time from spawn to exit; RSS: median peak of the process and its children; check time and memory used: medians of what tsc printed; files, types and instantiations do not vary between runs.",
    "",
    "| compiler | project | seconds | peak RSS MB | files | types | instantiations | check s | memory used MB |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    ...verdict.map((v) => `- ${v}.`),
    "",
    "Where tsc 5.9 spends its check time (`--generateTrace`, the `checkSourceFile` spans summed by kind of file, one traced run each; tracing slows the checker, compare the shares):",
    "",
    "| files | kube-codegen ms | openapi-typescript ms |",
    "|---|---:|---:|",
    ...splitRows,
    `| total | ${total(split[0]).toFixed(0)} | ${total(split[1]).toFixed(0)} |`,
    "",
    `What our output has that openapi-typescript's has not: beside the types (one types.ts per group version, ${groupVersions} here, each kind and nested object a named interface), one file per kind (${kindFiles}: its descriptor, its \`Kind\` interface, its client, informer and lister types), a client.ts and an index.ts per group version, and the root index.ts and fake.ts (\`createClientset\`, \`createInformerFactory\`, \`createFakeClientset\`).`,
    "A user's project checks them with the rest of its code, so the figures above count them; the split shows what they cost. Kept cheap: a custom resource's client and informer types resolve to generic interfaces of the runtime (\`CustomResourceClientWithStatus<T, TList>\`, \`NamespacedInformer<T>\`, ...), the same type for every use of a kind, so the checker relates them by identity and resolves their members only where they are used; \`fakeResources\` is built through a typed \`entry()\` call, so its hundreds of entries are not reduced pairwise as an array literal's element types would be.",
    "",
  ].join("\n");
  const benchFile = join(REPO, "BENCHMARKS.md");
  let existing = readFileSync(benchFile, "utf8");
  const re = /## Type-check cost \(`npm run bench:generate`[\s\S]*?(?=\n## |$)/;
  if (re.test(existing)) existing = existing.replace(re, section);
  else existing = existing.replace(/\n## Informer/, `\n${section}\n## Informer`);
  writeFileSync(benchFile, existing);
  console.log(section);
  console.log(`typecheck: ${summary.map((s) => `${s.compiler} ours ${s.ours.seconds.toFixed(2)}s vs openapi-typescript ${s.peer.seconds.toFixed(2)}s (${s.ratio.toFixed(2)}×)`).join("; ")}`);
}

main();
