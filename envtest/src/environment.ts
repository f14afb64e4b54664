import { createRestClient, type RestClient } from "@kube-codegen/runtime";
import { startApiServer, type ApiServer } from "./apiserver.js";
import { findBinaries, type Binaries } from "./binaries.js";
import { EnvtestError, installCrds, type CrdSource, type InstallCrdsOptions } from "./crds.js";

/** Options of {@link startEnvironment}. */
export interface EnvironmentOptions {
  /** CRDs to install before it resolves (files, directories, objects); it waits until they are served. */
  readonly crds?: readonly CrdSource[] | undefined;
  /** The binaries; default: `KUBE_APISERVER`/`ETCD`, then the cache, then a build (see `build`). */
  readonly binaries?: Binaries | undefined;
  /** Build kube-apiserver and etcd from the Go module proxy when they are missing (default true; needs Go). */
  readonly build?: boolean | undefined;
  /** Extra kube-apiserver flags, such as `--feature-gates=...`. */
  readonly apiserverArgs?: readonly string[] | undefined;
  /** Milliseconds to wait for the apiserver's /readyz (default 60 s). */
  readonly readyTimeoutMs?: number | undefined;
}

/** Who a client acts as: `admin` (system:masters) or `user` (authenticated, no RBAC permissions). */
export type EnvtestUser = "admin" | "user";

/**
 * A running test control plane: kube-apiserver and etcd on loopback, with a kubeconfig whose
 * contexts are `admin` and `user`.
 */
export interface Environment extends ApiServer {
  /** Connection options for `createClientset(...)` (or `createRestClient`) as `who` (default admin). */
  config(who?: EnvtestUser): { readonly kubeconfigPath: string; readonly context: EnvtestUser };
  /** A REST client as the admin (closed by `stop`). */
  readonly admin: RestClient;
  /** A REST client as the unprivileged user (closed by `stop`). */
  readonly user: RestClient;
  /** Installs more CRDs and waits until they are served. */
  installCrds(sources: readonly CrdSource[], options?: InstallCrdsOptions): Promise<string[]>;
}

/**
 * Starts kube-apiserver and etcd (finding or building the binaries), installs `crds`, and resolves
 * when everything is ready. Call `stop()` when done: it stops both processes and removes the data.
 */
export async function startEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  const binaries = options.binaries ?? findBinaries(options.build ?? true);
  if ("missing" in binaries) throw new EnvtestError(binaries.missing);
  const server = await startApiServer({ binaries, apiserverArgs: options.apiserverArgs ?? [], ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}) });
  const config = (who: EnvtestUser = "admin"): { kubeconfigPath: string; context: EnvtestUser } => ({ kubeconfigPath: server.kubeconfigPath, context: who });
  const admin = createRestClient(config("admin"));
  const user = createRestClient(config("user"));
  const env: Environment = {
    ...server,
    restart: () => server.restart(),
    compact: () => server.compact(),
    config,
    admin,
    user,
    installCrds: (sources, o) => installCrds(admin, sources, o),
    async stop() {
      admin.close();
      user.close();
      await server.stop();
    },
  };
  try {
    if (options.crds !== undefined && options.crds.length > 0) await env.installCrds(options.crds);
  } catch (err) {
    await env.stop();
    throw err;
  }
  return env;
}
