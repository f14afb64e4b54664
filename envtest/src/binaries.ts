import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** build-binaries.sh, at the package's root (beside src/ and dist/). */
export const BUILD_SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "build-binaries.sh");

/** Pinned versions (`KUBE_VERSION`, `ETCD_VERSION` override them); keep in step with build-binaries.sh. */
export const KUBE_VERSION = process.env["KUBE_VERSION"] ?? "1.37.1";
/** The etcd version (see {@link KUBE_VERSION}). */
export const ETCD_VERSION = process.env["ETCD_VERSION"] ?? "3.6.16";

/** Where the two binaries are: from `KUBE_APISERVER` and `ETCD`, the cache, or a build. */
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
    return { missing: "no kube-apiserver/etcd: install Go (they are built from the Go module proxy by ${BUILD_SCRIPT}) or set KUBE_APISERVER and ETCD" };
  }
  if (!build) return { missing: `binaries not built yet: run ${BUILD_SCRIPT} (cache: ${dir})` };
  const r = spawnSync("bash", [BUILD_SCRIPT], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, KUBE_VERSION, ETCD_VERSION } });
  if (r.status !== 0 || !existsSync(cached.kubeApiserver)) return { missing: `${BUILD_SCRIPT} failed (exit ${String(r.status)})` };
  return cached;
}
