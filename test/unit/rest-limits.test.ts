import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { ApiStatusError, createRestClient, isTransient, retry, TransportError, type RequestObservation } from "@kube-codegen/runtime";

let server: Server;
let url = "";
let answer = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(answer, { "content-type": "application/json" });
    res.end(answer === 200 ? "{}" : JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", code: answer, reason: "NotFound", message: "nope" }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: "l", server: url, skipTLSVerify: true }], users: [{ name: "u" }], contexts: [{ name: "c", cluster: "l", user: "u" }], currentContext: "c" });
  return kc;
}

describe("REST client: client-side rate limit and the request hook", () => {
  test("off by default: no request waits; with qps 20 and burst 2, the 3rd to 6th wait 50 ms more each in turn", async () => {
    const seen: RequestObservation[] = [];
    const free = createRestClient({ kubeConfig: kubeConfig(), onRequest: (o) => seen.push(o) });
    await Promise.all(Array.from({ length: 10 }, () => free.request({ verb: "get", method: "GET", path: "/api" })));
    expect(seen.every((o) => o.rateLimiterWaitSeconds === 0)).toBe(true);
    free.close();
    seen.length = 0;
    const limited = createRestClient({ kubeConfig: kubeConfig(), qps: 20, burst: 2, onRequest: (o) => seen.push(o) });
    await Promise.all(Array.from({ length: 6 }, () => limited.request({ verb: "list", method: "GET", path: "/api" })));
    const waits = seen.map((o) => o.rateLimiterWaitSeconds).sort((a, b) => a - b);
    expect(waits.slice(0, 2)).toEqual([0, 0]);
    expect(waits[5]).toBeGreaterThanOrEqual(0.19);
    limited.close();
  });

  test("an aborted wait rejects and gives its token back", async () => {
    const limited = createRestClient({ kubeConfig: kubeConfig(), qps: 1, burst: 1 });
    await limited.request({ verb: "get", method: "GET", path: "/api" });
    const ac = new AbortController();
    const p = limited.request({ verb: "get", method: "GET", path: "/api", signal: ac.signal });
    ac.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
    limited.close();
  });

  test("the hook sees verb, method, host and code: the status, or <error> when nothing answered", async () => {
    const seen: RequestObservation[] = [];
    const rest = createRestClient({ kubeConfig: kubeConfig(), onRequest: (o) => seen.push(o) });
    answer = 404;
    await expect(rest.request({ verb: "get", method: "GET", path: "/api/v1/namespaces/x" })).rejects.toBeInstanceOf(ApiStatusError);
    answer = 200;
    await rest.request({ verb: "create", method: "POST", path: "/api/v1/namespaces", body: {} });
    rest.close();
    const kc = kubeConfig();
    kc.clusters[0] = { ...kc.clusters[0]!, server: "http://127.0.0.1:1" };
    const refused = createRestClient({ kubeConfig: kc, onRequest: (o) => seen.push(o) });
    await expect(refused.request({ verb: "get", method: "GET", path: "/api" })).rejects.toBeInstanceOf(TransportError);
    refused.close();
    expect(seen.map(({ verb, method, code }) => `${verb} ${method} ${code}`)).toEqual(["get GET 404", "create POST 200", "get GET <error>"]);
    expect(seen[0]?.host).toBe(new URL(url).host);
    expect(seen.every((o) => o.durationSeconds >= 0)).toBe(true);
  });
});

describe("retry(fn, { backoff, retryIf })", () => {
  const status = (code: number): ApiStatusError => new ApiStatusError({ verb: "get", method: "GET", url: "/x" }, { kind: "Status", apiVersion: "v1", status: "Failure", code, reason: "X", message: "x" }, code, undefined);

  test("retries transient errors with growing delays, up to the steps, then throws the last error", async () => {
    const at: number[] = [];
    const t0 = performance.now();
    await expect(
      retry(async (n) => {
        at.push(performance.now() - t0);
        throw status(503 + (n === 3 ? 1 : 0));
      }, { backoff: { steps: 3, initialMs: 20, factor: 3, jitter: 0 } }),
    ).rejects.toMatchObject({ code: 504 });
    expect(at).toHaveLength(3);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(19);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(59);
  });

  test("an error retryIf refuses is thrown at once; success returns the value", async () => {
    let calls = 0;
    await expect(retry(async () => { calls++; throw status(404); })).rejects.toMatchObject({ code: 404 });
    expect(calls).toBe(1);
    expect(await retry(async (n) => { if (n < 3) throw new Error("flaky"); return n; }, { retryIf: () => true, backoff: { initialMs: 1 } })).toBe(3);
    expect(isTransient(status(429))).toBe(true);
    expect(isTransient(status(409))).toBe(false);
  });
});
