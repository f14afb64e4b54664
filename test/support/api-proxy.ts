import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { request as httpsRequest, Agent } from "node:https";
import type { Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** How the proxy treats watch responses. */
export type WatchMode = "pass" | "stall" | "close-at-once";

interface ActiveWatch {
  readonly res: ServerResponse;
  readonly upstream: IncomingMessage;
  /** Delayed writes chain here, so a delay never reorders the stream. */
  chain: Promise<void>;
  readonly url: string;
  readonly opened: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * A plain-HTTP proxy in front of the apiserver, controlled by the test: it forwards every request
 * with the admin token, counts lists and watches, and can end watches cleanly, cut them mid-object,
 * stall them, end new ones at once, or refuse connections altogether.
 */
export class ApiProxy {
  readonly counts = { list: 0, watch: 0, other: 0 };
  #watchMode: WatchMode = "pass";
  #unstall: (() => void) | undefined;
  #stalled: Promise<void> = Promise.resolve();
  refuse = false;
  /** Latency added to every watch chunk, in ms (order kept). */
  delayMs = 0;
  /** Sees every chunk of every response on its way to the client (what the client receives). */
  tap: ((url: string, chunk: Buffer) => void) | undefined;
  #cutNextChunk = false;
  readonly #active = new Set<ActiveWatch>();
  readonly #sockets = new Set<Socket>();
  readonly #agent: Agent;
  #dir = "";

  private constructor(
    private readonly server: Server,
    private readonly target: { url: string; caPem: string; token: string },
  ) {
    this.#agent = new Agent({ keepAlive: true, ca: target.caPem });
  }

  static async start(target: { url: string; caPem: string; token: string }): Promise<ApiProxy> {
    let proxy: ApiProxy | undefined;
    const server = createServer((req, res) => proxy?.handle(req, res));
    proxy = new ApiProxy(server, target);
    const p = proxy;
    server.on("connection", (socket: Socket) => {
      if (p.refuse) {
        socket.destroy();
        return;
      }
      p.#sockets.add(socket);
      socket.on("close", () => p.#sockets.delete(socket));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A kubeconfig pointing at the proxy (the proxy adds the credentials). */
  kubeconfigPath(): string {
    if (this.#dir === "") this.#dir = mkdtempSync(join(tmpdir(), "kcg-proxy-"));
    const path = join(this.#dir, "kubeconfig.yaml");
    writeFileSync(path, [
      "apiVersion: v1",
      "kind: Config",
      "clusters: [{ name: proxy, cluster: { server: \"" + this.url + "\", insecure-skip-tls-verify: true } }]",
      "users: [{ name: anon, user: {} }]",
      "contexts: [{ name: proxy, context: { cluster: proxy, user: anon } }]",
      "current-context: proxy",
      "",
    ].join("\n"));
    return path;
  }

  /**
   * "stall": watch bytes are held back (a stalled connection: nothing arrives, nothing is lost;
   * they flow again on "pass" if the client is still there). "close-at-once": new watches end
   * at once, empty.
   */
  get watchMode(): WatchMode {
    return this.#watchMode;
  }

  set watchMode(mode: WatchMode) {
    if (mode === "stall" && this.#watchMode !== "stall") this.#stalled = new Promise((r) => (this.#unstall = r));
    if (mode !== "stall") this.#unstall?.();
    this.#watchMode = mode;
  }

  /** Number of watches being forwarded now. */
  get activeWatches(): number {
    return this.#active.size;
  }

  /** The open watches, for a failing test's diagnostics. */
  describeActive(): string[] {
    const now = Date.now();
    return [...this.#active].map((w) => `${w.url} open ${now - w.opened} ms, ${w.bytesIn} bytes in, ${w.bytesOut} out, client socket ${w.res.socket?.destroyed === false ? "open" : "gone"}`);
  }

  /** Ends every open watch cleanly, as the server does at a timeout. */
  closeWatches(): void {
    for (const w of [...this.#active]) {
      w.upstream.destroy();
      w.res.end();
      this.#active.delete(w);
    }
  }

  /** Breaks every connection at once (open watches and idle keep-alive sockets). */
  cutConnections(): void {
    for (const w of [...this.#active]) w.upstream.destroy();
    this.#active.clear();
    for (const s of this.#sockets) s.destroy();
  }

  /** The next watch chunk from the server is sent half, then the connection is cut. */
  cutNextChunkMidObject(): void {
    this.#cutNextChunk = true;
  }

  async stop(): Promise<void> {
    this.watchMode = "pass";
    this.cutConnections();
    this.server.closeAllConnections();
    this.#agent.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
    if (this.#dir !== "") rmSync(this.#dir, { recursive: true, force: true });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://x");
    const isWatch = req.method === "GET" && url.searchParams.get("watch") === "true";
    if (isWatch) this.counts.watch++;
    else if (req.method === "GET" && /\/[a-z0-9-]+s$/.test(url.pathname)) this.counts.list++;
    else this.counts.other++;
    if (isWatch && this.watchMode === "close-at-once") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end();
      return;
    }
    const headers = { ...req.headers, host: new URL(this.target.url).host, authorization: `Bearer ${this.target.token}` };
    const up = httpsRequest(this.target.url + (req.url ?? "/"), { method: req.method, headers, agent: this.#agent }, (upstream) => {
      const h = { ...upstream.headers };
      if (isWatch) {
        delete h["content-length"];
        delete h["transfer-encoding"];
      }
      res.writeHead(upstream.statusCode ?? 502, h);
      if (!isWatch) {
        upstream.on("data", (chunk: Buffer) => this.tap?.(req.url ?? "", chunk));
        upstream.pipe(res);
        return;
      }
      res.flushHeaders(); // as the apiserver does for a watch
      const w: ActiveWatch = { res, upstream, chain: Promise.resolve(), url: req.url ?? "", opened: Date.now(), bytesIn: 0, bytesOut: 0 };
      this.#active.add(w);
      upstream.on("data", (chunk: Buffer) => {
        w.bytesIn += chunk.length;
        this.tap?.(req.url ?? "", chunk);
        if (this.#cutNextChunk && chunk.length > 1) {
          this.#cutNextChunk = false;
          res.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => {
            res.socket?.destroy();
            upstream.destroy();
          });
          this.#active.delete(w);
          return;
        }
        // A delay is latency: the chunk is due `delayMs` after it arrived (and not before the one
        // ahead of it). Sleeping `delayMs` per chunk instead would add up over a burst: a 2 s spike
        // over 100 chunks held the stream back for over a minute (found by a chaos run in CI).
        const due = Date.now() + this.delayMs;
        const stalled = this.#watchMode === "stall" ? this.#stalled : undefined;
        w.chain = w.chain.then(async () => {
          if (stalled !== undefined) await stalled;
          const wait = due - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (res.writable) {
            res.write(chunk);
            w.bytesOut += chunk.length;
          }
        });
      });
      upstream.on("end", () => {
        this.#active.delete(w);
        void w.chain.then(() => res.end());
      });
      upstream.on("error", () => {
        this.#active.delete(w);
        res.destroy();
      });
      res.on("close", () => {
        this.#active.delete(w);
        upstream.destroy();
      });
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  }
}
