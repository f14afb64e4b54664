import type { FakeRestClient } from "@kube-codegen/runtime/fake";
import { createResourceClient, isGone, type KindTypes, type ListMeta, type KubeObject, type ResourceClientFor, type ResourceDescriptor, type RestClient, type WatchOptions } from "@kube-codegen/runtime";

/** What a scenario gets: clients on one side (real or fake), its namespaces, and a recorder. */
export interface Side {
  readonly rest: RestClient;
  readonly ns: string;
  /** A second namespace, for scenarios across namespaces. */
  readonly ns2: string;
  /** The fake, on the fake's side (for what only the fake can do: compact its history). */
  readonly fake: FakeRestClient | undefined;
  client<K extends KindTypes>(resource: K["descriptor"], namespace?: string): ResourceClientFor<K>;
  /** Records the outcome of one call: its result or its error. */
  step(label: string, call: () => Promise<unknown>): Promise<unknown>;
  /** Records a value computed by the scenario. */
  note(label: string, value: unknown): void;
  /**
   * Opens a watch, runs `during`, and records the first `count` events (or what came in 3 s), or
   * the error that ended the watch.
   */
  watch(label: string, resource: ResourceDescriptor, namespace: string | undefined, options: WatchOptions, count: number, during: () => Promise<void>): Promise<void>;
}

/** One recorded outcome. */
export type Outcome = { readonly label: string; readonly value?: unknown; readonly error?: unknown };

/** The part of an API error scenarios compare. */
function errorOf(err: unknown): unknown {
  const e = err as { code?: unknown; reason?: unknown; status?: { message?: unknown; details?: unknown } };
  if (typeof e?.code === "number" && typeof e.reason === "string") return { code: e.code, reason: e.reason, message: e.status?.message, details: e.status?.details };
  return { thrown: String(err) };
}

/** A side that records into `out`. */
export function makeSide(rest: RestClient, ns: string, ns2: string, out: Outcome[], fake?: FakeRestClient): Side {
  return {
    rest,
    ns,
    ns2,
    fake,
    client: <K extends KindTypes>(resource: K["descriptor"], namespace?: string) => createResourceClient<K>(rest, resource, namespace),
    async step(label, call) {
      try {
        const value = await call();
        out.push({ label, value });
        return value;
      } catch (error) {
        out.push({ label, error: errorOf(error) });
        return undefined;
      }
    },
    note(label, value) {
      out.push({ label, value });
    },
    async watch(label, resource, namespace, options, count, during) {
      const client = createResourceClient<{ object: KubeObject; list: { metadata: ListMeta; items: KubeObject[] }; descriptor: ResourceDescriptor }>(rest, resource, namespace);
      const ac = new AbortController();
      const events: unknown[] = [];
      let failure: unknown;
      let opened: () => void = () => undefined;
      const ready = new Promise<void>((r) => (opened = r));
      const done = (async () => {
        try {
          const it = client.watch({ allowWatchBookmarks: false, ...options, signal: ac.signal })[Symbol.asyncIterator]();
          const first = it.next();
          opened();
          let r = await first;
          while (r.done !== true) {
            if (r.value.type !== "BOOKMARK" || options.sendInitialEvents === true) events.push({ type: r.value.type, object: r.value.object });
            if (events.length >= count) break;
            r = await it.next();
          }
          await it.return?.();
        } catch (err) {
          if (!ac.signal.aborted) failure = isGone(err) ? { gone: errorOf(err) } : errorOf(err);
        }
      })();
      await ready;
      // The real watch is open once its request went out; give it a moment to register.
      await new Promise((r) => setTimeout(r, 150));
      await during();
      const timer = setTimeout(() => ac.abort(), 3_000);
      await done;
      clearTimeout(timer);
      ac.abort();
      out.push({ label, value: { events, ...(failure !== undefined ? { error: failure } : {}) } });
    },
  };
}

const GENERATED = /^(.*-)[bcdfghjklmnpqrstvwxz2456789]{5}$/;

/**
 * Makes outcomes of the two sides comparable: uids, timestamps and resourceVersions become tokens
 * numbered in order of first appearance (so equal stays equal and order is kept), generated name
 * suffixes likewise; list resourceVersions (the real server's counter is global) become a marker;
 * managed fields are sorted by manager.
 */
export function normalize(outcomes: readonly Outcome[]): unknown[] {
  const tokens = new Map<string, string>();
  const token = (kind: string, v: string): string => {
    const k = `${kind}:${v}`;
    let t = tokens.get(k);
    if (t === undefined) {
      t = `<${kind}${[...tokens.keys()].filter((x) => x.startsWith(`${kind}:`)).length + 1}>`;
      tokens.set(k, t);
    }
    return t;
  };
  const names = new Map<string, string>();
  const walk = (v: unknown, key: string, parent: string): unknown => {
    if (typeof v === "string") {
      if (key === "uid") return token("uid", v);
      if (key === "resourceVersion") return parent === "list" ? "<list-rv>" : token("rv", v);
      if (["creationTimestamp", "deletionTimestamp", "time", "lastTransitionTime"].includes(key)) return "<time>";
      if (key === "continue") return v === "" ? v : "<continue>";
      let s = v;
      for (const [real, t] of names) s = s.split(real).join(t);
      if (key !== "message" || !/ResourceVersion|UID/.test(s)) return s;
      // Messages name uids and resourceVersions (preconditions): as whole words only.
      for (const [k, t] of tokens) if (k.startsWith("rv:") || k.startsWith("uid:")) s = s.replace(new RegExp(`\\b${k.slice(k.indexOf(":") + 1)}\\b`, "g"), t);
      return s;
    }
    if (Array.isArray(v)) {
      const items = v.map((x) => walk(x, "", parent));
      if (key === "causes") return (items as { field?: string; message?: string }[]).sort((a, b) => `${a.field}${a.message}`.localeCompare(`${b.field}${b.message}`));
      if (key === "managedFields") return (items as { manager?: string; operation?: string; subresource?: string }[]).sort((a, b) => `${a.manager}${a.operation}${a.subresource}`.localeCompare(`${b.manager}${b.operation}${b.subresource}`));
      return items;
    }
    if (typeof v === "object" && v !== null) {
      const o = v as Record<string, unknown>;
      const meta = o["metadata"] as { name?: unknown; generateName?: unknown } | undefined;
      if (typeof meta?.name === "string" && typeof meta.generateName === "string") {
        const m = GENERATED.exec(meta.name);
        if (m !== null && !names.has(meta.name)) names.set(meta.name, `${m[1]}<generated${names.size + 1}>`);
      }
      const isList = Array.isArray(o["items"]);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) out[k] = walk(o[k], k, key === "metadata" && parent === "listroot" ? "list" : isList ? "listroot" : "");
      return out;
    }
    return v;
  };
  return outcomes.map((o) => walk(o, "", ""));
}
