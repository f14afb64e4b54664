import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// Self-contained (no project imports): jest loads global setup through Node's own loader.
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Pinned versions; keep in step with build-binaries.sh. */
export const KUBE_VERSION = process.env["KUBE_VERSION"] ?? "1.37.1";
export const ETCD_VERSION = process.env["ETCD_VERSION"] ?? "3.6.16";

/** Where the two binaries are. */
export interface Binaries {
  readonly kubeApiserver: string;
  readonly etcd: string;
}

/**
 * Finds kube-apiserver and etcd: `KUBE_APISERVER` and `ETCD` first, then the cache, then (when Go
 * is installed and `build` is true) builds them with build-binaries.sh. Returns the reason when
 * they cannot be had.
 */
export function findBinaries(build: boolean): Binaries | { missing: string } {
  const envApi = process.env["KUBE_APISERVER"];
  const envEtcd = process.env["ETCD"];
  if (envApi !== undefined && envEtcd !== undefined) {
    if (!existsSync(envApi) || !existsSync(envEtcd)) return { missing: `KUBE_APISERVER=${envApi} or ETCD=${envEtcd} does not exist` };
    return { kubeApiserver: envApi, etcd: envEtcd };
  }
  const cacheRoot = process.env["KUBE_CODEGEN_CACHE"] ?? join(homedir(), ".cache/kube-codegen");
  const dir = join(cacheRoot, "envtest", `kube-${KUBE_VERSION}_etcd-${ETCD_VERSION}`);
  const cached = { kubeApiserver: join(dir, "kube-apiserver"), etcd: join(dir, "etcd") };
  if (existsSync(cached.kubeApiserver) && existsSync(cached.etcd)) return cached;
  const hasGo = spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
  if (!hasGo) {
    return { missing: "no kube-apiserver/etcd: install Go (they are built from the Go module proxy by test/envtest/build-binaries.sh) or set KUBE_APISERVER and ETCD" };
  }
  if (!build) return { missing: `binaries not built yet: run test/envtest/build-binaries.sh (cache: ${dir})` };
  const r = spawnSync("bash", [join(REPO, "test/envtest/build-binaries.sh")], { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0 || !existsSync(cached.kubeApiserver)) return { missing: `test/envtest/build-binaries.sh failed (exit ${String(r.status)})` };
  return cached;
}
