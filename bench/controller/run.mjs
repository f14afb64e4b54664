// Controller benchmark: `npm run bench:controller`. The same operator logic (an Item → a ConfigMap
// it owns and a status patch) in three peers, each in its own process against its own fresh test
// apiserver, interleaved round by round: ours (generated client + @kube-codegen/api + the runtime's
// controller), a Go controller-runtime operator, and client-node's makeInformer with a small queue.
// The load generator (this process) creates 2,000 Items at once and watches for their status.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";
import { findBinaries, httpsRequest, startApiServer } from "@kube-codegen/envtest";
import { measureItems } from "./load.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "../..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 2000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
// "lifted": no client-side rate limit in any peer (ours and client-node have none; controller-runtime's
// GetConfig sets client-go's QPS to -1). "20/30": controller-runtime's client at 20 QPS, burst 30
// (client-go's old controller defaults); ours and client-node have no such limiter.
const LIMITS = process.env.BENCH_LIMITS ?? "lifted";
const GO_BIN = join(REPO, "bench/.peers/controller-go/operator");
const PEERS = (process.env.BENCH_PEERS ?? "ours,controller-runtime,client-node").split(",");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function buildGo() {
  const r = spawnSync("go", ["build", "-o", GO_BIN, "."], { cwd: join(HERE, "go"), stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error("go build of bench/controller/go failed");
  const v = spawnSync("go", ["list", "-m", "-f", "{{.Version}}", "sigs.k8s.io/controller-runtime", "k8s.io/client-go"], { cwd: join(HERE, "go"), encoding: "utf8" });
  return v.stdout.trim().split("\n");
}

function command(peer) {
  if (peer === "ours") return [process.execPath, [...(process.env.BENCH_PROF === peer ? ["--cpu-prof", "--cpu-prof-dir=/tmp/ctrlprof"] : []), join(REPO, "bench/.out/controller/main.js")]];
  if (peer === "client-node") return [process.execPath, [...(process.env.BENCH_PROF === peer ? ["--cpu-prof", "--cpu-prof-dir=/tmp/ctrlprof"] : []), join(HERE, "client-node.mjs")]];
  return [GO_BIN, []];
}

/** CPU seconds (user + system) and peak RSS of a live process, from /proc. */
function procStats(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return { cpuSeconds: ticks / CLK_TCK, peakRssMb: Number(hwm?.[1] ?? 0) / 1024 };
}
const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim() || 100);

async function installCrd(server) {
  const crd = yaml.load(readFileSync(join(HERE, "crds/item.yaml"), "utf8"));
  const base = `${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`;
  const r = await httpsRequest(base, { caPem: server.caPem, token: server.adminToken, method: "POST", body: crd });
  if (r.status !== 201) throw new Error(`CRD: ${r.status} ${r.body}`);
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((res) => setTimeout(res, 100))) {
    const got = JSON.parse((await httpsRequest(`${base}/${crd.metadata.name}`, { caPem: server.caPem, token: server.adminToken })).body);
    if (got.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) {
      // Established can come a moment before the resource is served.
      const probe = await httpsRequest(`${server.url}/apis/bench.kube-codegen.dev/v1/items`, { caPem: server.caPem, token: server.adminToken });
      if (probe.status === 200) break;
    }
  }
  const ns = await httpsRequest(`${server.url}/api/v1/namespaces`, { caPem: server.caPem, token: server.adminToken, method: "POST", body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "bench" } } });
  if (ns.status !== 201) throw new Error(`namespace: ${ns.status} ${ns.body}`);
}

async function runOne(peer, binaries) {
  const server = await startApiServer({ binaries });
  let child;
  try {
    await installCrd(server);
    const [cmd, args] = command(peer);
    const env = { ...process.env, KUBECONFIG: server.kubeconfigPath, BENCH_WORKERS: String(WORKERS), ...(LIMITS === "lifted" ? {} : { BENCH_QPS: LIMITS.split("/")[0], BENCH_BURST: LIMITS.split("/")[1] }) };
    child = spawn(cmd, args, { env, cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c) => {
      stderr += c;
      if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
    });
    const exited = new Promise((res) => child.once("exit", (code, sig) => res({ code, sig })));
    let readyTimer;
    await Promise.race([
      new Promise((res) => child.stdout.on("data", (c) => String(c).includes("ready") && res())),
      exited.then(({ code }) => Promise.reject(new Error(`${peer} exited ${code} before ready:\n${stderr}`))),
      new Promise((_, rej) => (readyTimer = setTimeout(() => rej(new Error(`${peer} not ready after 60 s:\n${stderr}`)), 60_000))),
    ]).finally(() => clearTimeout(readyTimer));
    const atReady = procStats(child.pid);
    const m = await measureItems(server, ITEMS);
    const atEnd = procStats(child.pid);
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(t);
    child = undefined;
    const failures = (stderr.match(/failed|error/gi) ?? []).length;
    return { ...m, cpuSeconds: atEnd.cpuSeconds - atReady.cpuSeconds, cpuTotal: atEnd.cpuSeconds, peakRssMb: atEnd.peakRssMb, logLines: failures };
  } finally {
    if (child !== undefined) child.kill("SIGKILL");
    await server.stop();
  }
}

async function main() {
  const binaries = findBinaries(false);
  if ("missing" in binaries) throw new Error(binaries.missing);
  if (!existsSync(join(REPO, "bench/.out/controller/main.js"))) throw new Error("build ours first: npx tsc -p bench/controller/ours (npm run bench:controller does)");
  const [crVersion, clientGoVersion] = PEERS.includes("controller-runtime") ? buildGo() : [];
  const cnVersion = JSON.parse(readFileSync(join(REPO, "node_modules/@kubernetes/client-node/package.json"), "utf8")).version;
  const results = Object.fromEntries(PEERS.map((p) => [p, []]));
  const loads = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round: no peer always runs first (on the coolest machine).
    const order = PEERS.map((_, i) => PEERS[(i + round) % PEERS.length]);
    for (const peer of order) {
      const r = await runOne(peer, binaries);
      loads.push(os.loadavg()[0]);
      results[peer].push(r);
      process.stderr.write(`[bench] round ${round + 1} ${peer}: all ready ${r.allReadyMs.toFixed(0)} ms, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, cpu ${r.cpuSeconds.toFixed(2)} s (total ${r.cpuTotal.toFixed(2)}), rss ${r.peakRssMb.toFixed(0)} MB, creates ${r.createMs.toFixed(0)} ms, configmaps ${r.configMaps}, writes ${JSON.stringify(r.writes)}, log lines with errors ${r.logLines}, load ${os.loadavg()[0].toFixed(1)}\n`);
    }
  }
  const agg = (peer) => {
    const rs = results[peer];
    const m = (k) => median(rs.map((r) => r[k]));
    return { allReadyMs: m("allReadyMs"), p50: m("p50"), p99: m("p99"), cpuSeconds: m("cpuSeconds"), peakRssMb: m("peakRssMb"), runs: rs.length };
  };
  const a = Object.fromEntries(PEERS.map((p) => [p, agg(p)]));
  const base = a["controller-runtime"] ?? a[PEERS[0]];
  const label = {
    ours: "kube-codegen controller",
    "controller-runtime": `controller-runtime ${crVersion ?? ""} (client-go ${clientGoVersion ?? ""}, Go ${spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8" }).stdout.trim()})`,
    "client-node": `@kubernetes/client-node ${cnVersion} makeInformer + a queue`,
  };
  const rows = PEERS.map((p) => `| ${label[p]} | ${(a[p].allReadyMs / 1000).toFixed(2)} | ${(a[p].allReadyMs / base.allReadyMs).toFixed(2)}× | ${a[p].p50.toFixed(0)} | ${a[p].p99.toFixed(0)} | ${a[p].cpuSeconds.toFixed(2)} | ${(a[p].cpuSeconds / base.cpuSeconds).toFixed(2)}× | ${a[p].peakRssMb.toFixed(0)} | ${(a[p].peakRssMb / base.peakRssMb).toFixed(2)}× | ${a[p].runs} |`);
  const knobs = [...(LIMITS === "lifted" ? [] : [`BENCH_LIMITS=${LIMITS}`]), ...(WORKERS === 4 ? [] : [`BENCH_WORKERS=${WORKERS}`])];
  const heading = `## Controller (\`npm run bench:controller\`${knobs.map((k) => `, ${k}`).join("")})`;
  const section = [
    heading,
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), Node ${process.version}, kube-apiserver ${spawnSync(binaries.kubeApiserver, ["--version"], { encoding: "utf8" }).stdout.trim().replace(/^Kubernetes /, "")}; medians of ${ROUNDS} rounds, the peers interleaved (order rotated each round), load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} during the runs.`,
    `Each peer runs in its own process against its own fresh apiserver (etcd and kube-apiserver on loopback, started anew for every run), with ${WORKERS} workers (\`maxConcurrentReconciles\`), watching Items and ConfigMaps in all namespaces; once it says its caches are synced, this process creates ${ITEMS.toLocaleString("en")} Items (\`bench.kube-codegen.dev/v1\`, 50 creates in flight) and watches them.`,
    "The reconcile is the same in all three: the Item from the cache; its ConfigMap from the cache, created (with a controller owner reference) when absent, updated when its data differs; then, unless the cached status already says so, a merge patch of the status subresource `{ready: true, observedGeneration}`. `for` Items with a generation-changed filter, `owns` ConfigMaps.",
    LIMITS === "lifted"
      ? "No client-side rate limit in any peer, each at its default: ours and client-node have none, and controller-runtime's `ctrl.GetConfig()` sets client-go's `QPS` to -1 (no limiter; it relies on the server's priority and fairness; a bare client-go `rest.Config` would get 5 QPS / burst 10, older controller-runtime 20 / 30). The apiserver runs with its defaults (400 read / 200 mutating requests in flight; priority and fairness off, as in envtest)."
      : `controller-runtime's client limited to ${LIMITS.split("/")[0]} QPS, burst ${LIMITS.split("/")[1]}; ours and client-node have no client-side limiter.`,
    "All ready: from the first create sent to the last Item seen by the watch with `status.ready` and the current `observedGeneration`. Latency: from an Item's create response to that watch event. CPU: the operator's user + system seconds from /proc/<pid>/stat between caches synced and all ready (start-up and the initial list excluded); RSS: its VmHWM (peak, start-up included). Ratios against controller-runtime.",
    "`npm run bench:controller` builds the packages, compiles bench/controller/ours (the generated client of bench/controller/crds/item.yaml and main.ts) and builds the Go peer from bench/controller/go into bench/.peers; it needs Go and the cached test apiserver (envtest/build-binaries.sh). Knobs: `BENCH_ROUNDS` (default 3), `BENCH_ITEMS` (2000), `BENCH_WORKERS` (4), `BENCH_PEERS`, `BENCH_LIMITS=20/30` (a client-side limit for controller-runtime), `BENCH_PROF=ours|client-node` (a CPU profile).",
    "",
    "| operator | all ready s | vs controller-runtime | p50 ms | p99 ms | CPU s | vs controller-runtime | peak RSS MB | vs controller-runtime | runs |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
  ];
  if (a.ours && a["controller-runtime"] && a["client-node"]) {
    // The ratio of each round (the two ran minutes apart on the same machine), then its median.
    const perRound = results.ours.map((o, i) => o.allReadyMs / results["controller-runtime"][i].allReadyMs);
    const r = median(perRound);
    section.push(`Target (all ready within 1.2× of controller-runtime, ahead of client-node): ${r <= 1.2 && a.ours.allReadyMs < a["client-node"].allReadyMs ? "met" : "missed"} — ours at ${r.toFixed(2)}× controller-runtime's time (median of the per-round ratios ${perRound.map((x) => x.toFixed(2)).join(", ")}; the table's ${(a.ours.allReadyMs / a["controller-runtime"].allReadyMs).toFixed(2)}× is the ratio of the medians) and ${(a["client-node"].allReadyMs / a.ours.allReadyMs).toFixed(2)}× faster than client-node; ours uses ${(a.ours.cpuSeconds / a["controller-runtime"].cpuSeconds).toFixed(1)}× controller-runtime's CPU and ${(a.ours.peakRssMb / a["controller-runtime"].peakRssMb).toFixed(1)}× its peak RSS.`, "");
  }
  section.push("Per-run figures on stderr. The machine is shared (2 cores for the apiserver, etcd, the operator and the load generator): compare the ratios within one run.", "");
  const text = section.join("\n");
  const file = join(REPO, "BENCHMARKS.md");
  let md = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const esc = heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`${esc}[\\s\\S]*?(?=\\n## |$)`);
  md = re.test(md) ? md.replace(re, text) : `${md.trimEnd()}\n\n${text}`;
  if (process.env.BENCH_WRITE !== "0") writeFileSync(file, md);
  console.log(text);
}

await main();
