import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The "world outside the cluster" the operator also manages: one JSON record per Website in a
 * directory (think DNS entries or CDN configuration). Writing is idempotent, and so is deleting:
 * `remove` answers whether there was a record to delete, so a repeated cleanup does no harm.
 */
export class RecordStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Writes (or overwrites) the record of a site. */
  put(namespace: string, name: string, record: unknown): void {
    writeFileSync(this.#file(namespace, name), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** The record of a site, or undefined. */
  get(namespace: string, name: string): unknown {
    const f = this.#file(namespace, name);
    return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as unknown) : undefined;
  }

  /** Deletes the record; answers whether one was there. */
  remove(namespace: string, name: string): boolean {
    const f = this.#file(namespace, name);
    if (!existsSync(f)) return false;
    rmSync(f);
    return true;
  }

  #file(namespace: string, name: string): string {
    // Namespace and name are DNS labels and subdomains: no "/" can reach the path.
    return join(this.dir, `${namespace}_${name}.json`);
  }
}
