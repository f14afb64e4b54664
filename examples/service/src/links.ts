import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { bookmarksV1, type Clientset } from "./generated/index.js";
import { streamEvents } from "./events.js";
import { errorAnswer, HttpError, readJson, sendJson } from "./http.js";

/** What the service needs to know. */
export interface LinksServiceOptions {
  readonly clientset: Clientset;
  /** The namespace the links live in. */
  readonly namespace: string;
  /** Field manager of the service's server-side applies. */
  readonly fieldManager?: string;
  /** An SSE comment is sent this often, so that proxies keep the stream open (default 15 000 ms). */
  readonly heartbeatMs?: number;
}

/** The service: a request listener for `http.createServer`, and `close()` to end open event streams. */
export interface LinksService {
  readonly handle: RequestListener;
  /** Ends every open event stream; resolves once they have ended. */
  close(): Promise<void>;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A Link built from a request body `{ name?, spec }` (the name from the path wins), checked by the
 * generated validator exactly as the API server's schema would check it — unknown fields too, as
 * `fieldValidation=Strict` does. 422 with every problem otherwise.
 */
function linkFrom(body: unknown, namespace: string, pathName?: string): bookmarksV1.Link {
  const { name: bodyName, spec, ...rest } = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const name = pathName ?? bodyName;
  const problems: { path: string; message: string }[] = [];
  if (typeof name !== "string" || name.length > 253 || !NAME.test(name)) {
    problems.push({ path: ".name", message: "must be a lowercase DNS name (a-z, 0-9, '-'), at most 253 characters" });
  }
  for (const key of Object.keys(rest)) problems.push({ path: `.${key}`, message: "is not a field of a link (expected name and spec)" });
  const candidate = { apiVersion: "bookmarks.example.com/v1", kind: "Link", metadata: { name: String(name), namespace }, spec };
  const result = bookmarksV1.validateLink.validate(candidate, { unknownFields: "error" });
  if (!result.valid) problems.push(...result.problems);
  if (problems.length > 0) throw new HttpError(422, { error: "invalid link", problems });
  return candidate as bookmarksV1.Link;
}

/**
 * The links service:
 * - `POST /links` `{ name, spec }`: validated, then created (201; 409 when the name is taken);
 * - `PUT /links/{name}` `{ spec }`: validated, then server-side applied (200), owning only the spec;
 * - `GET /links/{name}`: the object; `GET /links/{name}/status`: its status subresource;
 * - `GET /events`: a server-sent event stream of the links (see {@link streamEvents}).
 */
export function createLinksService(options: LinksServiceOptions): LinksService {
  const { namespace } = options;
  const links = options.clientset.bookmarksV1.links(namespace);
  const fieldManager = options.fieldManager ?? "links-service";
  const streams = new Map<AbortController, Promise<void>>();

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://service.invalid");
    const parts = url.pathname.split("/").filter((p) => p !== "").map(decodeURIComponent);
    const method = req.method ?? "GET";
    if (parts.length === 1 && parts[0] === "events" && method === "GET") {
      const stream = new AbortController();
      const running = streamEvents(links, req, res, { signal: stream.signal, heartbeatMs: options.heartbeatMs ?? 15_000 });
      streams.set(stream, running);
      try {
        await running;
      } finally {
        streams.delete(stream);
      }
      return;
    }
    if (parts[0] !== "links" || parts.length > 3 || (parts.length === 3 && parts[2] !== "status")) throw new HttpError(404, { error: `no route ${url.pathname}` });
    const name = parts[1];
    if (name === undefined) {
      if (method !== "POST") throw new HttpError(405, { error: `${method} ${url.pathname}: use POST` });
      const created = await links.create(linkFrom(await readJson(req), namespace), { fieldManager });
      sendJson(res, 201, created);
      return;
    }
    if (parts.length === 3) {
      if (method !== "GET") throw new HttpError(405, { error: `${method} ${url.pathname}: use GET` });
      const link = await links.getStatus(name);
      sendJson(res, 200, { name, generation: link.metadata.generation, status: link.status ?? {} });
      return;
    }
    if (method === "GET") {
      sendJson(res, 200, await links.get(name));
    } else if (method === "PUT") {
      const link = linkFrom(await readJson(req), namespace, name);
      const applied = await links.apply({ apiVersion: link.apiVersion, kind: link.kind, metadata: { name }, spec: link.spec }, { fieldManager, force: true });
      sendJson(res, 200, applied);
    } else {
      throw new HttpError(405, { error: `${method} ${url.pathname}: use GET or PUT` });
    }
  }

  return {
    handle(req, res) {
      route(req, res).catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const { status, body } = errorAnswer(err);
        sendJson(res, status, body);
      });
    },
    async close() {
      for (const stream of streams.keys()) stream.abort();
      await Promise.allSettled(streams.values());
    },
  };
}
