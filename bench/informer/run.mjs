// Informer benchmark: `npm run bench:informer`. Our informer against @kubernetes/client-node's
// makeInformer on the same replay (a list of 10,000 objects of about 2 KB, then 100,000 watch
// events), each in its own process, side by side in one run; plus the JSON.parse floor.
import { fork } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { EVENTS, OBJECTS, startReplayServer } from "./replay-server.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "../..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function measure(which, server) {
  const child = fork(join(HERE, "client.mjs"), [which, server?.url ?? "", String(EVENTS), String(OBJECTS)], { execArgv: ["--expose-gc", ...(process.env.BENCH_PROF === which ? ["--cpu-prof", "--cpu-prof-dir=/tmp/infprof"] : [])], cwd: REPO });
  return new Promise((resolveP, reject) => {
    child.on("message", (m) => {
      if (m.synced) {
        server.go();
        child.send("streaming");
      }
      if (m.result) resolveP(m.result);
    });
    child.on("exit", (code) => code !== 0 && reject(new Error(`${which} exited ${code}`)));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const results = { ours: [], "ours-streaming": [], "client-node": [], floor: [], "floor-keep": [] };
  let objectBytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const which of ["ours", "ours-streaming", "client-node"]) {
      const server = await startReplayServer();
      objectBytes = server.objectBytes;
      const r = await measure(which, server);
      server.close();
      if (r.cached !== OBJECTS) throw new Error(`${which} cached ${r.cached} objects, expected ${OBJECTS}`);
      results[which].push(r);
      process.stderr.write(`[bench] round ${round + 1} ${which}: sync ${r.syncMs.toFixed(0)} ms, ${r.eventsPerSecond.toFixed(0)} ev/s, ${r.heapPerObject.toFixed(0)} B/object\n`);
    }
    results.floor.push(await measure("floor"));
    results["floor-keep"].push(await measure("floor-keep"));
  }
  const m = (which, key) => median(results[which].map((r) => r[key]));
  const ours = { sync: m("ours", "syncMs"), evs: m("ours", "eventsPerSecond"), heap: m("ours", "heapPerObject") };
  const streaming = { sync: m("ours-streaming", "syncMs"), evs: m("ours-streaming", "eventsPerSecond"), heap: m("ours-streaming", "heapPerObject") };
  const cn = { sync: m("client-node", "syncMs"), evs: m("client-node", "eventsPerSecond"), heap: m("client-node", "heapPerObject") };
  const floorEvs = m("floor", "eventsPerSecond");
  const keepEvs = m("floor-keep", "eventsPerSecond");
  const section = [
    "## Informer (`npm run bench:informer`)",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} CPUs, Node ${process.version}; medians of ${ROUNDS} rounds, each client in its own process against a local replay server:`,
    `a list of ${OBJECTS.toLocaleString("en")} objects (${objectBytes} bytes of JSON each), then ${EVENTS.toLocaleString("en")} MODIFIED watch events. The floor splits the same watch bytes into lines and JSON.parses them, nothing else; "parse and keep" also keeps each object in a Map under its name, replacing the previous one, which is the least any cache does.`,
    "",
    "| | kube-codegen | @kubernetes/client-node makeInformer | ratio |",
    "|---|---:|---:|---:|",
    `| time to first sync | ${ours.sync.toFixed(0)} ms | ${cn.sync.toFixed(0)} ms | ${(cn.sync / ours.sync).toFixed(2)}× faster |`,
    `| time to first sync, streaming list (\`streamingList: true\`; client-node has none) | ${streaming.sync.toFixed(0)} ms | | ${(cn.sync / streaming.sync).toFixed(2)}× faster than client-node's list, ${(ours.sync / streaming.sync).toFixed(2)}× faster than our paged list |`,
    `| watch events per second | ${ours.evs.toFixed(0)} | ${cn.evs.toFixed(0)} | ${(ours.evs / cn.evs).toFixed(2)}× |`,
    `| heap per cached object | ${ours.heap.toFixed(0)} B (${(ours.heap / objectBytes).toFixed(2)}× its JSON) | ${cn.heap.toFixed(0)} B (${(cn.heap / objectBytes).toFixed(2)}× its JSON) | ${(ours.heap / cn.heap).toFixed(2)} |`,
    `| JSON.parse floor | ${floorEvs.toFixed(0)} ev/s | | ours at ${(floorEvs / ours.evs).toFixed(2)}× the floor's cost, client-node at ${(floorEvs / cn.evs).toFixed(2)}× |`,
    `| parse and keep in a Map | ${keepEvs.toFixed(0)} ev/s | | ours at ${(keepEvs / ours.evs).toFixed(2)}× its cost, client-node at ${(keepEvs / cn.evs).toFixed(2)}× |`,
    "",
    `Twice client-node's throughput would be ${(2 * cn.evs).toFixed(0)} ev/s: ${2 * cn.evs > Math.max(floorEvs, keepEvs) ? "more than either floor, so no informer that parses every event can reach it" : "within the floors"}.`,
    "Rounds on this shared machine vary by ±20 % (per-round figures on stderr); compare the ratios within one run, not across runs.",
    "",
  ].join("\n");
  const file = join(REPO, "BENCHMARKS.md");
  let text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const re = /## Informer \(`npm run bench:informer`\)[\s\S]*?(?=\n## |$)/;
  text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(file, text);
  console.log(section);
  console.log(`informer: ours ${ours.evs.toFixed(0)} ev/s, client-node ${cn.evs.toFixed(0)} ev/s (${(ours.evs / cn.evs).toFixed(2)}×), JSON.parse floor ${floorEvs.toFixed(0)} ev/s (ours at ${(floorEvs / ours.evs).toFixed(2)}× the floor), heap/object ours ${ours.heap.toFixed(0)} B, client-node ${cn.heap.toFixed(0)} B`);
}

await main();
