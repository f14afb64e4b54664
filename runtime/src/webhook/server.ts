import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSecureContext } from "node:tls";
import type { KubeObject } from "../client/types.js";
import { consoleLogger, type Logger } from "../controller/logger.js";
import type { AdmissionWebhook } from "./admission.js";
import type { ConversionWebhook } from "./conversion.js";
import type { AdmissionReview, ConversionReview } from "./review-types.js";

/** Options of a `WebhookServer`. */
export interface WebhookServerOptions {
  /** Admission webhooks (validating and mutating), each on its own path. */
  readonly webhooks?: readonly AdmissionWebhook[];
  /** Conversion webhooks, each on its own path. */
  readonly conversions?: readonly ConversionWebhook<KubeObject>[];
  /** The serving certificate (PEM; a chain after it is fine), e.g. cert-manager's `tls.crt`. Re-read when it changes. */
  readonly certFile: string;
  /** Its private key (PEM), e.g. `tls.key`. Re-read when it changes. */
  readonly keyFile: string;
  /** Port to listen on (default 9443, controller-runtime's; 0 picks a free one). */
  readonly port?: number;
  /** Address to listen on (default all). */
  readonly host?: string;
  /** How often the certificate files are checked for changes (default 10 s). */
  readonly certCheckIntervalMs?: number;
  /** Largest request body accepted (default 32 MiB: a conversion batch can be large). */
  readonly maxBodyBytes?: number;
  /** Where failures are logged (default: JSON lines on stderr). */
  readonly logger?: Logger;
}

type Route = (body: unknown) => unknown;

/** A request the server refuses before any handler runs. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Serves admission and conversion webhooks over HTTPS (node:https): `await server.start(signal)`
 * listens until the signal aborts. `handler()` is the request handler alone, for mounting in an
 * HTTPS server of one's own. The certificate files are re-read when they change (cert-manager
 * renews them in place) without dropping connections.
 */
export class WebhookServer {
  readonly #options: WebhookServerOptions;
  readonly #routes = new Map<string, Route>();
  readonly #log: Logger;
  #server: Server | undefined;
  #timer: NodeJS.Timeout | undefined;
  #pem = { cert: "", key: "" };

  constructor(options: WebhookServerOptions) {
    this.#options = options;
    this.#log = options.logger ?? consoleLogger();
    for (const w of options.webhooks ?? []) this.#add(w.path, (body) => this.#admission(w, body));
    for (const c of options.conversions ?? []) this.#add(c.path, (body) => this.#conversion(c, body));
  }

  #add(path: string, route: Route): void {
    if (this.#routes.has(path)) throw new Error(`two webhooks on path ${path}`);
    this.#routes.set(path, route);
  }

  /** The paths served, sorted. */
  get paths(): string[] {
    return [...this.#routes.keys()].sort();
  }

  /** Whether it is listening: a readiness check for a manager (`/readyz`). */
  get listening(): boolean {
    return this.#server?.listening === true;
  }

  /** The port listened on, once started. */
  get port(): number {
    const address = this.#server?.address();
    if (address === null || address === undefined || typeof address === "string") throw new Error("the webhook server is not listening");
    return (address as AddressInfo).port;
  }

  /** The request handler, for an HTTPS server of one's own (`https.createServer(tls, server.handler())`). */
  handler(): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => void this.#serve(req, res);
  }

  /** Reads the certificate files and listens; resolves once listening. Stops when `signal` aborts. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.#server !== undefined) throw new Error("the webhook server is already started");
    this.#pem = this.#readPem();
    let server: Server;
    try {
      server = createServer({ cert: this.#pem.cert, key: this.#pem.key, minVersion: "TLSv1.2" }, this.handler());
    } catch (err) {
      throw new Error(`webhook server: ${this.#options.certFile} and ${this.#options.keyFile} are not a certificate and its key (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        this.#server = undefined;
        reject(new Error(`webhook server: cannot listen on ${this.#options.host ?? "*"}:${this.#options.port ?? 9443} (${err.message})`, { cause: err }));
      };
      server.once("error", fail);
      server.listen(this.#options.port ?? 9443, this.#options.host, () => {
        server.off("error", fail);
        resolve();
      });
    });
    this.#timer = setInterval(() => this.reloadCertificates(), this.#options.certCheckIntervalMs ?? 10_000);
    this.#timer.unref();
    signal?.addEventListener("abort", () => void this.stop(), { once: true });
    if (signal?.aborted === true) await this.stop();
  }

  /** Stops listening and closes every connection. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /**
   * Re-reads the certificate files and, when they changed and form a valid pair, serves new
   * connections with them. Returns whether it switched. Called every `certCheckIntervalMs`; a
   * half-written pair is ignored until the next check.
   */
  reloadCertificates(): boolean {
    if (this.#server === undefined) return false;
    let pem: { cert: string; key: string };
    try {
      pem = this.#readPem();
      if (pem.cert === this.#pem.cert && pem.key === this.#pem.key) return false;
      createSecureContext(pem); // throws on a mismatched or truncated pair
    } catch (err) {
      this.#log.error("webhook certificate not reloaded", err, { certFile: this.#options.certFile });
      return false;
    }
    this.#server.setSecureContext({ ...pem, minVersion: "TLSv1.2" });
    this.#pem = pem;
    this.#log.info("webhook certificate reloaded", { certFile: this.#options.certFile });
    return true;
  }

  #readPem(): { cert: string; key: string } {
    const read = (file: string): string => {
      try {
        return readFileSync(file, "utf8");
      } catch (err) {
        throw new Error(`webhook server: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
      }
    };
    return { cert: read(this.#options.certFile), key: read(this.#options.keyFile) };
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    };
    try {
      const path = new URL(req.url ?? "/", "https://webhook").pathname;
      const route = this.#routes.get(path);
      if (route === undefined) throw new HttpError(404, `no webhook on ${path}`);
      if (req.method !== "POST") throw new HttpError(405, "webhooks accept POST only");
      if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) throw new HttpError(415, "the body must be application/json");
      const body = await this.#readBody(req);
      reply(200, await route(body));
    } catch (err) {
      if (err instanceof HttpError) {
        reply(err.status, { error: err.message });
      } else {
        this.#log.error("webhook request failed", err, { path: req.url });
        reply(500, { error: "internal error (see the webhook's log)" });
      }
    }
  }

  async #readBody(req: IncomingMessage): Promise<unknown> {
    const limit = this.#options.maxBodyBytes ?? 32 << 20;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new HttpError(413, `the body is larger than ${limit} bytes`);
      chunks.push(chunk);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
    } catch {
      throw new HttpError(400, "the body is not JSON");
    }
  }

  async #admission(webhook: AdmissionWebhook, body: unknown): Promise<AdmissionReview> {
    const review = body as Partial<AdmissionReview> | null;
    const request = review?.request;
    if (review?.apiVersion !== "admission.k8s.io/v1" || review.kind !== "AdmissionReview") throw new HttpError(400, "expected an admission.k8s.io/v1 AdmissionReview");
    if (typeof request?.uid !== "string" || typeof request.kind !== "object" || request.kind === null) throw new HttpError(400, "the AdmissionReview has no request with a uid and a kind");
    return { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: await webhook.review(request, this.#log) };
  }

  #conversion(webhook: ConversionWebhook<KubeObject>, body: unknown): ConversionReview {
    const review = body as Partial<ConversionReview> | null;
    const request = review?.request;
    if (review?.apiVersion !== "apiextensions.k8s.io/v1" || review.kind !== "ConversionReview") throw new HttpError(400, "expected an apiextensions.k8s.io/v1 ConversionReview");
    if (typeof request?.uid !== "string" || typeof request.desiredAPIVersion !== "string" || !Array.isArray(request.objects)) throw new HttpError(400, "the ConversionReview has no request with a uid, desiredAPIVersion and objects");
    return { apiVersion: "apiextensions.k8s.io/v1", kind: "ConversionReview", response: webhook.review(request, this.#log) };
  }
}
