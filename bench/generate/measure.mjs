// Measuring helpers shared by the generation benchmarks.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Runs a command; returns wall seconds, CPU seconds (user + system) and peak RSS (MB) of it and its
 * children, and with `{ stdout: true }` what it printed (otherwise discarded).
 */
export function measure(cmd, args, cwd, { stdout = false } = {}) {
  const py = [
    "import json, resource, subprocess, sys, time",
    "t = time.perf_counter()",
    `r = subprocess.run(sys.argv[1:], stdout=${stdout ? "subprocess.PIPE" : "subprocess.DEVNULL"}, stderr=subprocess.PIPE)`,
    "e = time.perf_counter() - t",
    "ru = resource.getrusage(resource.RUSAGE_CHILDREN)",
    "print(json.dumps({'code': r.returncode, 'seconds': e, 'cpu_seconds': ru.ru_utime + ru.ru_stime, 'rss_mb': ru.ru_maxrss / 1024, 'stdout': (r.stdout or b'').decode(errors='replace'), 'stderr': r.stderr.decode(errors='replace')[-1500:]}))",
  ].join("\n");
  const r = spawnSync("python3", ["-c", py, cmd, ...args], { cwd, encoding: "utf8", maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`measuring ${cmd} failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split("\n").pop());
  if (m.code !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(" ")} exited ${m.code}: ${m.stderr}`);
  return m;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function dirSize(d) {
  let n = 0;
  for (const f of readdirSync(d, { recursive: true })) {
    const p = join(d, f);
    const st = statSync(p);
    if (st.isFile()) n += st.size;
  }
  return n;
}
