// A local replay server for the informer benchmark: answers a (paged) list of N objects, or a
// streaming list (the same objects as the initial events of a watch), then one watch that streams
// M MODIFIED events as fast as the client reads them, once the client says go.
import { createServer } from "node:http";

export const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 10_000);
export const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const PATH = "/apis/bench.example.com/v1/namespaces/bench/things";

/** One object of about 2 KB of JSON, as a controller-managed custom resource looks. */
export function makeObject(i, rv) {
  return {
    apiVersion: "bench.example.com/v1",
    kind: "Thing",
    metadata: {
      name: `thing-${String(i).padStart(5, "0")}`,
      namespace: "bench",
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      resourceVersion: String(rv),
      generation: 3,
      creationTimestamp: "2026-11-01T10:00:00Z",
      labels: { app: "bench", shard: `s${i % 16}`, "app.kubernetes.io/managed-by": "bench-operator" },
      annotations: { "bench.example.com/checksum": "a".repeat(64), "bench.example.com/note": "n".repeat(200) },
      ownerReferences: [{ apiVersion: "bench.example.com/v1", kind: "Parent", name: `parent-${i % 100}`, uid: "11111111-2222-4333-8444-555555555555", controller: true }],
    },
    spec: {
      replicas: i % 7,
      image: `registry.example.com/bench/app:v1.${i % 50}.0`,
      env: Array.from({ length: 8 }, (_, k) => ({ name: `VAR_${k}`, value: `value-${k}-${"x".repeat(40)}` })),
      ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }, { name: "metrics", containerPort: 9090, protocol: "TCP" }],
      resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "64Mi" } },
    },
    status: {
      observedGeneration: 3,
      replicas: i % 7,
      conditions: [
        { type: "Ready", status: "True", reason: "AllGood", message: "m".repeat(120), lastTransitionTime: "2026-11-01T10:01:00Z" },
        { type: "Progressing", status: "False", reason: "Done", message: "p".repeat(80), lastTransitionTime: "2026-11-01T10:01:00Z" },
      ],
    },
  };
}

/** The watch stream, pre-built as buffers of 1,000 lines. */
export function watchPayload() {
  const chunks = [];
  let lines = [];
  for (let e = 0; e < EVENTS; e++) {
    lines.push(JSON.stringify({ type: "MODIFIED", object: makeObject(e % OBJECTS, OBJECTS + 1 + e) }));
    if (lines.length === 1000) {
      chunks.push(Buffer.from(lines.join("\n") + "\n"));
      lines = [];
    }
  }
  if (lines.length > 0) chunks.push(Buffer.from(lines.join("\n") + "\n"));
  return chunks;
}

/** Starts the server; `go()` lets the watch stream start. */
export async function startReplayServer() {
  const items = Array.from({ length: OBJECTS }, (_, i) => makeObject(i, i + 1));
  const payload = watchPayload();
  let release;
  const gate = new Promise((r) => (release = r));
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    if (!url.pathname.startsWith(PATH)) {
      res.writeHead(404).end();
      return;
    }
    if (url.searchParams.get("watch") === "true") {
      res.writeHead(200, { "content-type": "application/json" });
      res.flushHeaders();
      if (url.searchParams.get("sendInitialEvents") === "true") {
        // A streaming list: every object as ADDED, then the bookmark that ends the initial events.
        for (let i = 0; i < items.length; i += 1000) {
          const lines = items.slice(i, i + 1000).map((o) => JSON.stringify({ type: "ADDED", object: o }));
          if (!res.write(`${lines.join("\n")}\n`)) await new Promise((r) => res.once("drain", r));
        }
        res.write(`${JSON.stringify({ type: "BOOKMARK", object: { kind: "Thing", apiVersion: "bench.example.com/v1", metadata: { resourceVersion: String(OBJECTS), annotations: { "k8s.io/initial-events-end": "true" } } } })}\n`);
      }
      await gate;
      for (const c of payload) {
        if (!res.write(c)) await new Promise((r) => res.once("drain", r));
      }
      // Stay open (no re-watch, no replay) until the client goes.
      return;
    }
    const limit = Number(url.searchParams.get("limit") ?? 0);
    const start = Number(url.searchParams.get("continue") ?? 0);
    const end = limit > 0 ? Math.min(OBJECTS, start + limit) : OBJECTS;
    const body = { apiVersion: "bench.example.com/v1", kind: "ThingList", metadata: { resourceVersion: String(OBJECTS), ...(end < OBJECTS ? { continue: String(end) } : {}) }, items: items.slice(start, end) };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const objectBytes = Buffer.byteLength(JSON.stringify(items[0]));
  return { url: `http://127.0.0.1:${server.address().port}`, go: () => release(), close: () => { server.closeAllConnections(); server.close(); }, objectBytes, payload };
}
