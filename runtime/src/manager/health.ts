import type { IncomingMessage, ServerResponse } from "node:http";

/** A named health or readiness check: resolves when healthy, throws (or rejects) with the reason when not. */
export type Checker = () => void | Promise<void>;

/** The always-healthy check (controller-runtime's `healthz.Ping`). */
export const ping: Checker = () => undefined;

/**
 * Named checks served like controller-runtime's `healthz.Handler`: `GET /healthz` answers `ok`
 * (200) or lists the failing checks (500); `?verbose` lists every check as `[+]name ok` or
 * `[-]name failed: reason withheld`; `?exclude=name` skips one; `/healthz/<name>` runs one. Reasons
 * are logged, not served.
 */
export class Checks {
  readonly #checks = new Map<string, Checker>();

  constructor(
    readonly kind: "healthz" | "readyz",
    private readonly onFailure: (name: string, error: unknown) => void,
  ) {}

  /** Adds a check; names are unique. */
  add(name: string, check: Checker): void {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i.test(name)) throw new Error(`${this.kind} check name ${JSON.stringify(name)}: letters, digits, '-' and '.' only`);
    if (this.#checks.has(name)) throw new Error(`${this.kind} check ${name} is added already`);
    this.#checks.set(name, check);
  }

  /** The names of the checks. */
  names(): string[] {
    return [...this.#checks.keys()];
  }

  /** Runs the checks (all, or one) and says which failed. */
  async run(only?: string, exclude: readonly string[] = []): Promise<{ name: string; ok: boolean }[] | undefined> {
    const selected = [...this.#checks].filter(([n]) => (only === undefined ? !exclude.includes(n) : n === only));
    if (only !== undefined && selected.length === 0) return undefined;
    return Promise.all(
      selected.map(async ([name, check]) => {
        try {
          await check();
          return { name, ok: true };
        } catch (err) {
          this.onFailure(name, err);
          return { name, ok: false };
        }
      }),
    );
  }

  /** Answers `/<kind>`, `/<kind>/` and `/<kind>/<name>`; false when the path is not this one's. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const base = `/${this.kind}`;
    if (url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return false;
    const rest = url.pathname.slice(base.length + 1);
    const only = rest === "" ? undefined : decodeURIComponent(rest);
    const results = await this.run(only, url.searchParams.getAll("exclude"));
    if (results === undefined) {
      reply(res, 404, `${this.kind} check ${only ?? ""} not found\n`);
      return true;
    }
    const failed = results.some((r) => !r.ok);
    const verbose = url.searchParams.has("verbose");
    const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
    if (failed) reply(res, 500, `${lines.join("\n")}\n${this.kind} check failed\n`);
    else if (verbose) reply(res, 200, `${lines.join("\n")}\n${this.kind} check passed\n`);
    else reply(res, 200, "ok");
    return true;
  }
}

function reply(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
  res.end(body);
}
