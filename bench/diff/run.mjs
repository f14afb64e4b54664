// `npm run bench:diff`: kube-codegen diff over every pair in ../shared/fixtures/crd-pairs (or
// KUBE_CODEGEN_SHARED), in process, split into loading, comparing, and finding the line of each
// finding. Median of BENCH_ROUNDS (default 3) rounds. No peer: crdify is a Go tool the module proxy
// refuses, and oasdiff is not on npm.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { diffCrds, loadCrds, readSources } from "../../generator/dist/index.js";

const repo = resolve(fileURLToPath(import.meta.url), "../../..");
const pairs = join(process.env.KUBE_CODEGEN_SHARED ?? resolve(repo, "../shared"), "fixtures/crd-pairs");
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const side = (dir) => ({ label: dir, crds: loadCrds(readSources([dir], { cwd: "/", readStdin: () => "" })).crds, hasFiles: true });

console.log("| pair | findings | load ms | compare ms | lines ms | total ms |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const pair of readdirSync(pairs, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
  const load = [], compare = [], lines = [];
  let findings = 0;
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    const before = side(join(pairs, pair, "old"));
    const after = side(join(pairs, pair, "new"));
    load.push(performance.now() - t);
    t = performance.now();
    diffCrds({ ...before, hasFiles: false }, { ...after, hasFiles: false });
    compare.push(performance.now() - t);
    t = performance.now();
    findings = diffCrds(before, after).findings.length;
    lines.push(performance.now() - t - compare.at(-1));
  }
  const [l, c, n] = [median(load), median(compare), median(lines)];
  console.log(`| ${pair} | ${findings} | ${l.toFixed(0)} | ${c.toFixed(0)} | ${Math.max(0, n).toFixed(0)} | ${(l + c + n).toFixed(0)} |`);
}
