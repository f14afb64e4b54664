import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import {
  ApiStatusError,
  TransportError,
  WatchDecodeError,
  WatchStalledError,
  createResourceClient,
  createRestClient,
  isGone,
  isTooManyRequests,
  type KubeObject,
  type ResourceDescriptor,
  type RestClient,
  type WatchEvent,
} from "@kube-codegen/runtime";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end();
const seen: { method: string; url: string; headers: IncomingMessage["headers"] }[] = [];
let server: Server;
let url = "";
const TOKEN = "s3cr3t-token-value";

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  seen.length = 0;
  server.closeAllConnections();
});

function rest(options: { timeoutMs?: number; watchInactivityTimeoutMs?: number; maxRetries?: number } = {}): RestClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "local", server: url, skipTLSVerify: true }],
    users: [{ name: "u", token: TOKEN }],
    contexts: [{ name: "c", cluster: "local", user: "u" }],
    currentContext: "c",
  });
  return createRestClient({ kubeConfig: kc, ...options });
}

const thing = {
  group: "t.example.com",
  version: "v1",
  kind: "Thing",
  listKind: "ThingList",
  plural: "things",
  singular: "thing",
  shortNames: [],
  categories: [],
  scope: "Namespaced",
  subresources: {},
} as const satisfies ResourceDescriptor;
interface ThingKind {
  object: KubeObject & { spec?: { text?: string } };
  list: { metadata: { resourceVersion?: string }; items: (KubeObject & { spec?: { text?: string } })[] };
  descriptor: typeof thing;
}
const obj = (name: string, text = "") => ({ apiVersion: "t.example.com/v1", kind: "Thing", metadata: { name, namespace: "ns", resourceVersion: "1" }, spec: { text } });
const json = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(code, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

describe("requests", () => {
  test("sends the bearer token and the User-Agent; paths and query are right", async () => {
    handler = (_req, res) => json(res, 200, obj("a"));
    const r = rest();
    const things = createResourceClient<ThingKind>(r, thing, "ns");
    await things.get("a b", { resourceVersion: "0" });
    r.close();
    expect(seen[0]).toMatchObject({ method: "GET", url: "/apis/t.example.com/v1/namespaces/ns/things/a%20b?resourceVersion=0" });
    expect(seen[0]?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]?.headers["user-agent"]).toBe("kube-codegen/0.1.0");
  });

  test("429 with Retry-After on a read: waits and retries", async () => {
    let n = 0;
    handler = (_req, res) => {
      if (++n <= 2) {
        res.writeHead(429, { "retry-after": "1", "content-type": "text/plain" });
        res.end("Too many requests, please try again later.\n");
      } else json(res, 200, { metadata: {}, items: [] });
    };
    const r = rest();
    const started = Date.now();
    await createResourceClient<ThingKind>(r, thing, "ns").list();
    r.close();
    expect(seen).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  test("429 on a write is not retried and carries a Status made from the plain-text body", async () => {
    handler = (_req, res) => {
      res.writeHead(429, { "retry-after": "3", "content-type": "text/plain" });
      res.end("slow down");
    };
    const r = rest();
    const err = await createResourceClient<ThingKind>(r, thing, "ns").create(obj("a")).catch((e: unknown) => e);
    r.close();
    expect(seen).toHaveLength(1);
    expect(isTooManyRequests(err)).toBe(true);
    expect(err).toMatchObject({ retryAfterSeconds: 3, status: { reason: "TooManyRequests", message: "slow down", code: 429 } });
  });

  test("503 on a read is retried; the retries are capped", async () => {
    handler = (_req, res) => json(res, 503, { kind: "Status", code: 503, reason: "ServiceUnavailable", message: "etcd leader changed" }, { "retry-after": "0" });
    const r = rest({ maxRetries: 2 });
    const err = await createResourceClient<ThingKind>(r, thing, "ns").get("a").catch((e: unknown) => e);
    r.close();
    expect(seen).toHaveLength(3);
    expect(err).toBeInstanceOf(ApiStatusError);
    expect((err as ApiStatusError).status.message).toBe("etcd leader changed");
  });

  test("a connection reset is a TransportError", async () => {
    handler = (req) => req.socket.destroy();
    const r = rest();
    const err = await createResourceClient<ThingKind>(r, thing, "ns").get("a").catch((e: unknown) => e);
    r.close();
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe("ECONNRESET");
    expect(String(err)).not.toContain(TOKEN);
  });

  test("a stalled response hits the request timeout", async () => {
    handler = () => undefined; // never answers
    const r = rest({ timeoutMs: 300 });
    const started = Date.now();
    const err = await createResourceClient<ThingKind>(r, thing, "ns").get("a").catch((e: unknown) => e);
    r.close();
    expect(err).toMatchObject({ name: "TransportError", code: "TIMEOUT" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("an AbortSignal cancels the call", async () => {
    handler = () => undefined;
    const r = rest();
    const controller = new AbortController();
    const p = createResourceClient<ThingKind>(r, thing, "ns").get("a", { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new Error("stop")), 50);
    expect(await p).toMatchObject({ message: "stop" });
    r.close();
  });

  test("a closed port gives a clear connection-refused error", async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({ clusters: [{ name: "x", server: "http://127.0.0.1:1", skipTLSVerify: true }], users: [{ name: "u" }], contexts: [{ name: "c", cluster: "x", user: "u" }], currentContext: "c" });
    const r = createRestClient(kc);
    const err = await createResourceClient<ThingKind>(r, thing, "ns").get("a").catch((e: unknown) => e);
    expect(String(err)).toMatch(/cannot connect to http:\/\/127\.0\.0\.1:1: connection refused/);
  });
});

describe("watch framing", () => {
  const events = [
    { type: "ADDED", object: obj("a", "plain") },
    { type: "MODIFIED", object: obj("a", "ünïcödé 日本語 🎉 ✓") },
    { type: "BOOKMARK", object: { kind: "Thing", apiVersion: "t.example.com/v1", metadata: { resourceVersion: "42" } } },
    { type: "DELETED", object: obj("a", "€") },
  ];
  const payload = Buffer.from(events.map((e) => JSON.stringify(e)).join("\n") + "\n", "utf8");

  async function collect(r: RestClient, options = {}): Promise<{ events: WatchEvent<ThingKind["object"]>[]; error?: unknown }> {
    const out: WatchEvent<ThingKind["object"]>[] = [];
    try {
      for await (const ev of createResourceClient<ThingKind>(r, thing, "ns").watch(options)) out.push(ev);
      return { events: out };
    } catch (error) {
      return { events: out, error };
    }
  }

  test("events split at every byte offset, including inside multi-byte characters, decode the same", async () => {
    const r = rest();
    let split = 0;
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(payload.subarray(0, split));
      setImmediate(() => res.end(payload.subarray(split)));
    };
    expect(payload.length).toBeGreaterThan(400);
    for (split = 1; split < payload.length; split++) {
      const got = await collect(r);
      if (got.error !== undefined || JSON.stringify(got.events) !== JSON.stringify(events)) {
        throw new Error(`split at byte ${split}: ${String(got.error)} ${JSON.stringify(got.events)}`);
      }
    }
    r.close();
    expect(seen[0]?.url).toBe("/apis/t.example.com/v1/namespaces/ns/things?watch=true&allowWatchBookmarks=true");
  });

  test("one byte per chunk", async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      let i = 0;
      const next = (): void => {
        if (i >= payload.length) return void res.end();
        res.write(payload.subarray(i, ++i), next);
      };
      next();
    };
    const r = rest();
    const got = await collect(r);
    r.close();
    expect(got.events).toEqual(events);
  });

  test("a malformed line ends the watch with an error; nothing after it is delivered", async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.end(`${JSON.stringify(events[0])}\n{"type":"MODIFIED","object":{broken\n${JSON.stringify(events[1])}\n`);
    };
    const r = rest();
    const got = await collect(r);
    r.close();
    expect(got.events).toEqual([events[0]]);
    expect(got.error).toBeInstanceOf(WatchDecodeError);
  });

  test("a connection cut mid-object is an error, not a silent end", async () => {
    handler = (req, res) => {
      res.writeHead(200);
      res.write(`${JSON.stringify(events[0])}\n{"type":"MODIFIED","obj`, () => req.socket.destroy());
    };
    const r = rest();
    const got = await collect(r);
    r.close();
    expect(got.events).toEqual([events[0]]);
    expect(got.error).toBeInstanceOf(TransportError);
  });

  test("an ERROR event with 410 Expired ends the watch with a Gone error", async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.end(`${JSON.stringify(events[0])}\n${JSON.stringify({ type: "ERROR", object: { kind: "Status", apiVersion: "v1", status: "Failure", code: 410, reason: "Expired", message: "too old resource version: 1 (5)" } })}\n`);
    };
    const r = rest();
    const got = await collect(r);
    r.close();
    expect(got.events).toEqual([events[0]]);
    expect(isGone(got.error)).toBe(true);
  });

  test("a stalled watch is broken off after the inactivity timeout", async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write(`${JSON.stringify(events[0])}\n`);
    };
    const r = rest({ watchInactivityTimeoutMs: 300 });
    const got = await collect(r);
    r.close();
    expect(got.events).toEqual([events[0]]);
    expect(got.error).toBeInstanceOf(WatchStalledError);
  });

  test("a watch whose response headers never come is broken off after the inactivity timeout", async () => {
    handler = () => undefined;
    const r = rest({ watchInactivityTimeoutMs: 300 });
    const started = Date.now();
    const got = await collect(r);
    r.close();
    expect(got.error).toMatchObject({ name: "TransportError", code: "TIMEOUT" });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test("an error answer to a watch whose body never comes is broken off too (found by the chaos test)", async () => {
    handler = (_req, res) => {
      res.writeHead(410, { "content-type": "application/json" });
      res.write('{"kind":"Status","code":4'); // and then nothing
    };
    const r = rest({ watchInactivityTimeoutMs: 300 });
    const started = Date.now();
    const got = await collect(r);
    r.close();
    expect(got.error).toMatchObject({ name: "TransportError", code: "TIMEOUT" });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test("a clean end of the stream ends the iteration without error", async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.end(payload);
    };
    const r = rest();
    expect(await collect(r, { resourceVersion: "7", timeoutSeconds: 30 })).toEqual({ events });
    r.close();
    expect(seen[0]?.url).toContain("resourceVersion=7");
    expect(seen[0]?.url).toContain("timeoutSeconds=30");
  });

  test("429 with Retry-After when opening a watch is retried", async () => {
    let n = 0;
    handler = (_req, res) => {
      if (++n === 1) {
        res.writeHead(429, { "retry-after": "0" });
        return void res.end("busy");
      }
      res.writeHead(200);
      res.end(payload);
    };
    const r = rest();
    expect((await collect(r)).events).toEqual(events);
    r.close();
    expect(seen).toHaveLength(2);
  });
});

