// A local replay server for the informer benchmark. Everything it sends is serialised once, before
// the first client comes, into one buffer per payload, so that serving is only socket writes:
// - a list of N objects, paged (`limit`/`continue`) or whole;
// - a streaming list (`sendInitialEvents=true`): the objects as ADDED events, then the bookmark;
// - the watch: once the bench says `go()`, M MODIFIED events as fast as the client reads them;
//   once it says `relist()`, a 410 ERROR event that ends the watch, after which lists and
//   streaming lists serve the objects' final state (so a relist finds no difference);
// - the same as PartialObjectMetadata(List) for `Accept: ...;as=PartialObjectMetadata[List]`.
import { createServer } from "node:http";
import { GROUP, PATH, VERSION, makeObject, metadataOf } from "./objects.mjs";

/** A run of serialised JSON values in one buffer; `offsets[k]` is where value k starts. */
function pack(count, valueAt, separator) {
  const parts = [];
  const offsets = new Float64Array(count + 1);
  let at = 0;
  const sep = Buffer.from(separator);
  for (let k = 0; k < count; k++) {
    offsets[k] = at;
    const b = Buffer.from(valueAt(k));
    parts.push(b, sep);
    at += b.length + sep.length;
  }
  offsets[count] = at;
  return { buffer: Buffer.concat(parts, at), offsets, count };
}

/** Values `from` to `to` of a pack, without their last separator. */
const slice = (p, from, to, keepLast = false) => p.buffer.subarray(p.offsets[from], p.offsets[to] - (keepLast || to === from ? 0 : 1));

/** The final resourceVersion of each object after `events` MODIFIED events (event e updates object e % objects). */
function finalVersions(objects, events) {
  const rv = Array.from({ length: objects }, (_, i) => i + 1);
  for (let e = 0; e < events; e++) rv[e % objects] = objects + 1 + e;
  return rv;
}

/** Every payload of a run, serialised. Objects of one variant: `full` or `metadata`. */
export function buildPayloads(objects, events) {
  const finalRv = finalVersions(objects, events);
  const variant = (shape) => ({
    items: pack(objects, (i) => JSON.stringify(shape(makeObject(i, i + 1))), ","),
    initial: pack(objects, (i) => JSON.stringify({ type: "ADDED", object: shape(makeObject(i, i + 1)) }), "\n"),
    watch: pack(events, (e) => JSON.stringify({ type: "MODIFIED", object: shape(makeObject(e % objects, objects + 1 + e)) }), "\n"),
    relistItems: pack(objects, (i) => JSON.stringify(shape(makeObject(i, finalRv[i]))), ","),
    relistInitial: pack(objects, (i) => JSON.stringify({ type: "ADDED", object: shape(makeObject(i, finalRv[i])) }), "\n"),
  });
  return { objects, events, full: variant((o) => o), metadata: variant(metadataOf), objectBytes: Buffer.byteLength(JSON.stringify(makeObject(0, 1))), metadataBytes: Buffer.byteLength(JSON.stringify(metadataOf(makeObject(0, 1)))) };
}

/**
 * The watch events alone, as chunks of 1,000 lines, as the floors parse them (built without the
 * other payloads, which would only weigh on the floor's heap).
 */
export function watchChunks(objects, events) {
  const w = pack(events, (e) => JSON.stringify({ type: "MODIFIED", object: makeObject(e % objects, objects + 1 + e) }), "\n");
  const chunks = [];
  for (let k = 0; k < w.count; k += 1000) chunks.push(slice(w, k, Math.min(w.count, k + 1000), true));
  return chunks;
}

const GONE = `${JSON.stringify({ type: "ERROR", object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "too old resource version: 1 (2)", reason: "Expired", code: 410 } })}\n`;

async function writeAll(res, buffers) {
  for (const b of buffers) if (!res.write(b)) await new Promise((r) => res.once("drain", r));
}

/** Writes lines `from`..`to` of a pack in chunks of 1,000 lines. */
async function writeLines(res, p, from = 0, to = p.count) {
  for (let k = from; k < to; k += 1000) if (!res.write(slice(p, k, Math.min(to, k + 1000), true))) await new Promise((r) => res.once("drain", r));
}

/**
 * Starts the server on loopback. `arm()` before each measured client resets it (the first watch
 * waits for `go()`); `go()` lets the watch events flow; `relist()` sends the 410 that makes the
 * client relist. Later watches get no events (they stay open until the client leaves).
 */
export async function startReplayServer(payloads) {
  const { objects, events } = payloads;
  const finalRv = String(objects + events + 1);
  let state;
  const arm = () => {
    const s = { watches: 0, relisted: false };
    s.go = new Promise((r) => (s.release = r));
    s.gone = new Promise((r) => (s.sendGone = r));
    state = s;
  };
  arm();
  const server = createServer(async (req, res) => {
    const s = state;
    const url = new URL(req.url, "http://x");
    if (!url.pathname.startsWith(PATH)) return void res.writeHead(404).end();
    const meta = /as=PartialObjectMetadata/.test(req.headers.accept ?? "");
    const v = meta ? payloads.metadata : payloads.full;
    const listRv = s.relisted ? finalRv : String(objects);
    if (url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1") {
      res.writeHead(200, { "content-type": "application/json" });
      res.flushHeaders();
      const first = s.watches++ === 0;
      if (url.searchParams.get("sendInitialEvents") === "true") {
        await writeLines(res, s.relisted ? v.relistInitial : v.initial);
        res.write(`${JSON.stringify({ type: "BOOKMARK", object: { kind: "Thing", apiVersion: `${GROUP}/${VERSION}`, metadata: { resourceVersion: listRv, annotations: { "k8s.io/initial-events-end": "true" } } } })}\n`);
      }
      if (!first) return; // stays open, silent, until the client goes
      await s.go;
      await writeLines(res, v.watch);
      await s.gone;
      s.relisted = true;
      res.end(GONE);
      return;
    }
    const limit = Number(url.searchParams.get("limit") ?? 0);
    const start = Number(url.searchParams.get("continue") || 0);
    const end = limit > 0 ? Math.min(objects, start + limit) : objects;
    const listKind = meta ? { apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadataList" } : { apiVersion: `${GROUP}/${VERSION}`, kind: "ThingList" };
    const head = JSON.stringify({ ...listKind, metadata: { resourceVersion: listRv, ...(end < objects ? { continue: String(end) } : {}) } });
    res.writeHead(200, { "content-type": "application/json" });
    await writeAll(res, [Buffer.from(`${head.slice(0, -1)},"items":[`), slice(s.relisted ? v.relistItems : v.items, start, end), Buffer.from("]}")]);
    res.end();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    arm,
    go: () => state.release(),
    relist: () => state.sendGone(),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}
