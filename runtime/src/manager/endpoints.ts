import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { KubeError } from "../errors.js";

/** A route of an endpoint server: answers and returns true, or returns false when the path is not its. */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/**
 * Parses a bind address as controller-runtime takes it: `":8081"` (every interface), `"127.0.0.1:8081"`,
 * `"[::1]:0"` (port 0: any free port); `"0"` or `""` means off.
 */
export function parseBindAddress(address: string): { readonly host: string | undefined; readonly port: number } | undefined {
  if (address === "" || address === "0") return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address);
  const port = Number(m?.[3]);
  if (m === null || port > 65535) throw new KubeError(`bind address ${JSON.stringify(address)}: expected host:port or :port (0 or "" to turn it off)`);
  const host = m[1] ?? (m[2] === "" ? undefined : m[2]);
  return { host, port };
}

/** An HTTP server for probes or metrics: GET and HEAD only, closed with every socket on `close`. */
export class EndpointServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server) {
    this.#server = server;
    server.on("connection", (s: Socket) => {
      this.#sockets.add(s);
      s.on("close", () => this.#sockets.delete(s));
    });
  }

  /** Listens on the address with the routes; resolves once bound. */
  static async listen(address: { readonly host: string | undefined; readonly port: number }, routes: readonly Route[], onError: (err: unknown) => void): Promise<EndpointServer> {
    const server = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://localhost");
        if (req.method !== "GET" && req.method !== "HEAD") {
          res.writeHead(405, { allow: "GET, HEAD" }).end();
          return;
        }
        for (const route of routes) if (await route(req, res, url)) return;
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("404 page not found\n");
      })().catch((err: unknown) => {
        onError(err);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    const s = new EndpointServer(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(address.port, address.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    return s;
  }

  /** `http://host:port` as bound (the real port when 0 was asked). */
  get url(): string {
    const a = this.#server.address() as AddressInfo;
    const host = a.family === "IPv6" ? `[${a.address}]` : a.address;
    return `http://${host === "[::]" ? "127.0.0.1" : host === "0.0.0.0" ? "127.0.0.1" : host}:${a.port}`;
  }

  /** Stops listening and ends every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((r) => this.#server.close(() => r()));
    for (const s of this.#sockets) s.destroy();
    await closed;
  }
}
