import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createClientset, type Clientset } from "@kube-codegen/api";
import { describeE2E } from "../support/e2e.js";
import { REPO } from "../support/paths.js";
import { startReplica, until, type Replica } from "./manager-support.js";
import { freshNamespace } from "./support.js";

// CONTROLLER.md §6 item 9: graceful shutdown during a long reconcile, in a child process that owns
// its process (handleSignals) and must exit by itself after SIGTERM — no socket, timer or server
// left behind. Lease 3 s / renew 2 s / retry 0.5 s.

interface Line {
  readonly at: number;
  readonly event: string;
  readonly name?: string;
  readonly aborted?: boolean;
}

interface Child {
  readonly lines: Line[];
  readonly exited: Promise<{ code: number | null; signal: string | null; at: number }>;
  kill(signal: NodeJS.Signals): void;
}

function runChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [join(REPO, "test/support/manager-child.mjs")], { cwd: REPO, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const lines: Line[] = [];
  let buf = "";
  child.stdout.on("data", (c: Buffer) => {
    buf += c.toString();
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      lines.push(JSON.parse(buf.slice(0, i)) as Line);
      buf = buf.slice(i + 1);
    }
  });
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((r) => child.on("exit", (code, signal) => r({ code, signal, at: Date.now() })));
  return { lines, exited, kill: (s) => child.kill(s) };
}

describeE2E("manager: graceful shutdown in a child process", (server) => {
  let cs: Clientset;
  const others: Replica[] = [];

  beforeAll(() => {
    cs = createClientset({ kubeconfigPath: server.kubeconfigPath, context: "admin" });
  });
  afterAll(async () => {
    for (const r of others) r.stop.abort();
    await Promise.all(others.map((r) => r.done));
    cs.rest.close();
  });

  const exitsBySelf = async (c: Child, withinMs: number): Promise<{ code: number | null; at: number }> => {
    const timer = setTimeout(() => c.kill("SIGKILL"), withinMs);
    const r = await c.exited;
    clearTimeout(timer);
    expect(r.signal).toBeNull(); // not killed by the test
    return r;
  };

  test("SIGTERM during a 2 s reconcile: it completes and writes, the lease is released, the process exits by itself", async () => {
    const ns = await freshNamespace(cs.rest, "shutdown");
    await cs.coreV1.configMaps(ns).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "slow" }, data: {} });
    const child = runChild({ KUBECONFIG_PATH: server.kubeconfigPath, NAMESPACE: ns, LEASE: "graceful", RECONCILE_MS: "2000", GRACE_MS: "30000", IDENTITY: "child-1" });
    const started = await until("the reconcile starts", () => child.lines.find((l) => l.event === "reconcile-start"), 30_000);
    child.kill("SIGTERM");
    const sent = Date.now();
    const { code, at } = await exitsBySelf(child, 20_000);
    expect(code).toBe(0);
    const end = child.lines.find((l) => l.event === "reconcile-end");
    expect(end).toMatchObject({ name: "slow", aborted: false });
    expect((end?.at ?? 0) - started.at).toBeGreaterThanOrEqual(1_900);
    expect(child.lines.at(-1)?.event).toBe("stopped");
    process.stderr.write(`manager e2e: child exited ${at - sent} ms after SIGTERM (reconcile ended ${(end?.at ?? 0) - sent} ms after it)\n`);
    expect((await cs.coreV1.configMaps(ns).get("slow")).data?.["done"]).toBe("child-1");
    expect((await cs.coordinationV1.leases(ns).get("graceful")).spec?.holderIdentity).toBe("");
  }, 60_000);

  test("a reconcile longer than the graceful timeout is aborted at the timeout; the next leader reconciles the key at once", async () => {
    const ns = await freshNamespace(cs.rest, "shutdown");
    await cs.coreV1.configMaps(ns).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "slow" }, data: {} });
    const child = runChild({ KUBECONFIG_PATH: server.kubeconfigPath, NAMESPACE: ns, LEASE: "timeout", RECONCILE_MS: "60000", GRACE_MS: "1000", IDENTITY: "child-2" });
    await until("the reconcile starts", () => child.lines.find((l) => l.event === "reconcile-start"), 30_000);
    const next = startReplica("next", { kubeconfigPath: server.kubeconfigPath, context: "admin" }, ns, { id: "timeout" });
    others.push(next);
    await until("next's caches", () => next.manager.synced);
    child.kill("SIGTERM");
    const sent = Date.now();
    const { code } = await exitsBySelf(child, 20_000);
    expect(code).toBe(0);
    const end = child.lines.find((l) => l.event === "reconcile-end");
    expect(end).toMatchObject({ name: "slow", aborted: true });
    expect((end?.at ?? 0) - sent).toBeGreaterThanOrEqual(900);
    expect((end?.at ?? 0) - sent).toBeLessThan(3_000);
    expect((await cs.coreV1.configMaps(ns).get("slow")).data?.["done"]).toBeUndefined();
    await until("next leads and reconciles the key", async () => (await cs.coreV1.configMaps(ns).get("slow")).data?.["writer"] === "next", 10_000);
    expect((next.acquiredAt ?? 0) - sent).toBeLessThan(3_000 + 2_000); // released: no lease to wait out
    expect((await cs.coordinationV1.leases(ns).get("timeout")).spec).toMatchObject({ holderIdentity: "next", leaseTransitions: 1 });
  }, 60_000);
});
