import * as http from "node:http";
import * as https from "node:https";
import type { IncomingMessage } from "node:http";
import { createHash } from "node:crypto";
import { ApiStatusError, KubeError, TransportError, sleep, type RequestInfo } from "../errors.js";
import type { Status } from "../meta.js";
import { clientOptionsOf, loadKubeConfig, type ClientConfig, type ClientOptions, type KubeConfigLike } from "../config.js";
import { RequestThrottle } from "./throttle.js";
import { VERSION } from "../version.js";

/** Query parameters; undefined values are left out. */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** One request to the API server. */
export interface RestRequest {
  /** Kubernetes verb, for errors and the retry policy: get, list and watch are retried when safe. */
  readonly verb: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Absolute path: `/apis/<group>/<version>/...`. */
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  readonly contentType?: string;
  /** The Accept header (default `application/json`). */
  readonly accept?: string | undefined;
  /** `text`: resolve with the body as a string instead of parsing JSON (pods/log). */
  readonly responseType?: "json" | "text" | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Overrides the client's request timeout. */
  readonly timeoutMs?: number | undefined;
}

/** An open streaming response (a watch): its body and a way to break it off. */
export interface ResponseStream {
  readonly body: AsyncIterable<Buffer>;
  readonly info: RequestInfo;
  /** Ends the response and its connection. */
  close(reason?: Error): void;
}

/** Only what typed clients need from the connection to the API server. */
export interface RestClient {
  /** The server URL, such as `https://10.0.0.1:6443`. */
  readonly server: string;
  /** Sends a request and returns the parsed JSON body. Throws ApiStatusError or TransportError. */
  request<T>(req: RestRequest): Promise<T>;
  /** Opens a streaming GET (watch). Resolves once the response headers arrived with a 2xx status. */
  stream(req: RestRequest): Promise<ResponseStream>;
  /** Closes idle keep-alive connections; in-flight requests finish. */
  close(): void;
  readonly options: { readonly [K in "timeoutMs" | "watchInactivityTimeoutMs" | "maxRetries" | "maxRetryAfterSeconds"]: number };
}

const REASONS: Record<number, string> = {
  400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
  406: "NotAcceptable", 409: "Conflict", 410: "Expired", 415: "UnsupportedMediaType", 422: "Invalid",
  429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout",
};

/** A sent request whose answer's headers are in. */
interface Sent {
  readonly response: IncomingMessage;
  readonly info: RequestInfo;
  readonly done: () => void;
}

/** Creates the REST client for a cluster. */
export function createRestClient(config: ClientConfig = {}): RestClient {
  const options = clientOptionsOf(config);
  return new NodeRestClient(loadKubeConfig(options), options);
}

class NodeRestClient implements RestClient {
  readonly server: string;
  readonly options: RestClient["options"];
  readonly #kc: KubeConfigLike;
  readonly #userAgent: string;
  readonly #agents = new Map<string, http.Agent>();
  readonly #isHttps: boolean;
  readonly #throttle: RequestThrottle | undefined;
  readonly #onRequest: ClientOptions["onRequest"];
  readonly #host: string;

  constructor(kc: KubeConfigLike, options: ClientOptions) {
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new KubeError("the kubeconfig has no current cluster (set a context)");
    this.#kc = kc;
    this.server = cluster.server.replace(/\/+$/, "");
    this.#isHttps = this.server.startsWith("https:");
    this.#userAgent = options.userAgent ?? `kube-codegen/${VERSION}`;
    this.options = {
      timeoutMs: options.timeoutMs ?? 30_000,
      watchInactivityTimeoutMs: options.watchInactivityTimeoutMs ?? 120_000,
      maxRetries: options.maxRetries ?? 5,
      maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 30,
    };
    const qps = options.qps ?? 0;
    this.#throttle = qps > 0 ? new RequestThrottle(qps, options.burst ?? Math.max(1, Math.round(qps * 2))) : undefined;
    this.#onRequest = options.onRequest;
    this.#host = new URL(this.server).host;
  }

  /** Waits for the rate limiter (when on); the seconds waited. */
  async #wait(req: RestRequest): Promise<number> {
    if (this.#throttle === undefined) return 0;
    return this.#throttle.wait(req.signal);
  }

  #observe(req: RestRequest, code: string, started: number, waited: number): void {
    if (this.#onRequest === undefined) return;
    try {
      this.#onRequest({ verb: req.verb, method: req.method, host: this.#host, code, durationSeconds: (performance.now() - started) / 1000, rateLimiterWaitSeconds: waited });
    } catch {
      // an observer must not break requests
    }
  }

  /** Sends one attempt, measured: `#send` plus the rate limiter and the hook. */
  async #attempt(req: RestRequest, streaming: boolean): Promise<Sent & { finish: (code: string) => void }> {
    const waited = await this.#wait(req);
    const started = performance.now();
    let res: Sent;
    try {
      res = await this.#send(req, streaming);
    } catch (err) {
      this.#observe(req, "<error>", started, waited);
      throw err;
    }
    return { ...res, finish: (code) => this.#observe(req, code, started, waited) };
  }

  async request<T>(req: RestRequest): Promise<T> {
    const safe = req.method === "GET";
    for (let attempt = 0; ; attempt++) {
      const res = await this.#attempt(req, false);
      let text: string;
      try {
        text = await readBody(res.response, res.info);
      } catch (err) {
        res.finish("<error>");
        throw err;
      } finally {
        res.done(); // the request's timer and abort listener go, also when the body broke off
      }
      const code = res.response.statusCode ?? 0;
      res.finish(String(code));
      if (code >= 200 && code < 300) {
        if (req.responseType === "text") return text as T;
        if (text === "") return undefined as T;
        try {
          return JSON.parse(text) as T;
        } catch (err) {
          throw new TransportError(res.info, `the response is not JSON (${text.slice(0, 100)})`, "BADJSON", { cause: err });
        }
      }
      const error = statusError(res.info, code, text, res.response.headers["retry-after"]);
      if (safe && (code === 429 || code === 503) && attempt < this.options.maxRetries) {
        await sleep(this.#retryDelayMs(error, attempt), req.signal);
        continue;
      }
      throw error;
    }
  }

  async stream(req: RestRequest): Promise<ResponseStream> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.#attempt(req, true);
      const code = res.response.statusCode ?? 0;
      res.finish(String(code));
      if (code >= 200 && code < 300) {
        return {
          body: res.response,
          info: res.info,
          close: (reason) => {
            res.response.destroy(reason);
            res.done();
          },
        };
      }
      // The body of an error answer gets the same deadline as the headers did: a server (or a proxy)
      // that sends the status line and then nothing must not hold the watcher forever.
      const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
      const deadline = setTimeout(() => {
        res.response.destroy(new TransportError(res.info, `timed out after ${timeoutMs} ms reading the ${code} answer`, "TIMEOUT"));
      }, timeoutMs);
      let text: string;
      try {
        text = await readBody(res.response, res.info);
      } finally {
        clearTimeout(deadline);
        res.done();
      }
      const error = statusError(res.info, code, text, res.response.headers["retry-after"]);
      if ((code === 429 || code === 503) && attempt < this.options.maxRetries) {
        await sleep(this.#retryDelayMs(error, attempt), req.signal);
        continue;
      }
      throw error;
    }
  }

  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }

  #retryDelayMs(error: ApiStatusError, attempt: number): number {
    const asked = error.retryAfterSeconds;
    const seconds = asked !== undefined ? Math.min(asked, this.options.maxRetryAfterSeconds) : Math.min(2 ** attempt, 8);
    return seconds * 1000;
  }

  /** Sends the request; resolves when the response headers are in. */
  async #send(req: RestRequest, streaming: boolean): Promise<Sent> {
    const pathAndQuery = req.path + queryString(req.query);
    const info: RequestInfo = { verb: req.verb, method: req.method, url: pathAndQuery };
    const opts: https.RequestOptions = {};
    try {
      await this.#kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new TransportError(info, `cannot get credentials: ${err instanceof Error ? err.message : String(err)}`, "AUTH", { cause: err });
    }
    const headers: Record<string, string> = {
      accept: req.accept ?? "application/json",
      "user-agent": this.#userAgent,
    };
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === "string") headers[k.toLowerCase()] = v;
    let payload: Buffer | undefined;
    if (req.body !== undefined) {
      payload = Buffer.from(typeof req.body === "string" ? req.body : JSON.stringify(req.body), "utf8");
      headers["content-type"] = req.contentType ?? "application/json";
      headers["content-length"] = String(payload.length);
    }
    const url = new URL(this.server + pathAndQuery);
    const agent = this.#agentFor(opts);
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    return new Promise((resolve, reject) => {
      const mod = this.#isHttps ? https : http;
      const request = mod.request(url, { method: req.method, headers, agent, ...(opts.auth !== undefined ? { auth: opts.auth } : {}) });
      let settled = false;
      const cleanup = (): void => {
        clearTimeout(timer);
        req.signal?.removeEventListener("abort", onAbort);
      };
      const fail = (err: Error): void => {
        cleanup();
        if (settled) return;
        settled = true;
        reject(err);
      };
      const onAbort = (): void => {
        const reason = req.signal?.reason;
        request.destroy(reason instanceof Error ? reason : new Error("aborted"));
      };
      // A non-streaming request has a deadline for the whole exchange; a stream only for its headers.
      const timer = setTimeout(() => {
        request.destroy(new TransportError(info, `timed out after ${timeoutMs} ms`, "TIMEOUT"));
      }, timeoutMs);
      if (req.signal !== undefined) {
        if (req.signal.aborted) {
          onAbort();
        } else {
          req.signal.addEventListener("abort", onAbort, { once: true });
        }
      }
      request.on("error", (err: NodeJS.ErrnoException) => {
        if (err instanceof TransportError) fail(err);
        else if (req.signal?.aborted === true) fail(req.signal.reason instanceof Error ? req.signal.reason : err);
        else fail(new TransportError(info, describeNetworkError(err, this.server), err.code, { cause: err }));
      });
      request.on("response", (response) => {
        if (streaming) clearTimeout(timer);
        settled = true;
        resolve({ response, info, done: cleanup });
      });
      request.end(payload);
    });
  }

  /** A keep-alive agent per TLS identity (a rotated client certificate gets a new one). */
  #lastTls: { tls: Record<string, unknown>; key: string } | undefined;

  #agentFor(opts: https.RequestOptions): http.Agent {
    const cluster = this.#kc.getCurrentCluster();
    if (cluster?.proxyUrl !== undefined && opts.agent instanceof http.Agent) return opts.agent;
    const tls = {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      pfx: opts.pfx,
      passphrase: opts.passphrase,
      servername: opts.servername,
      rejectUnauthorized: opts.rejectUnauthorized,
    };
    // The same identity as the last request (the usual case): skip hashing the CA and certificates.
    const last = this.#lastTls;
    const same = last !== undefined && (Object.keys(tls) as (keyof typeof tls)[]).every((k) => {
      const a = tls[k];
      const b = last.tls[k];
      return a === b || (Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b));
    });
    const key = same ? last.key : createHash("sha256")
      .update(JSON.stringify(tls, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString("base64") : v)))
      .digest("hex");
    if (!same) this.#lastTls = { tls, key };
    let agent = this.#agents.get(key);
    if (agent === undefined) {
      const defined = Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined));
      agent = this.#isHttps ? new https.Agent({ keepAlive: true, ...defined }) : new http.Agent({ keepAlive: true });
      this.#agents.set(key, agent);
    }
    return agent;
  }
}

/** Encodes query parameters in a stable order. */
export function queryString(query: Query | undefined): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  const s = params.toString();
  return s === "" ? "" : `?${s}`;
}

async function readBody(res: IncomingMessage, info: RequestInfo): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const c of res) chunks.push(c as Buffer);
  } catch (err) {
    throw new TransportError(info, `the connection broke while reading the response: ${(err as Error).message}`, (err as NodeJS.ErrnoException).code, { cause: err });
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The server's Status, or one made from the HTTP status when the body is not a Status (429s often are not). */
function statusError(info: RequestInfo, code: number, body: string, retryAfter: string | string[] | undefined): ApiStatusError {
  let status: Status | undefined;
  try {
    const parsed = JSON.parse(body) as Status;
    if (parsed !== null && typeof parsed === "object" && parsed.kind === "Status") status = parsed;
  } catch {
    // not JSON
  }
  status ??= { kind: "Status", apiVersion: "v1", status: "Failure", code, reason: REASONS[code] ?? "Unknown", message: body.trim().slice(0, 500) || `HTTP ${code}` };
  const ra = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  const seconds = ra !== undefined && /^\d+$/.test(ra.trim()) ? Number(ra.trim()) : undefined;
  return new ApiStatusError(info, status, code, seconds);
}

function describeNetworkError(err: NodeJS.ErrnoException, server: string): string {
  switch (err.code) {
    case "ECONNREFUSED":
      return `cannot connect to ${server}: connection refused (is the API server running and the kubeconfig's server right?)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve the host of ${server}`;
    case "ECONNRESET":
      return `the connection to ${server} was reset`;
    case "ETIMEDOUT":
      return `connecting to ${server} timed out`;
    default:
      if (err.code?.startsWith("ERR_TLS") === true || /certificate|self.signed|SSL/i.test(err.message)) {
        return `TLS failure talking to ${server}: ${err.message} (check certificate-authority in the kubeconfig)`;
      }
      return `${err.message}`;
  }
}
