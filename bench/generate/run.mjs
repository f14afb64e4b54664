// Generation benchmark: kube-codegen against its peers on the union corpus, side by side in one run.
//
//   npm run bench:generate            (KUBE_CODEGEN_SHARED overrides ../shared; BENCH_RUNS=N runs of ours)
//
// Peers are installed into bench/.peers (git-ignored), never into the project's dependencies.
// Every tool runs as its own process, timed from spawn to exit, with its peak RSS (the maximum
// resident set of the process and its children, from getrusage). Input preparation is not timed.
// The last line printed is the summary asked for in the issue; figures go to BENCHMARKS.md.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import os from "node:os";
import yaml from "../../generator/node_modules/js-yaml/index.js";
import { installPeers, loadDocs, log, peerBin, REPO, unionFiles, writeOpenApiDocument } from "./corpus.mjs";
import { dirSize, measure, median } from "./measure.mjs";

const WORK = join(REPO, "bench/.out");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function prepareInputs(files) {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const docs = loadDocs(files);
  // One multi-document YAML for the peers that take a single source.
  const all = join(WORK, "union.yaml");
  writeFileSync(all, docs.map((d) => yaml.dump(d, { lineWidth: -1, noRefs: true })).join("---\n"));
  // One OpenAPI document for openapi-typescript.
  const openapi = writeOpenApiDocument(docs, join(WORK, "openapi.json"));
  // The corpus doubled and multiplied by five (1,190 CRDs: no real bundle of that size is at hand),
  // every CRD again under renamed groups, for linearity and for generation at scale.
  const copies = (n, dir) => {
    mkdirSync(dir);
    files.forEach((f, i) => writeFileSync(join(dir, `c0-${i}.yaml`), readFileSync(f, "utf8")));
    for (let c = 1; c < n; c++) {
      docs.forEach((d, i) => {
        const copy = structuredClone(d);
        copy.spec.group = `copy${c}.${d.spec.group}`;
        copy.metadata.name = `${d.spec.names.plural}.${copy.spec.group}`;
        writeFileSync(join(dir, `c${c}-${i}.yaml`), yaml.dump(copy, { lineWidth: -1, noRefs: true }));
      });
    }
    return dir;
  };
  const doubledDir = copies(2, join(WORK, "doubled"));
  const fivefoldDir = copies(5, join(WORK, "fivefold"));
  const bytesOf = (dir) => readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  return { all, openapi, doubledDir, fivefoldDir, fivefoldBytes: bytesOf(fivefoldDir), inputBytes: files.reduce((n, f) => n + statSync(f).size, 0), crds: docs.length };
}

function main() {
  const union = unionFiles();
  installPeers();
  if (!existsSync(join(REPO, "generator/dist/cli/main.js"))) throw new Error("run `npm run build` first");
  const input = prepareInputs(union);
  log(`input: ${union.length} files, ${input.crds} CRDs, ${(input.inputBytes / 1e6).toFixed(1)} MB; ${os.cpus().length} CPUs, Node ${process.version}`);
  const node = process.execPath;
  const bin = peerBin;
  // The installed bin, as users run it (its shebang sets V8 flags).
  const ours = (crds, out, ...extra) => [join(REPO, "node_modules/.bin/kube-codegen"), ["generate", "--quiet", "--crds", ...crds, "--out", out, ...extra]];

  // Interleaved rounds: round i runs every tool that still has runs left, one after another, so
  // that a busy spell on this shared machine hits ours and the peers alike.
  const tools = [
    { name: "kube-codegen", n: RUNS, make: (out) => ours(union, out) },
    { name: "kube-codegen --validators", n: RUNS, make: (out) => ours(union, out, "--validators") },
    { name: "kube-codegen --threads 2", n: RUNS, make: (out) => ours(union, out, "--threads", "2") },
    { name: "kube-codegen --validators --threads 2", n: RUNS, make: (out) => ours(union, out, "--validators", "--threads", "2") },
    { name: "kube-codegen (corpus doubled)", n: Math.max(3, Math.ceil(RUNS / 2)), make: (out) => ours([input.doubledDir], out) },
    { name: `kube-codegen (corpus ×5, ${5 * input.crds} CRDs)`, n: Math.max(3, Math.ceil(RUNS / 2)), make: (out) => ours([input.fivefoldDir], out) },
    // The physical floor: a bare js-yaml parse of the same files, on one thread, in a process of its own.
    { name: "bare js-yaml parse (floor)", n: RUNS, floor: true, make: () => [node, [join(REPO, "bench/generate/parse-floor.mjs"), ...union]] },
    { name: "openapi-typescript", n: 3, peer: true, make: (out) => [node, [bin("openapi-typescript"), input.openapi, "-o", join(out, "types.ts")]] },
    { name: "cdk8s import", n: 1, peer: true, make: (out) => [node, [bin("cdk8s"), "import", input.all, "--language", "typescript", "--output", out, "--no-save", "--no-check-upgrade"], out] },
    { name: "kubernetes-fluent-client crd", n: 1, peer: true, make: (out) => [node, [bin("kubernetes-fluent-client"), "crd", input.all, out]] },
    { name: "@kubernetes-models/crd-generate", n: 1, peer: true, make: (out) => [node, [bin("crd-generate"), "--input", input.all, "--output", out]] },
  ];
  const samples = new Map(tools.map((t) => [t.name, []]));
  for (let i = 0; i < Math.max(...tools.map((t) => t.n)); i++) {
    for (const t of tools) {
      if (i >= t.n) continue;
      const out = join(WORK, `${t.name.replace(/\W+/g, "-")}-${i}`);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      const [cmd, args, cwd] = t.make(out);
      const ms = samples.get(t.name);
      ms.push({ ...measure(cmd, args, cwd ?? REPO), out });
      log(`${t.name} run ${i + 1}/${t.n}: ${ms.at(-1).seconds.toFixed(2)} s, ${ms.at(-1).rss_mb.toFixed(0)} MB`);
    }
  }
  const results = tools.map((t) => {
    const ms = samples.get(t.name);
    if (t.floor !== true && dirSize(ms[0].out) === 0) throw new Error(`${t.name} exited 0 but wrote nothing: not a valid run`);
    return { name: t.name, peer: t.peer === true, seconds: median(ms.map((m) => m.seconds)), rss_mb: Math.max(...ms.map((m) => m.rss_mb)), outBytes: dirSize(ms[0].out), runs: t.n };
  });
  const byName = (n) => results.find((r) => r.name === n);
  const oursR = byName("kube-codegen");
  const withValidators = byName("kube-codegen --validators");
  const doubled = byName("kube-codegen (corpus doubled)");
  const fivefold = results.find((r) => r.name.startsWith("kube-codegen (corpus ×5"));
  const twoThreads = byName("kube-codegen --threads 2");
  const twoThreadsValidators = byName("kube-codegen --validators --threads 2");
  const floor = byName("bare js-yaml parse (floor)");
  const inputRatio = input.fivefoldBytes / input.inputBytes;
  const peers = results.filter((r) => r.peer);
  const validatorsCost = (all, without) => {
    const pct = ((all - without) / without) * 100;
    return Math.abs(pct) < 5 ? `With and without the validators the times are within 5 % (${pct.toFixed(0)} %): inside this machine's noise.` : `The validators add ${pct.toFixed(0)} % to the time without them.`;
  };
  const fastest = peers.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  const speedup = fastest.seconds / oursR.seconds;
  const linear = doubled.seconds / oursR.seconds;

  const rows = results.map((r) => r.name.startsWith("bare") ? `| ${r.name} | ${r.seconds.toFixed(2)} | ${(r.seconds / oursR.seconds).toFixed(2)}× | ${r.rss_mb.toFixed(0)} | | ${r.runs} |` : `| ${r.name} | ${r.seconds.toFixed(2)} | ${(r.seconds / oursR.seconds).toFixed(2)}× | ${r.rss_mb.toFixed(0)} | ${(r.outBytes / 1e6).toFixed(1)} | ${r.runs} |`);
  const section = [
    "## Generation (`npm run bench:generate`)",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}, in one invocation, the tools interleaved round by round (a busy spell hits all of them alike).`,
    `Input: the union corpus of \`../shared/fixtures/crds/UNION.txt\`: ${union.length} files, ${input.crds} CRDs, ${(input.inputBytes / 1e6).toFixed(1)} MB of YAML.`,
    "openapi-typescript gets every served version's schema as `components.schemas` of one OpenAPI document (types only);",
    "cdk8s, kubernetes-fluent-client and crd-generate get the same CRDs as one multi-document YAML file.",
    "kube-codegen's figure is its full output (types, resource descriptors, clients, informers and listers), formatted exactly as prettier would; the --validators row adds the opt-in validators.",
    "Times are wall-clock medians from spawn to exit; RSS is the peak of the process and its children.",
    "",
    "| tool | seconds | vs kube-codegen | peak RSS MB | output MB | runs |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    `Fastest peer: ${fastest.name}; kube-codegen is ${speedup.toFixed(1)}× faster (${(fastest.seconds / withValidators.seconds).toFixed(1)}× with --validators). Doubling the input (every CRD again under a renamed group) multiplies kube-codegen's time by ${linear.toFixed(2)}. ${validatorsCost(withValidators.seconds, oursR.seconds)}`,
    "",
    `Scale: ${5 * input.crds} CRDs (the union five times, under renamed groups; ${(input.fivefoldBytes / 1e6).toFixed(0)} MB, ${inputRatio.toFixed(2)}× the union's bytes) take ${(fivefold.seconds / oursR.seconds).toFixed(2)}× the union's time (${(fivefold.seconds / oursR.seconds / inputRatio).toFixed(2)}× the input ratio) at ${fivefold.rss_mb.toFixed(0)} MB peak RSS.`,
    `Floor: a bare js-yaml parse of the union's files on one thread (\`bench/generate/parse-floor.mjs\`, a process of its own) takes ${floor.seconds.toFixed(2)} s; kube-codegen's full output takes ${(oursR.seconds / floor.seconds).toFixed(2)}× that (${(twoThreads.seconds / floor.seconds).toFixed(2)}× with \`--threads 2\`: ${(twoThreads.seconds / oursR.seconds).toFixed(2)}× the one-thread time, ${(twoThreadsValidators.seconds / withValidators.seconds).toFixed(2)}× with --validators).`,
    "",
  ].join("\n");
  const benchFile = join(REPO, "BENCHMARKS.md");
  const head = "# Benchmarks\n\nRun on demand, not in CI. This machine is shared and noisy: compare the ratios within one run.\n\n";
  let existing = existsSync(benchFile) ? readFileSync(benchFile, "utf8") : head;
  const re = /## Generation \(`npm run bench:generate`\)[\s\S]*?(?=\n## |$)/;
  existing = re.test(existing) ? existing.replace(re, section) : `${existing.trimEnd()}\n\n${section}`;
  writeFileSync(benchFile, existing);
  console.log(section);
  console.log(`generate: ours ${oursR.seconds.toFixed(2)}s, fastest peer ${fastest.name} ${fastest.seconds.toFixed(2)}s, speedup ${speedup.toFixed(1)}×, peak RSS ${oursR.rss_mb.toFixed(0)} MB`);
}

main();
// The built-in APIs from the test apiserver's OpenAPI v3, against openapi-typescript on the same documents.
await import("./builtins.mjs");
// tsc 5.9 and 7 over kube-codegen's and openapi-typescript's output of the union corpus.
await import("./typecheck.mjs");
