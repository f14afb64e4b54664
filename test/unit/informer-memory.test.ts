import { describe, expect, test } from "@jest/globals";
import {
  ApiStatusError,
  SharedInformer,
  StringTable,
  internStrings,
  type KubeObject,
  type ListOptions,
  type ListerWatcher,
  type WatchEvent,
} from "@kube-codegen/runtime";
import { listPages, peekContinue } from "../../runtime/src/cache/pages.js";

interface Obj extends KubeObject {
  spec?: { image?: string; args?: string[] };
}

const managed = [{ manager: "kube-controller-manager", operation: "Update", apiVersion: "v1", time: "2026-11-01T10:00:00Z", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:image": {} } } }];
/** A fresh object, as JSON.parse makes it: no string shared with another object's. */
const decoded = (name: string, rv = "1"): Obj =>
  JSON.parse(JSON.stringify({ apiVersion: "t.example.com/v1", kind: "T", metadata: { name, namespace: "default", uid: `uid-${name}`, resourceVersion: rv, labels: { app: "shop-frontend-long-name" }, managedFields: managed }, spec: { image: "registry.example.com/shop/app:v1.2.3", args: ["--verbose-logging-flag"] } })) as Obj;

/** A source answering one list of the given objects, whose watches never send anything. */
function source(objects: () => Obj[]): ListerWatcher<Obj> {
  return {
    async list() {
      return { metadata: { resourceVersion: "1" }, items: objects() };
    },
    async *watch(o) {
      await new Promise<void>((r) => (o.signal?.aborted === true ? r() : o.signal?.addEventListener("abort", () => r(), { once: true })));
      yield* [] as WatchEvent<Obj>[];
    },
  };
}

async function synced(options: ConstructorParameters<typeof SharedInformer<Obj>>[1]): Promise<SharedInformer<Obj>> {
  const informer = new SharedInformer<Obj>(source(() => [decoded("a"), decoded("b")]), options);
  informer.start();
  await informer.waitForSync();
  await informer.stop();
  return informer;
}

describe("what informers cache", () => {
  test("managedFields are dropped by default, kept with stripManagedFields: false; a transform runs after the strip", async () => {
    const seen: boolean[] = [];
    const stripped = await synced({ namespaced: true, transform: (o) => (seen.push(o.metadata.managedFields !== undefined), o) });
    expect(stripped.store.get("default/a")?.metadata.managedFields).toBeUndefined();
    expect(stripped.store.get("default/a")?.metadata).toEqual({ name: "a", namespace: "default", uid: "uid-a", resourceVersion: "1", labels: { app: "shop-frontend-long-name" } });
    expect(seen).toEqual([false, false]);
    const kept = await synced({ namespaced: true, stripManagedFields: false });
    expect(kept.store.get("default/a")?.metadata.managedFields).toEqual(managed);
  });

  test("equal strings of cached objects are shared: metadata by default, spec and status too with internStrings: 'all'", async () => {
    // Whether two equal strings are one string is not observable from JS (the bench measures the
    // heap); what is: which strings enter the table, and that objects stay equal to what was decoded.
    const table = new StringTable();
    const a = internStrings(decoded("a"), table, "all");
    const b = internStrings(decoded("b"), table, "all");
    expect(table.size).toBeGreaterThan(0);
    // The unique fields of metadata never enter the table; the shared ones do, once.
    const probe = new StringTable();
    internStrings(decoded("a"), probe);
    const metadataOnly = probe.size;
    // apiVersion, kind, namespace, the label value; managedFields' manager, operation, apiVersion, time, fieldsType.
    expect(metadataOnly).toBe(9);
    expect(b).toEqual(decoded("b"));
    expect(a).toEqual(decoded("a"));
    const all = new StringTable();
    internStrings(decoded("a"), all, "all");
    expect(all.size).toBe(metadataOnly + 2); // the image and the argument
  });

  test("interning leaves frozen objects alone and starts over at its limit", () => {
    const frozen = Object.freeze(decoded("f"));
    expect(internStrings(frozen, new StringTable())).toBe(frozen);
    const table = new StringTable(3);
    for (const s of ["one", "two", "three", "four"]) table.intern(s);
    expect(table.size).toBe(1);
  });
});

describe("paged lists", () => {
  test("the continue token is read from the head of a page, before its items", () => {
    expect(peekContinue('{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9","continue":"abc"},"items":[{"metadata":{"name":"x"}}]}')).toBe("abc");
    expect(peekContinue('{"kind":"PodList","metadata":{"resourceVersion":"9"},"items":[]}')).toBeUndefined();
    expect(peekContinue('{"metadata":{"resourceVersion":"9","continue":""},\n "items": []}')).toBeUndefined();
    // Items before metadata, or no JSON: unknown, so the whole page is parsed first.
    expect(peekContinue('{"items":[{"items":1}],"metadata":{"continue":"abc"}}')).toBeNull();
    expect(peekContinue('{"kind":"List","spec":{"items":')).toBeNull();
    expect(peekContinue("not json")).toBeNull();
  });

  const page = (items: number[], cont?: string): string => JSON.stringify({ kind: "List", metadata: { resourceVersion: "5", ...(cont !== undefined ? { continue: cont } : {}) }, items: items.map((i) => ({ metadata: { name: `o${i}` } })) });

  test("the next page is requested before the current one is handed out; every item arrives once, in order", async () => {
    const requests: (string | undefined)[] = [];
    const texts: Record<string, string> = { "": page([1, 2], "p2"), p2: page([3], "p3"), p3: page([4, 5]) };
    let count = 0;
    const pages = listPages<{ metadata: { name: string } }>({
      options: (token) => ({ limit: 2, ...(token !== undefined ? { continue: token } : {}) }),
      requested: () => void count++,
      listText: async (o: ListOptions) => (requests.push(o.continue), texts[o.continue ?? ""] as string),
    });
    const names: string[] = [];
    const requestedWhenHandedOut: number[] = [];
    for await (const p of pages) {
      requestedWhenHandedOut.push(requests.length);
      names.push(...p.items.map((i) => i.metadata.name));
    }
    expect(names).toEqual(["o1", "o2", "o3", "o4", "o5"]);
    expect(requests).toEqual([undefined, "p2", "p3"]);
    expect(requestedWhenHandedOut).toEqual([2, 3, 3]);
    expect(count).toBe(3);
  });

  test("a 410 on a continued page is an expired token; a page that is not a list is an error", async () => {
    const expired = new ApiStatusError({ verb: "list", method: "GET", url: "/x" }, { kind: "Status", code: 410, reason: "Expired", message: "continue expired" }, 410);
    const run = async (listText: (o: ListOptions) => Promise<string>): Promise<unknown> => {
      try {
        for await (const _ of listPages({ options: (t) => (t !== undefined ? { continue: t } : {}), requested: () => {}, listText })) void _;
        return undefined;
      } catch (err) {
        return err;
      }
    };
    const e1 = await run(async (o) => (o.continue === undefined ? page([1], "p2") : Promise.reject(expired)));
    expect((e1 as Error).name).toBe("KubeError");
    expect((e1 as Error).cause).toBe(expired);
    expect(await run(async () => Promise.reject(expired))).toBe(expired); // the first page: not a token problem
    expect(String(await run(async () => '{"kind":"Status"}'))).toMatch(/not a list/);
    expect(String(await run(async () => "<html>"))).toMatch(/not JSON/);
  });
});
