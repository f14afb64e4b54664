import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Binaries } from "./binaries.js";

/** Options of {@link startApiServer}. */
export interface ApiServerOptions {
  readonly binaries: Binaries;
  /** Extra kube-apiserver flags, such as `--watch-cache=false`. */
  readonly apiserverArgs?: readonly string[];
  /** Milliseconds to wait for /readyz. */
  readonly readyTimeoutMs?: number;
}

/** A running kube-apiserver with its etcd, on loopback. */
export interface ApiServer {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** A kubeconfig with contexts `admin` (current, system:masters) and `user` (no permissions). */
  readonly kubeconfigPath: string;
  readonly adminToken: string;
  readonly userToken: string;
  /** PEM of the CA that signed the serving certificate. */
  readonly caPem: string;
  readonly etcdUrl: string;
  /** Milliseconds from spawning the processes to /readyz answering ok. */
  readonly startupMs: number;
  /** Stops the apiserver and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Compacts etcd up to its current revision: older resource versions answer 410 Gone. */
  compact(): Promise<number>;
  /** Stops both processes and removes the data directory. */
  stop(): Promise<void>;
}

/** Free TCP ports on loopback, asked of the kernel. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import("node:net").Server>((resolve, reject) => {
      const s = createServer();
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => resolve(s));
    })),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === "object" && a !== null ? a.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${r.stderr}`);
}

/** A CA and a serving certificate for 127.0.0.1 and localhost. */
function makeCerts(dir: string): void {
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=kube-codegen-envtest-ca"], dir);
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "serving.key", "-out", "serving.csr", "-subj", "/CN=kube-apiserver"], dir);
  writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n");
  openssl(["x509", "-req", "-in", "serving.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "serving.crt", "-days", "2", "-extfile", "san.ext"], dir);
}

function kubeconfig(url: string, caPem: string, adminToken: string, userToken: string): string {
  const ca = Buffer.from(caPem).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "  - name: envtest",
    "    cluster:",
    `      server: ${url}`,
    `      certificate-authority-data: ${ca}`,
    "users:",
    "  - name: admin",
    "    user:",
    `      token: ${adminToken}`,
    "  - name: user",
    "    user:",
    `      token: ${userToken}`,
    "contexts:",
    "  - name: admin",
    "    context: { cluster: envtest, user: admin }",
    "  - name: user",
    "    context: { cluster: envtest, user: user }",
    "current-context: admin",
    "",
  ].join("\n");
}

/** Lines a process printed last, for error messages. */
class Tail {
  #lines: string[] = [];
  push(chunk: Buffer): void {
    this.#lines.push(...chunk.toString("utf8").split("\n").filter((l) => l !== ""));
    if (this.#lines.length > 40) this.#lines.splice(0, this.#lines.length - 40);
  }
  toString(): string {
    return this.#lines.join("\n");
  }
}

function spawnLogged(cmd: string, args: readonly string[], tail: Tail): ChildProcess {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (c: Buffer) => tail.push(c));
  child.stderr?.on("data", (c: Buffer) => tail.push(c));
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined) return;
  // 'close' (not 'exit'): the process has exited and its stdio pipes are closed too.
  const closed = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (child.stdout?.closed !== false && child.stderr?.closed !== false) resolve();
      else child.once("close", () => resolve());
      return;
    }
    child.once("close", () => resolve());
  });
  if (child.exitCode !== null || child.signalCode !== null) {
    await closed;
    return;
  }
  const exited = closed;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, proc: ChildProcess, tail: Tail): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode} before it was ready:\n${tail}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} was not ready after ${timeoutMs} ms:\n${tail}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An HTTPS GET trusting the envtest CA; resolves with status and body. */
export async function httpsRequest(url: string, options: { caPem: string; token?: string; method?: string; body?: unknown; contentType?: string }): Promise<{ status: number; body: string }> {
  const https = await import("node:https");
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token !== undefined) headers["authorization"] = `Bearer ${options.token}`;
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (payload !== undefined) headers["content-type"] = options.contentType ?? "application/json";
    const req = https.request(url, { method: options.method ?? "GET", ca: options.caPem, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.end(payload);
  });
}

/**
 * Starts etcd and kube-apiserver on random loopback ports with a temp data dir, self-signed
 * serving certificates, a service-account key pair, token authentication (an admin in
 * system:masters and an unprivileged user) and RBAC; waits for /readyz.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), "kcg-envtest-"));
  const started = Date.now();
  let etcd: ChildProcess | undefined;
  let apiserver: ChildProcess | undefined;
  try {
    makeCerts(dir);
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(join(dir, "sa.key"), privateKey.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(join(dir, "sa.pub"), publicKey.export({ type: "spki", format: "pem" }));
    const adminToken = randomBytes(24).toString("hex");
    const userToken = randomBytes(24).toString("hex");
    writeFileSync(join(dir, "tokens.csv"), `${adminToken},admin,admin-uid,"system:masters"\n${userToken},unprivileged,user-uid\n`);
    const caPem = readFileSync(join(dir, "ca.crt"), "utf8");
    const [etcdClient, etcdPeer, securePort] = await freePorts(3);
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const url = `https://127.0.0.1:${securePort}`;
    const kubeconfigPath = join(dir, "kubeconfig.yaml");
    writeFileSync(kubeconfigPath, kubeconfig(url, caPem, adminToken, userToken));

    const etcdTail = new Tail();
    etcd = spawnLogged(options.binaries.etcd, [
      "--name=envtest",
      `--data-dir=${join(dir, "etcd")}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=envtest=http://127.0.0.1:${etcdPeer}`,
      "--unsafe-no-fsync=true",
      "--log-level=error",
    ], etcdTail);
    const etcdProc = etcd;
    await waitFor("etcd", async () => (await fetch(`${etcdUrl}/health`)).ok, 20_000, etcdProc, etcdTail);

    const apiArgs = [
      `--etcd-servers=${etcdUrl}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${securePort}`,
      `--cert-dir=${join(dir, "certs")}`,
      `--tls-cert-file=${join(dir, "serving.crt")}`,
      `--tls-private-key-file=${join(dir, "serving.key")}`,
      `--client-ca-file=${join(dir, "ca.crt")}`,
      `--service-account-key-file=${join(dir, "sa.pub")}`,
      `--service-account-signing-key-file=${join(dir, "sa.key")}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--token-auth-file=${join(dir, "tokens.csv")}`,
      "--authorization-mode=RBAC",
      "--service-cluster-ip-range=10.0.0.0/24",
      "--disable-admission-plugins=ServiceAccount",
      "--allow-privileged=true",
      "--enable-priority-and-fairness=false",
      // Loopback cannot be a kubernetes Service endpoint; nothing here needs one.
      "--endpoint-reconciler-type=none",
      "--v=0",
      ...(options.apiserverArgs ?? []),
    ];
    const apiTail = new Tail();
    const readyTimeout = options.readyTimeoutMs ?? 60_000;
    const launch = async (): Promise<ChildProcess> => {
      const proc = spawnLogged(options.binaries.kubeApiserver, apiArgs, apiTail);
      apiserver = proc;
      await waitFor("kube-apiserver", async () => (await httpsRequest(`${url}/readyz`, { caPem, token: adminToken })).status === 200, readyTimeout, proc, apiTail);
      return proc;
    };
    await launch();
    // If the test process dies without calling stop(), take the children with it.
    const killOnExit = (): void => {
      apiserver?.kill("SIGKILL");
      etcd?.kill("SIGKILL");
    };
    process.once("exit", killOnExit);
    const startupMs = Date.now() - started;
    let stopped = false;
    const server: ApiServer = {
      url,
      kubeconfigPath,
      adminToken,
      userToken,
      caPem,
      etcdUrl,
      startupMs,
      async restart() {
        await stopProcess(apiserver);
        await launch();
      },
      async compact() {
        const range = await fetch(`${etcdUrl}/v3/kv/range`, { method: "POST", body: JSON.stringify({ key: Buffer.from("/").toString("base64") }) });
        const revision = Number(((await range.json()) as { header: { revision: string } }).header.revision);
        const res = await fetch(`${etcdUrl}/v3/kv/compaction`, { method: "POST", body: JSON.stringify({ revision: String(revision), physical: true }) });
        if (!res.ok) throw new Error(`etcd compaction failed: ${res.status} ${await res.text()}`);
        return revision;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        process.off("exit", killOnExit);
        await stopProcess(apiserver);
        await stopProcess(etcd);
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return server;
  } catch (err) {
    await stopProcess(apiserver);
    await stopProcess(etcd);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
