import { request, type ClientRequest } from "node:http";

/** One server-sent event. */
export interface SseEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: unknown;
}

/**
 * A server-sent event stream read over node:http, parsed by the rules of the EventSource spec
 * (fields `event`, `id`, `data`; a blank line ends an event; `:` lines are comments).
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  #req: ClientRequest;
  #waiters = new Set<() => void>();
  #buffer = "";
  #status: Promise<number>;
  #ended = false;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.#req = request(url, { headers: { accept: "text/event-stream", ...headers } });
    this.#status = new Promise((resolve, reject) => {
      this.#req.on("response", (res) => {
        resolve(res.statusCode ?? 0);
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => this.#feed(chunk));
        res.on("close", () => {
          this.#ended = true;
          this.#wake();
        });
      });
      this.#req.on("error", (err) => {
        this.#ended = true;
        this.#wake();
        reject(err);
      });
    });
    this.#req.end();
  }

  /** The response's status code. */
  status(): Promise<number> {
    return this.#status;
  }

  /** Whether the server has closed the stream. */
  get ended(): boolean {
    return this.#ended;
  }

  /** The first event from index `from` on that matches, waiting up to `timeoutMs` for it. */
  async next(match: (e: SseEvent) => boolean, from = 0, timeoutMs = 15_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found !== undefined) return found;
      if (this.#ended) throw new Error(`the stream ended without the event; got ${JSON.stringify(this.events.map((e) => e.event))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  /** Closes the stream from the client's side. */
  close(): void {
    this.#req.destroy();
  }

  #feed(chunk: string): void {
    this.#buffer += chunk;
    let end: number;
    while ((end = this.#buffer.indexOf("\n\n")) >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let event = "message";
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "id") id = value;
        else if (field === "data") data.push(value);
      }
      if (data.length > 0) this.events.push({ event, id, data: JSON.parse(data.join("\n")) as unknown });
    }
    this.#wake();
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }
}
