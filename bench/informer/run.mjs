// Informer benchmark: `npm run bench:informer [-- --objects N --events M --rounds R]` (or env
// BENCH_OBJECTS, BENCH_EVENTS, BENCH_ROUNDS; BENCH_PROF=<client> writes a CPU profile of one
// client to /tmp/infprof). Our informer against @kubernetes/client-node's makeInformer on the same
// replay (a list of Pod-like objects with managedFields, M watch events, a 410 and a relist), each
// client in its own process, rounds interleaved, plus the server alone and the JSON.parse floors.
// Writes the "## Informer" section of BENCHMARKS.md.
import { fork } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { buildPayloads, startReplayServer } from "./replay-server.mjs";
import { renderSection } from "./report.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "../..");

function option(name, env, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  const v = i !== -1 ? process.argv[i + 1] : process.env[env];
  const n = Number(v ?? fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} (or ${env}) must be a positive integer, not ${v}`);
  return n;
}

const OBJECTS = option("objects", "BENCH_OBJECTS", 10_000);
const EVENTS = option("events", "BENCH_EVENTS", 100_000);
const ROUNDS = option("rounds", "BENCH_ROUNDS", 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
/** Every client measured in a round; the order rotates from round to round. */
const ALL = ["ours", "client-node", "ours-paged", "floor-keep", "ours-metadata", "floor", "ours-managedfields", "server"];
/** BENCH_CLIENTS=a,b runs only those (for profiling and debugging; the section needs them all). */
const CLIENTS = process.env.BENCH_CLIENTS?.split(",") ?? ALL;

/** Runs one client against the server; resolves with what it reports. */
function measure(which, server) {
  server.arm();
  const prof = process.env.BENCH_PROF === which ? ["--cpu-prof", "--cpu-prof-dir=/tmp/infprof"] : [];
  const child = fork(join(HERE, "client.mjs"), [which, server.url, String(EVENTS), String(OBJECTS)], { execArgv: ["--expose-gc", "--max-old-space-size=8192", ...prof], cwd: REPO });
  // Resolves when the process is gone, so that no late request of it reaches the next client's server state.
  return new Promise((resolveP, reject) => {
    let result;
    child.on("message", (m) => {
      if (m.ready) server.go();
      if (m.watched) server.relist();
      if (m.result) result = m.result;
    });
    child.on("exit", (code, signal) => (result !== undefined ? resolveP(result) : reject(new Error(`${which} exited ${code ?? signal}`))));
  });
}

function summary(which, r) {
  if (which === "server") return `paged list ${r.pagedMs.toFixed(0)} ms, whole list ${r.wholeMs.toFixed(0)} ms, streaming list ${r.streamingMs.toFixed(0)} ms, watch ${r.watchMs.toFixed(0)} ms`;
  if (r.syncMs === undefined) return `${r.eventsPerSecond.toFixed(0)} ev/s, ${r.cpuUsPerEvent.toFixed(1)} µs CPU/event`;
  return `sync ${r.syncMs.toFixed(0)} ms, ${r.eventsPerSecond.toFixed(0)} ev/s (${r.cpuUsPerEvent.toFixed(1)} µs CPU/event), ${r.heapPerObject.toFixed(0)} B/object, relist ${r.relistMs.toFixed(0)} ms (+${(r.relistPeakOverHeap / 1e6).toFixed(0)} MB peak, ${r.relistNotifications} notifications)`;
}

async function main() {
  const loadBefore = os.loadavg();
  const t0 = Date.now();
  // BENCH_RESULTS_FROM=<file> renders the section again from a run's saved figures.
  const saved = process.env.BENCH_RESULTS_FROM;
  if (saved !== undefined) {
    const run = JSON.parse(readFileSync(saved, "utf8"));
    return write(run.results, run.payloads, run.load);
  }
  const payloads = buildPayloads(OBJECTS, EVENTS);
  const sizes = { objectBytes: payloads.objectBytes, metadataBytes: payloads.metadataBytes };
  process.stderr.write(`[bench] ${OBJECTS} objects (${payloads.objectBytes} B of JSON each), ${EVENTS} events, serialised in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const server = await startReplayServer(payloads);
  const results = Object.fromEntries(CLIENTS.map((c) => [c, []]));
  try {
    for (let round = -WARMUP; round < ROUNDS; round++) {
      const offset = ((round % CLIENTS.length) + CLIENTS.length) % CLIENTS.length;
      const order = [...CLIENTS.slice(offset), ...CLIENTS.slice(0, offset)];
      for (const which of order) {
        const r = await measure(which, server);
        if (r.cached !== OBJECTS) throw new Error(`${which} cached ${r.cached} objects, expected ${OBJECTS}`);
        if (round >= 0) results[which].push(r);
        process.stderr.write(`[bench] ${round < 0 ? "warm-up" : `round ${round + 1}`} ${which}: ${summary(which, r)}\n`);
      }
    }
  } finally {
    await server.close();
  }
  const load = [loadBefore, os.loadavg()];
  if (CLIENTS.length !== ALL.length || !ALL.every((c) => CLIENTS.includes(c))) {
    // A partial run (BENCH_CLIENTS) neither renders the section nor replaces a full run's figures.
    process.stderr.write(`[bench] BENCH_CLIENTS=${CLIENTS.join(",")}: per-round figures above; BENCHMARKS.md left as it is\n`);
    return;
  }
  const file = join(os.tmpdir(), `kube-codegen-informer-${OBJECTS}.json`);
  writeFileSync(file, JSON.stringify({ results, payloads: sizes, load }));
  process.stderr.write(`[bench] figures saved in ${file}\n`);
  write(results, sizes, load);
}

function write(results, payloads, load) {
  const file = join(REPO, "BENCHMARKS.md");
  let text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const re = /## Informer \(`npm run bench:informer`\)[\s\S]*?(?=\n## |$)/;
  const previous = re.exec(text)?.[0];
  const { section, line } = renderSection({ results, objects: OBJECTS, events: EVENTS, rounds: ROUNDS, warmup: WARMUP, payloads, previous, load, cpus: os.cpus().length, node: process.version });
  text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(file, text);
  console.log(section);
  console.log(line);
}

await main();
