import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isNotFound } from "@kube-codegen/runtime";
import { createClientset, type bookmarksV1, type Clientset } from "../../examples/service/src/generated/index.js";
import { runCli } from "../../generator/src/cli/run.js";
import { describeE2E } from "../support/e2e.js";
import { REPO } from "../support/paths.js";
import { SseClient } from "../support/sse.js";
import { tsc } from "../support/user-project.js";
import { adminRest, freshNamespace, installCrds } from "./support.js";

// examples/service, as its README runs it: built by `npm run build` (tsc 5.9), started as its own
// process against the real API server, called over HTTP.

const EXAMPLE = join(REPO, "examples/service");

describe("examples/service builds", () => {
  test("its generated clients are up to date with its CRD", async () => {
    let stderr = "";
    const code = await runCli(["generate", "--check"], { cwd: EXAMPLE, stdout: () => undefined, stderr: (t) => (stderr += t), readStdin: () => "" });
    expect(stderr).toMatch(/src\/generated is up to date/);
    expect(code).toBe(0);
  });

  test("it type-checks with tsc 7 too", () => {
    const r = tsc("ts7", EXAMPLE, ["--noEmit"]);
    expect(r.output).toBe("");
    expect(r.ok).toBe(true);
  }, 60_000);
});

/** The service as a child process, and the address it printed. */
async function startService(env: Record<string, string>): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(process.execPath, [join(EXAMPLE, "dist/main.js")], { env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start in 20 s:\n${output}`)), 20_000);
    child.stdout?.on("data", (c: Buffer) => {
      output += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`the service exited with ${code}:\n${output}`)));
  });
  return { child, base, output: () => output };
}

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const init: RequestInit = { method, headers: { "content-type": "application/json" } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describeE2E("examples/service against the real API server", (server) => {
  let cs: Clientset;
  let namespace = "";
  let service: Awaited<ReturnType<typeof startService>>;
  let events: SseClient;
  let added: { id: string | undefined } = { id: undefined };

  beforeAll(async () => {
    const rest = adminRest(server.kubeconfigPath);
    await installCrds(rest, [join(EXAMPLE, "crds/links.yaml")]);
    namespace = await freshNamespace(rest, "links");
    rest.close();
    cs = createClientset({ kubeconfigPath: server.kubeconfigPath, context: "admin" });
    service = await startService({ KUBECONFIG: server.kubeconfigPath, NAMESPACE: namespace });
  }, 60_000);

  afterAll(() => {
    events?.close();
    if (service?.child.exitCode === null) service.child.kill("SIGKILL");
    cs?.rest.close();
  });

  const links = (): bookmarksV1.LinkClient => cs.bookmarksV1.links(namespace);
  const spec = { url: "https://kubernetes.io/docs/", title: "Kubernetes docs", tags: ["docs", "k8s"] };

  test("GET /events opens a stream that starts with a snapshot of the links", async () => {
    events = new SseClient(`${service.base}/events`);
    expect(await events.status()).toBe(200);
    const snapshot = await events.next((e) => e.event === "snapshot");
    expect(events.events[0]).toBe(snapshot);
    expect(snapshot.data).toEqual({ items: [] });
    expect(snapshot.id).toMatch(/^\d+$/);
  });

  test("a body the generated validator refuses gets 422 with every problem, and nothing reaches the API server", async () => {
    const r = await call("POST", `${service.base}/links`, { name: "Bad_Name", spec: { url: "ftp://x", title: "", tags: ["a", "a"], colour: "red" }, extra: 1 });
    expect(r.status).toBe(422);
    const paths = (r.body["problems"] as { path: string }[]).map((p) => p.path).sort();
    expect(paths).toEqual([".extra", ".name", ".spec", ".spec.tags", ".spec.title", ".spec.url"]);
    expect((await links().list()).items).toEqual([]);
    expect(await call("POST", `${service.base}/links`, "{not json")).toMatchObject({ status: 400 });
  });

  test("POST /links creates the link through the typed client: it is in the API server, with the server's default filled in", async () => {
    const r = await call("POST", `${service.base}/links`, { name: "docs", spec });
    expect(r.status).toBe(201);
    const stored = await links().get("docs");
    expect(stored.spec).toEqual({ ...spec, visibility: "team" });
    expect(stored.metadata.uid).toBe((r.body["metadata"] as { uid: string }).uid);
    expect(await call("POST", `${service.base}/links`, { name: "docs", spec })).toMatchObject({ status: 409 });
  });

  test("the stream sends the new link as ADDED, with its resourceVersion as the event id", async () => {
    const ev = await events.next((e) => e.event === "ADDED");
    const link = ev.data as bookmarksV1.Link;
    expect(link.metadata.name).toBe("docs");
    expect(ev.id).toBe(link.metadata.resourceVersion);
    added = ev;
  });

  test("PUT /links/docs applies the spec server-side, as the service's field manager; the stream sends MODIFIED", async () => {
    const r = await call("PUT", `${service.base}/links/docs`, { spec: { url: spec.url, title: "The Kubernetes docs", visibility: "public" } });
    expect(r.status).toBe(200);
    const stored = await links().get("docs");
    // The tags were set by the create (its own managedFields entry, operation Update): an apply
    // that leaves them out does not take them away.
    expect(stored.spec).toEqual({ ...spec, title: "The Kubernetes docs", visibility: "public" });
    expect(stored.metadata.managedFields?.some((f) => f.manager === "links-service" && f.operation === "Apply")).toBe(true);
    const ev = await events.next((e) => e.event === "MODIFIED");
    expect((ev.data as bookmarksV1.Link).spec.title).toBe("The Kubernetes docs");
    // A field the apply owned and the next apply leaves out is removed (and the default comes back).
    expect(await call("PUT", `${service.base}/links/docs`, { spec: { url: spec.url, title: "The Kubernetes docs" } })).toMatchObject({ status: 200 });
    expect((await links().get("docs")).spec.visibility).toBe("team");
    expect(await call("PUT", `${service.base}/links/docs`, { spec: { url: "not a url", title: "x" } })).toMatchObject({ status: 422 });
  });

  test("GET /links/docs/status reads the status subresource a checker wrote", async () => {
    const current = await links().get("docs");
    await links().updateStatus({ ...current, status: { reachable: true, lastCheckTime: "2026-01-02T03:04:05Z", observedGeneration: current.metadata.generation ?? 0 } });
    const r = await call("GET", `${service.base}/links/docs/status`);
    expect(r).toEqual({ status: 200, body: { name: "docs", generation: current.metadata.generation, status: { reachable: true, lastCheckTime: "2026-01-02T03:04:05Z", observedGeneration: current.metadata.generation } } });
    expect(await call("GET", `${service.base}/links/missing/status`)).toMatchObject({ status: 404 });
    expect(await call("DELETE", `${service.base}/links/docs`)).toMatchObject({ status: 405 });
  });

  test("a client reconnecting with Last-Event-ID resumes from there, without a snapshot", async () => {
    const resumed = new SseClient(`${service.base}/events`, { "last-event-id": added.id ?? "" });
    try {
      const first = await resumed.next(() => true);
      expect(first.event).toBe("MODIFIED");
      expect((first.data as bookmarksV1.Link).spec.title).toBe("The Kubernetes docs");
    } finally {
      resumed.close();
    }
  });

  test("deleting the link in the API server reaches the stream as DELETED", async () => {
    await links().delete("docs");
    const ev = await events.next((e) => e.event === "DELETED");
    expect((ev.data as bookmarksV1.Link).metadata.name).toBe("docs");
    expect(isNotFound(await links().get("docs").catch((err: unknown) => err))).toBe(true);
  });

  test("SIGTERM ends the open event stream and the process exits by itself, with 0", async () => {
    const exited = new Promise<number | null>((resolve) => service.child.once("exit", (code) => resolve(code)));
    service.child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<string>((r) => (timer = setTimeout(() => r("still running after 5 s"), 5_000)))]);
    clearTimeout(timer);
    expect(code).toBe(0);
    await expect(events.next(() => false, 0, 5_000)).rejects.toThrow("the stream ended without the event");
  }, 20_000);
});
