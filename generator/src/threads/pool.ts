import { Worker } from "node:worker_threads";
import type { ParsedSource } from "../load/parallel.js";
import type { SourceText } from "../load/sources.js";
import type { RuleKind } from "../model/not-checked.js";

/** What a worker can be asked. */
export type Task =
  | { readonly type: "parse"; readonly sources: readonly SourceText[] }
  | { readonly type: "not-checked"; readonly kinds: readonly RuleKind[] };

/** What a worker is told as it starts. */
export interface WorkerData {
  readonly preloadValidators?: boolean;
}

type Reply = { ok: true; value: unknown } | { ok: false; error: string };

/** Below this much input text a run stays on its own thread: a worker's start-up costs more. */
export const POOL_MIN_CHARS = 4_000_000;

/**
 * Worker threads of one generation run, started before the main thread reads anything else, so
 * that their start-up overlaps its work. A run ends with
 * {@link WorkerPool.close}.
 */
export class WorkerPool {
  readonly #workers: Worker[];
  /** Per worker: the tasks sent and not answered yet, by id. */
  readonly #pending: Map<number, (r: Reply) => void>[];
  #nextId = 0;

  private constructor(size: number, data: WorkerData) {
    // Only compiled code has a worker to start (the tests run the TypeScript sources in-process).
    const url = new URL("./worker.js", import.meta.url);
    this.#workers = Array.from({ length: size }, () => new Worker(url, { workerData: data }));
    this.#pending = this.#workers.map(() => new Map());
    this.#workers.forEach((w, i) => {
      w.on("message", (r: Reply & { id: number }) => {
        const settle = this.#pending[i]?.get(r.id);
        this.#pending[i]?.delete(r.id);
        // An idle worker does not keep the process alive.
        if (this.#pending[i]?.size === 0) w.unref();
        settle?.(r);
      });
      w.on("error", (err) => this.#fail(i, err instanceof Error ? (err.stack ?? err.message) : String(err)));
      w.on("exit", () => this.#fail(i, "a worker thread of the generator stopped"));
      w.unref();
    });
  }

  /**
   * A pool of `threads - 1` workers (this thread is the other), or undefined when one thread is
   * asked for (the default), the input is too small to gain from more, or this is not compiled code.
   *
   * One thread is the default because more did not pay on the only machine measured (2 cores,
   * `npm run bench:generate`): two threads parsing at once each ran about 40 % slower than one
   * alone (memory-bound work), and moving documents between threads as JSON took the rest.
   */
  static forInput(sources: readonly SourceText[], threads = 1): WorkerPool | undefined {
    if (threads < 2 || sources.length < 2 || !import.meta.url.endsWith(".js")) return undefined;
    const chars = sources.reduce((n, s) => n + s.text.length, 0);
    if (chars < POOL_MIN_CHARS) return undefined;
    return new WorkerPool(Math.min(threads, sources.length) - 1, {});
  }

  /** One worker that loads the CEL engine as it starts, for the "not checked" listing. */
  static forRules(): WorkerPool {
    return new WorkerPool(1, { preloadValidators: true });
  }

  /** Workers in the pool (this thread not counted). */
  get size(): number {
    return this.#workers.length;
  }

  /** Runs a task on worker `i` (modulo the pool's size). */
  run<T>(i: number, task: Task): Promise<T> {
    const index = i % this.#workers.length;
    const worker = this.#workers[index] as Worker;
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending[index]?.set(id, (r) => (r.ok ? resolve(r.value as T) : reject(new Error(`generator worker: ${r.error}`))));
      worker.ref();
      worker.postMessage({ id, task });
    });
  }

  /** Parses sources on worker `i`. */
  parse(i: number, sources: readonly SourceText[]): Promise<ParsedSource[]> {
    // Plain copies: a source may be a class whose text is a getter, which structured clone drops.
    return this.run(i, { type: "parse", sources: sources.map((s) => ({ name: s.name, text: s.text })) });
  }

  /** Ends the workers. */
  async close(): Promise<void> {
    const workers = this.#workers.splice(0);
    this.#pending.forEach((p) => p.clear());
    await Promise.all(workers.map((w) => w.terminate()));
  }

  #fail(i: number, error: string): void {
    const pending = [...(this.#pending[i]?.values() ?? [])];
    this.#pending[i]?.clear();
    for (const settle of pending) settle({ ok: false, error });
  }
}
