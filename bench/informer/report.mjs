// The "## Informer" section of BENCHMARKS.md, from one run of bench/informer/run.mjs: medians of
// the rounds, their spread, ratios taken round by round (clients of one round ran back to back),
// the targets of issue 20, and the agreement with the previous run of the same size.

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const int = (n) => Math.round(n).toLocaleString("en");
const mb = (b) => `${(b / 1e6).toFixed(0)} MB`;
const pct = (x) => `${(x * 100).toFixed(0)} %`;

/** Median and spread ((max - min) / median) of one figure of one client. */
function stat(results, which, key) {
  const xs = results[which].map((r) => r[key]);
  const m = median(xs);
  return { m, spread: m === 0 ? 0 : (Math.max(...xs) - Math.min(...xs)) / m };
}

/** The median over rounds of a ratio computed within each round. */
function ratio(results, a, keyA, b, keyB = keyA) {
  return median(results[a].map((r, k) => r[keyA] / results[b][k][keyB]));
}

const MARK = "<!-- informer-run ";

/** Renders the section; `previous` is the section it replaces (for the run-to-run agreement). */
export function renderSection({ results, objects, events, rounds, warmup, payloads, previous, load, cpus, node }) {
  const s = (which, key) => stat(results, which, key);
  const fmt = (which, key, f = int) => {
    const x = s(which, key);
    return `${f(x.m)} (±${pct(x.spread / 2)})`;
  };
  const us = (x) => x.toFixed(1);
  const elu = (x) => x.toFixed(2);
  const syncRatio = ratio(results, "client-node", "syncMs", "ours", "syncMs");
  const pagedRatio = ratio(results, "client-node", "syncMs", "ours-paged", "syncMs");
  const heapRatio = ratio(results, "ours", "heapAfterSync", "client-node", "heapAfterSync");
  const keepCost = ratio(results, "floor-keep", "eventsPerSecond", "ours", "eventsPerSecond");
  const keepCpu = ratio(results, "ours", "cpuUsPerEvent", "floor-keep", "cpuUsPerEvent");
  const metaPerObject = s("ours-metadata", "heapPerObject").m;
  const perObject = s("ours", "heapPerObject").m;
  const keptPerObject = s("ours-managedfields", "heapPerObject").m;
  const cnPerObject = s("client-node", "heapPerObject").m;
  const met = (ok) => (ok ? "met" : "**not met**");
  const server = (key) => s("server", key).m;
  const figures = {
    objects, events,
    oursSyncMs: s("ours", "syncMs").m, pagedSyncMs: s("ours-paged", "syncMs").m, clientNodeSyncMs: s("client-node", "syncMs").m,
    oursHeap: s("ours", "heapAfterSync").m, clientNodeHeap: s("client-node", "heapAfterSync").m, metadataPerObject: metaPerObject,
    oursEvs: s("ours", "eventsPerSecond").m, keepEvs: s("floor-keep", "eventsPerSecond").m, keepCost,
  };
  const lines = [
    "## Informer (`npm run bench:informer`)",
    "",
    `\`npm run bench:informer -- --objects ${objects} --events ${events} --rounds ${rounds}\`, measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus} CPUs shared with other developers (load average ${load[0].map((x) => x.toFixed(1)).join(" / ")} before, ${load[1].map((x) => x.toFixed(1)).join(" / ")} after), Node ${node}.`,
    `Each client runs in its own process (\`--expose-gc\`) against a local replay server that serialised everything beforehand: a namespaced list of ${int(objects)} Pod-like custom resources of ${int(payloads.objectBytes)} bytes of JSON each, \`metadata.managedFields\` included (two entries, kube-controller-manager's and the kubelet's, in a real Pod's FieldsV1 layout; the metadata alone is ${int(payloads.metadataBytes)} bytes as PartialObjectMetadata), then ${int(events)} MODIFIED events on the watch, then a 410 that makes every client relist (the relist finds the objects as the events left them: no differences to deliver).`,
    `${warmup} warm-up round${warmup === 1 ? "" : "s"}, then ${rounds} rounds; in each round every client runs once, back to back, in an order that rotates from round to round. Figures are medians with ± half the spread (max − min) over the median; ratios are medians of the ratios within each round. Heap is \`heapUsed\` after two forced GCs, minus the same before the informer started; CPU is \`process.cpuUsage\` (user + system) of the client process; ELU is \`performance.eventLoopUtilization\` over the watch.`,
    `"ours" is the factory's default configuration: full objects, a streaming list (\`streamingList\`, on by default as in client-go 1.35; \`false\` lists in pages of 500), managedFields dropped before caching (\`stripManagedFields\`, on by default; \`false\` keeps them), strings of metadata shared (\`internStrings: "metadata"\`). client-node's makeInformer lists in one unpaged request (it has no paging and no streaming list).`,
    "",
    "| | kube-codegen | @kubernetes/client-node makeInformer | ratio | target |",
    "|---|---:|---:|---:|---|",
    `| time to first sync, streaming list (the default) | ${fmt("ours", "syncMs")} ms | ${fmt("client-node", "syncMs")} ms | ${syncRatio.toFixed(2)}× faster | ≥ 1.5×: ${met(syncRatio >= 1.5)} |`,
    `| time to first sync, paged list (\`streamingList: false\`, 500 per page) | ${fmt("ours-paged", "syncMs")} ms | | ${pagedRatio.toFixed(2)}× faster | ≥ 1.5×: ${met(pagedRatio >= 1.5)} |`,
    `| CPU time of the sync | ${fmt("ours", "syncCpuMs")} ms (paged: ${int(s("ours-paged", "syncCpuMs").m)} ms) | ${fmt("client-node", "syncCpuMs")} ms | ${ratio(results, "client-node", "syncCpuMs", "ours", "syncCpuMs").toFixed(2)}× less | |`,
    `| heap after sync | ${fmt("ours", "heapAfterSync", mb)} | ${fmt("client-node", "heapAfterSync", mb)} | ${heapRatio.toFixed(2)}× | ≤ 0.7×: ${met(heapRatio <= 0.7)} |`,
    `| heap per cached object | ${int(perObject)} B (${(perObject / payloads.objectBytes).toFixed(2)}× its JSON) | ${int(cnPerObject)} B (${(cnPerObject / payloads.objectBytes).toFixed(2)}× its JSON) | | |`,
    `| watch events per second | ${fmt("ours", "eventsPerSecond")} | ${fmt("client-node", "eventsPerSecond")} | ${ratio(results, "ours", "eventsPerSecond", "client-node", "eventsPerSecond").toFixed(2)}× | |`,
    `| CPU per watch event | ${us(s("ours", "cpuUsPerEvent").m)} µs | ${us(s("client-node", "cpuUsPerEvent").m)} µs | ${ratio(results, "client-node", "cpuUsPerEvent", "ours", "cpuUsPerEvent").toFixed(2)}× less | |`,
    `| event-loop utilisation during the watch | ${elu(s("ours", "watchElu").m)} | ${elu(s("client-node", "watchElu").m)} | | |`,
    `| relist after a 410: time to resynced | ${fmt("ours", "relistMs")} ms (paged: ${int(s("ours-paged", "relistMs").m)} ms) | ${fmt("client-node", "relistMs")} ms | ${ratio(results, "client-node", "relistMs", "ours", "relistMs").toFixed(2)}× faster | |`,
    `| relist: peak heap over the settled cache | ${mb(s("ours", "relistPeakOverHeap").m)} (paged: ${mb(s("ours-paged", "relistPeakOverHeap").m)}) | ${mb(s("client-node", "relistPeakOverHeap").m)} | | |`,
    `| relist: notifications delivered | ${s("ours", "relistNotifications").m} | ${s("client-node", "relistNotifications").m} | | 0 |`,
    "",
    "What each memory option saves (same run, heap per cached object; a namespace, label selector or field selector saves the whole figure for every object it keeps out of the cache):",
    "",
    "| configuration | heap per object | saves | target |",
    "|---|---:|---:|---|",
    `| full objects, managedFields kept (\`stripManagedFields: false\`) | ${int(keptPerObject)} B | | |`,
    `| full objects, managedFields dropped (the default) | ${int(perObject)} B | ${int(keptPerObject - perObject)} B | |`,
    `| metadata-only (\`metadataInformerFor\`, managedFields dropped) | ${int(metaPerObject)} B | ${int(perObject - metaPerObject)} B more | ≤ 600 B: ${met(metaPerObject <= 600)} |`,
    `| metadata-only: time to first sync, events per second | ${int(s("ours-metadata", "syncMs").m)} ms, ${int(s("ours-metadata", "eventsPerSecond").m)} ev/s | | |`,
    "",
    "The floors parse the same watch bytes in one process, from memory (no socket): \"JSON.parse\" splits them into lines and parses each; \"parse and keep\" also keeps each object in a Map of the same objects under its name, the least any cache does.",
    "",
    "| | events per second | CPU per event | ours against it | target |",
    "|---|---:|---:|---:|---|",
    `| JSON.parse floor | ${fmt("floor", "eventsPerSecond")} | ${us(s("floor", "cpuUsPerEvent").m)} µs | ${ratio(results, "floor", "eventsPerSecond", "ours", "eventsPerSecond").toFixed(2)}× its cost | |`,
    `| parse and keep in a Map | ${fmt("floor-keep", "eventsPerSecond")} | ${us(s("floor-keep", "cpuUsPerEvent").m)} µs | ${keepCost.toFixed(2)}× its cost (CPU: ${keepCpu.toFixed(2)}×) | ≤ 1.15×: ${met(keepCost <= 1.15)} |`,
    "",
    `The replay server alone (a bare node:http client that reads and drops every byte): the paged list in ${int(server("pagedMs"))} ms (${(server("pagedBytes") / server("pagedMs") / 1e3).toFixed(0)} MB/s), the whole list in ${int(server("wholeMs"))} ms, the streaming list's initial events in ${int(server("streamingMs"))} ms, the watch events in ${int(server("watchMs"))} ms (${int(events / (server("watchMs") / 1000))} ev/s): ${pct(server("streamingMs") / figures.oursSyncMs)} of our (streaming) sync, ${pct(server("pagedMs") / figures.pagedSyncMs)} of our paged sync, ${pct(server("wholeMs") / figures.clientNodeSyncMs)} of client-node's, ${pct(server("watchMs") / (events / figures.oursEvs * 1000))} of our watch time, so the server is not what is measured.`,
  ];
  const agreement = compare(previous, figures);
  if (agreement !== undefined) lines.push("", agreement);
  lines.push("", `${MARK}${JSON.stringify(figures)} -->`, "");
  const line = `informer: ${objects} objects, sync ours ${int(figures.oursSyncMs)} ms vs client-node ${int(figures.clientNodeSyncMs)} ms (${syncRatio.toFixed(2)}×), heap ${heapRatio.toFixed(2)}× client-node's, metadata-only ${int(metaPerObject)} B/object, ours at ${keepCost.toFixed(2)}× parse-and-keep's cost`;
  return { section: lines.join("\n"), line };
}

/** How this run's medians compare with the previous run of the same size (from its hidden line). */
function compare(previous, now) {
  const at = previous?.indexOf(MARK) ?? -1;
  if (at === -1) return undefined;
  let before;
  try {
    before = JSON.parse(previous.slice(at + MARK.length, previous.indexOf(" -->", at)));
  } catch {
    return undefined;
  }
  if (before.objects !== now.objects || before.events !== now.events) return undefined;
  const keys = { oursSyncMs: "our sync", pagedSyncMs: "our paged sync", clientNodeSyncMs: "client-node's sync", oursHeap: "our heap", clientNodeHeap: "client-node's heap", metadataPerObject: "metadata-only heap per object", oursEvs: "our events/s", keepEvs: "parse-and-keep events/s", keepCost: "ours against parse-and-keep" };
  const diffs = Object.entries(keys).map(([k, label]) => ({ label, d: now[k] / before[k] - 1, was: before[k], is: now[k] }));
  const worst = Math.max(...diffs.map((x) => Math.abs(x.d)));
  return `Against the previous run of the same size (the figures this section replaced): ${diffs.map((x) => `${x.label} ${x.d >= 0 ? "+" : ""}${(x.d * 100).toFixed(1)} %`).join(", ")}; the largest difference is ${(worst * 100).toFixed(1)} % (${worst <= 0.1 ? "within" : "**outside**"} 10 %).`;
}
