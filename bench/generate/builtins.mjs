// Generation benchmark of the built-in APIs: kube-codegen `generate --openapi` against
// openapi-typescript on the same OpenAPI v3 documents (every group version the pinned test
// apiserver serves, fetched from a fresh one; fetching is not timed).
//
//   npm run build && node bench/generate/builtins.mjs       (also run at the end of npm run bench:generate)
//
// openapi-typescript runs in one process over all documents (bench/generate/openapi-typescript-docs.mjs),
// so it pays its start-up once, as kube-codegen does. Its section of BENCHMARKS.md is rewritten.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { dirSize, measure, median } from "./measure.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WORK = join(REPO, "bench/.out/builtins");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

async function fetchDocuments(dir) {
  const { findBinaries, startApiServer } = await import("@kube-codegen/envtest");
  const binaries = findBinaries(true);
  if ("missing" in binaries) throw new Error(`the built-ins bench needs a kube-apiserver: ${binaries.missing}`);
  const server = await startApiServer({ binaries });
  try {
    const { createRestClient } = await import("../../runtime/dist/index.js");
    const rest = createRestClient({ kubeconfigPath: server.kubeconfigPath, context: "admin" });
    const index = await rest.request({ verb: "get", method: "GET", path: "/openapi/v3" });
    let bytes = 0;
    for (const [path, entry] of Object.entries(index.paths)) {
      if (!/^api\/v[^/]+$|^apis\/[^/]+\/[^/]+$/.test(path)) continue;
      const [p, q] = entry.serverRelativeURL.split("?");
      const text = await rest.request({ verb: "get", method: "GET", path: p, query: Object.fromEntries(new URLSearchParams(q ?? "")), responseType: "text" });
      writeFileSync(join(dir, `${path.replace(/\//g, "__")}.json`), text);
      bytes += text.length;
    }
    rest.close();
    return bytes;
  } finally {
    await server.stop();
  }
}

async function main() {
  if (!existsSync(join(REPO, "generator/dist/cli/main.js"))) throw new Error("run `npm run build` first");
  rmSync(WORK, { recursive: true, force: true });
  const docs = join(WORK, "docs");
  mkdirSync(docs, { recursive: true });
  const bytes = await fetchDocuments(docs);
  const count = (await import("node:fs")).readdirSync(docs).length;
  log(`input: ${count} OpenAPI v3 documents, ${(bytes / 1e6).toFixed(1)} MB; ${os.cpus().length} CPUs, Node ${process.version}`);
  const peerDir = [join(REPO, "bench/.peers/node_modules/openapi-typescript"), join(REPO, "node_modules/openapi-typescript")].find((d) => existsSync(d));
  const peerVersion = JSON.parse(readFileSync(join(peerDir, "package.json"), "utf8")).version;
  const node = process.execPath;
  const tools = [
    { name: "kube-codegen generate --openapi", n: RUNS, make: (out) => [join(REPO, "node_modules/.bin/kube-codegen"), ["generate", "--quiet", "--openapi", docs, "--out", out]] },
    { name: `openapi-typescript ${peerVersion}`, n: 3, peer: true, make: (out) => [node, [join(REPO, "bench/generate/openapi-typescript-docs.mjs"), peerDir, docs, out]] },
  ];
  const samples = new Map(tools.map((t) => [t.name, []]));
  for (let i = 0; i < Math.max(...tools.map((t) => t.n)); i++) {
    for (const t of tools) {
      if (i >= t.n) continue;
      const out = join(WORK, `${t.name.replace(/\W+/g, "-")}-${i}`);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      const [cmd, args] = t.make(out);
      const ms = samples.get(t.name);
      ms.push({ ...measure(cmd, args, REPO), out });
      log(`${t.name} run ${i + 1}/${t.n}: ${ms.at(-1).seconds.toFixed(2)} s, ${ms.at(-1).rss_mb.toFixed(0)} MB`);
    }
  }
  const results = tools.map((t) => {
    const ms = samples.get(t.name);
    if (dirSize(ms[0].out) === 0) throw new Error(`${t.name} exited 0 but wrote nothing: not a valid run`);
    return { name: t.name, peer: t.peer === true, seconds: median(ms.map((m) => m.seconds)), rss_mb: Math.max(...ms.map((m) => m.rss_mb)), outBytes: dirSize(ms[0].out), runs: t.n };
  });
  const [ours, peer] = results;
  const speedup = peer.seconds / ours.seconds;
  const section = [
    "## Generation of the built-in APIs (`npm run bench:generate`, last part)",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}, the tools interleaved round by round.`,
    `Input: the ${count} group-version OpenAPI v3 documents of the pinned test apiserver (kube-apiserver 1.37.1), ${(bytes / 1e6).toFixed(1)} MB, as \`GET /openapi/v3/<path>\` returns them, in one directory.`,
    "kube-codegen: `kube-codegen generate --quiet --openapi <dir> --out <dir>` — the whole @kube-codegen/api (types, descriptors, clients, informers, listers), in prettier's layout.",
    "openapi-typescript: its Node API over the same documents in one process (`bench/generate/openapi-typescript-docs.mjs`: `openapiTS(doc)` then `astToString`, one .ts per document; types only).",
    "Its output is larger because every document repeats the definitions it uses (each has its own copy of core/v1's PodSpec, meta/v1's ObjectMeta...) and it also types every path and operation; kube-codegen declares each definition once and imports it.",
    "Times are wall-clock medians from spawn to exit; RSS is the peak of the process and its children.",
    "",
    "| tool | seconds | vs kube-codegen | peak RSS MB | output MB | runs |",
    "|---|---:|---:|---:|---:|---:|",
    ...results.map((r) => `| ${r.name} | ${r.seconds.toFixed(2)} | ${(r.seconds / ours.seconds).toFixed(2)}× | ${r.rss_mb.toFixed(0)} | ${(r.outBytes / 1e6).toFixed(1)} | ${r.runs} |`),
    "",
    `kube-codegen is ${speedup.toFixed(1)}× faster than openapi-typescript on the same documents, at ${ours.rss_mb.toFixed(0)} MB peak RSS.`,
    "",
  ].join("\n");
  const benchFile = join(REPO, "BENCHMARKS.md");
  let existing = readFileSync(benchFile, "utf8");
  const re = /## Generation of the built-in APIs[\s\S]*?(?=\n## |$)/;
  if (re.test(existing)) existing = existing.replace(re, section);
  else existing = existing.replace(/\n## Informer/, `\n${section}\n## Informer`);
  writeFileSync(benchFile, existing);
  console.log(section);
  console.log(`builtins: ours ${ours.seconds.toFixed(2)}s, openapi-typescript ${peer.seconds.toFixed(2)}s, speedup ${speedup.toFixed(1)}×, peak RSS ${ours.rss_mb.toFixed(0)} MB`);
}

await main();
