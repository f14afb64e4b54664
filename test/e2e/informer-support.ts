import { expect } from "@jest/globals";
import { isTombstone, keyOf, type DeletedFinalStateUnknown, type KubeObject } from "@kube-codegen/runtime";

/** What a test handler saw, per object key, in order. */
export class Recorder<T extends KubeObject> {
  readonly log: string[] = [];
  readonly perKey = new Map<string, { type: "add" | "update" | "delete"; rv: string; tombstone: boolean }[]>();
  backwards: string[] = [];

  handler() {
    return {
      onAdd: (o: T, initial: boolean) => this.#record("add", o, false, initial),
      onUpdate: (a: T, b: T) => {
        const before = Number(a.metadata.resourceVersion);
        const after = Number(b.metadata.resourceVersion);
        if (after < before) this.backwards.push(`${keyOf(b)} ${before}→${after}`);
        this.#record("update", b, false, false);
      },
      onDelete: (o: T | DeletedFinalStateUnknown<T>) => {
        if (isTombstone(o)) this.#record("delete", o.lastKnownObject, true, false);
        else this.#record("delete", o, false, false);
      },
    };
  }

  #record(type: "add" | "update" | "delete", o: T, tombstone: boolean, initial: boolean): void {
    const key = keyOf(o);
    const rv = o.metadata.resourceVersion ?? "";
    this.log.push(`${type} ${o.metadata.name}${tombstone ? " (tombstone)" : ""}${initial ? " (initial)" : ""}`);
    const list = this.perKey.get(key) ?? [];
    const last = list.at(-1);
    if (type === "update" && last !== undefined && Number(rv) < Number(last.rv)) this.backwards.push(`${key} ${last.rv}→${rv}`);
    list.push({ type, rv, tombstone });
    this.perKey.set(key, list);
  }

  /** Every object's last event matches the server: present with its resourceVersion, or deleted. */
  expectMatches(server: readonly T[]): void {
    const live = new Map(server.map((o) => [keyOf(o), o.metadata.resourceVersion ?? ""]));
    for (const [key, events] of this.perKey) {
      const last = events.at(-1);
      if (live.has(key)) expect({ key, last: last?.type === "delete" ? "delete" : last?.rv }).toEqual({ key, last: live.get(key) });
      else expect({ key, last: last?.type }).toEqual({ key, last: "delete" });
    }
    for (const key of live.keys()) expect({ key, seen: this.perKey.has(key) }).toEqual({ key, seen: true });
    expect(this.backwards).toEqual([]);
  }
}

/** key → resourceVersion of a set of objects. */
export const versions = (objects: readonly KubeObject[]): Record<string, string> =>
  Object.fromEntries(objects.map((o): [string, string] => [keyOf(o), o.metadata.resourceVersion ?? ""]).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Polls until `check` passes (it throws until then) or the time is up; then throws its error. */
export async function eventually(check: () => void | Promise<void>, ms = 20_000, every = 100): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, every));
    }
  }
}
