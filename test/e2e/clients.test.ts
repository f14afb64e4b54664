import { afterAll, beforeAll, expect, test } from "@jest/globals";
import {
  ApiStatusError,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isInvalid,
  isNotFound,
  retryOnConflict,
  type WatchEvent,
} from "@kube-codegen/runtime";
import { createClientset, type Clientset, type shopV1 } from "../../fixtures/generated/index.js";
import { describeE2E } from "../support/e2e.js";
import { fixtureCrds, freshNamespace, installCrds } from "./support.js";

const widget = (name: string, labels: Record<string, string> = {}, size: shopV1.WidgetSpecSize = "small"): shopV1.Widget => ({
  apiVersion: "shop.example.com/v1",
  kind: "Widget",
  metadata: { name, labels },
  spec: { size },
});

describeE2E("generated clients against the real apiserver", (server) => {
  let cs: Clientset;
  let ns: string;

  beforeAll(async () => {
    cs = createClientset({ kubeconfigPath: server.kubeconfigPath });
    await installCrds(cs.rest, fixtureCrds("widgets.yaml", "cluster-gadgets.json"));
    ns = await freshNamespace(cs.rest, "clients");
  }, 60_000);

  afterAll(() => cs.rest.close());

  test("create → get → list with a label selector", async () => {
    const widgets = cs.shopV1.widgets(ns);
    const created = await widgets.create(widget("a", { tier: "front" }));
    expect(created.metadata.uid).toBeDefined();
    expect(created.spec?.replicas).toBe(1); // server-side default
    await widgets.create(widget("b", { tier: "back" }));
    expect((await widgets.get("a")).metadata.uid).toBe(created.metadata.uid);
    const front = await widgets.list({ labelSelector: "tier=front" });
    expect(front.items.map((w) => w.metadata.name)).toEqual(["a"]);
    const notFront = await widgets.list({ labelSelector: "tier notin (front)" });
    expect(notFront.items.map((w) => w.metadata.name)).toEqual(["b"]);
    // Across all namespaces.
    expect((await cs.shopV1.widgets().list({ fieldSelector: `metadata.namespace=${ns}` })).items).toHaveLength(2);
  });

  test("listAll walks 3 pages of one snapshot", async () => {
    const widgets = cs.shopV1.widgets(ns);
    for (let i = 0; i < 5; i++) await widgets.create(widget(`page-${i}`, { paged: "yes" }));
    const pages: string[][] = [];
    for await (const page of widgets.listAll({ labelSelector: "paged=yes", limit: 2 })) {
      expect(page.restarted).toBe(false);
      pages.push(page.items.map((w) => w.metadata.name ?? ""));
    }
    expect(pages).toEqual([["page-0", "page-1"], ["page-2", "page-3"], ["page-4"]]);
  });

  test("update with a stale resourceVersion is a conflict; retryOnConflict recovers", async () => {
    const widgets = cs.shopV1.widgets(ns);
    const stale = await widgets.create(widget("conflict"));
    await widgets.update({ ...stale, spec: { size: "medium" } });
    const err = await widgets.update({ ...stale, spec: { size: "large" } }).catch((e: unknown) => e);
    expect(isConflict(err)).toBe(true);
    expect(err).toBeInstanceOf(ApiStatusError);
    expect((err as ApiStatusError).request).toMatchObject({ verb: "update", method: "PUT" });
    let attempts = 0;
    const updated = await retryOnConflict(async () => {
      attempts++;
      const current = attempts === 1 ? stale : await widgets.get("conflict");
      return widgets.update({ ...current, spec: { size: "large" } });
    });
    expect(attempts).toBe(2);
    expect(updated.spec?.size).toBe("large");
  });

  test("merge, JSON and apply patches", async () => {
    const widgets = cs.shopV1.widgets(ns);
    await widgets.create({ ...widget("patched"), spec: { size: "small", color: "red" } });
    const merged = await widgets.patch("patched", { type: "merge", patch: { spec: { color: null, replicas: 4 } } });
    expect(merged.spec).toMatchObject({ size: "small", replicas: 4 });
    expect(merged.spec?.color).toBeUndefined();
    const jsonPatched = await widgets.patch("patched", { type: "json", patch: [{ op: "replace", path: "/spec/size", value: "large" }] });
    expect(jsonPatched.spec?.size).toBe("large");
    const applied = await widgets.apply(
      { apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "patched" }, spec: { size: "medium", color: "blue" } },
      { fieldManager: "e2e-apply", force: true },
    );
    expect(applied.spec).toMatchObject({ size: "medium", color: "blue", replicas: 4 });
    expect(applied.metadata.managedFields?.some((m) => m.manager === "e2e-apply" && m.operation === "Apply")).toBe(true);
    // Apply without force over a field another manager owns is a conflict.
    const err = await widgets
      .apply({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "patched" }, spec: { size: "small" } }, { fieldManager: "other" })
      .catch((e: unknown) => e);
    expect(isConflict(err)).toBe(true);
  });

  test("status: applyStatus by another field manager, updateStatus, patchStatus, getStatus", async () => {
    const widgets = cs.shopV1.widgets(ns);
    await widgets.create(widget("status"));
    const applied = await widgets.applyStatus(
      { apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "status" }, status: { phase: "Pending", replicas: 0 } },
      { fieldManager: "controller" },
    );
    expect(applied.status?.phase).toBe("Pending");
    expect(applied.metadata.managedFields?.find((m) => m.manager === "controller")?.subresource).toBe("status");
    // A status write through the main resource is ignored: status is a subresource.
    const viaMain = await widgets.update({ ...applied, status: { phase: "Failed" } });
    expect(viaMain.status?.phase).toBe("Pending");
    const updated = await widgets.updateStatus({ ...viaMain, status: { ...viaMain.status, phase: "Ready" } });
    expect(updated.status?.phase).toBe("Ready");
    const patched = await widgets.patchStatus("status", { type: "merge", patch: { status: { observedGeneration: 1 } } });
    expect(patched.status).toMatchObject({ phase: "Ready", observedGeneration: 1 });
    expect((await widgets.getStatus("status")).status?.observedGeneration).toBe(1);
  });

  test("scale: read and written", async () => {
    const widgets = cs.shopV1.widgets(ns);
    await widgets.create({ ...widget("scaled"), spec: { size: "small", replicas: 2 } });
    const scale = await widgets.getScale("scaled");
    expect(scale).toMatchObject({ apiVersion: "autoscaling/v1", kind: "Scale", spec: { replicas: 2 } });
    const written = await widgets.updateScale("scaled", { ...scale, spec: { replicas: 5 } });
    expect(written.spec?.replicas).toBe(5);
    expect((await widgets.get("scaled")).spec?.replicas).toBe(5);
    await widgets.patchScale("scaled", { type: "merge", patch: { spec: { replicas: 7 } } });
    expect((await widgets.get("scaled")).spec?.replicas).toBe(7);
  });

  test("watch sees ADDED, MODIFIED and DELETED in order, and bookmarks", async () => {
    const widgets = cs.shopV1.widgets(ns);
    const rv = (await widgets.list({ labelSelector: "watched=yes" })).metadata.resourceVersion;
    const controller = new AbortController();
    const seen: WatchEvent<shopV1.Widget>[] = [];
    const done = (async () => {
      for await (const ev of widgets.watch({ resourceVersion: rv, labelSelector: "watched=yes", signal: controller.signal })) {
        seen.push(ev);
        if (ev.type === "DELETED") return;
      }
    })();
    const created = await widgets.create(widget("watched", { watched: "yes" }));
    await widgets.update({ ...created, spec: { size: "large" } });
    await widgets.delete("watched");
    await done;
    controller.abort();
    expect(seen.map((e) => (e.type === "BOOKMARK" ? [e.type] : [e.type, e.object.metadata.name]))).toEqual([
      ["ADDED", "watched"],
      ["MODIFIED", "watched"],
      ["DELETED", "watched"],
    ]);
    // A streaming list ends its initial events with a bookmark.
    const initial: string[] = [];
    for await (const ev of widgets.watch({ sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", labelSelector: "tier" })) {
      initial.push(ev.type === "BOOKMARK" ? `BOOKMARK ${ev.object.metadata.annotations?.["k8s.io/initial-events-end"]}` : `${ev.type} ${ev.object.metadata.name}`);
      if (ev.type === "BOOKMARK") break;
    }
    expect(initial).toEqual(["ADDED a", "ADDED b", "BOOKMARK true"]);
  });

  test("delete with propagation and preconditions; deleteCollection", async () => {
    const widgets = cs.shopV1.widgets(ns);
    const w = await widgets.create(widget("doomed"));
    const wrongUid = await widgets.delete("doomed", { preconditions: { uid: "not-the-uid" } }).catch((e: unknown) => e);
    expect(isConflict(wrongUid)).toBe(true);
    await widgets.delete("doomed", { propagationPolicy: "Background", preconditions: { uid: w.metadata.uid ?? "" } });
    expect(isNotFound(await widgets.get("doomed").catch((e: unknown) => e))).toBe(true);
    // Foreground: the server marks the object and leaves it to the garbage collector (which
    // envtest does not run), so it stays, being deleted, with the foregroundDeletion finalizer.
    await widgets.create(widget("foreground"));
    const marked = await widgets.delete("foreground", { propagationPolicy: "Foreground" });
    expect(marked.kind).toBe("Widget");
    const still = await widgets.get("foreground");
    expect(still.metadata.deletionTimestamp).toBeDefined();
    expect(still.metadata.finalizers).toEqual(["foregroundDeletion"]);
    await widgets.deleteCollection({ labelSelector: "paged=yes" });
    expect((await widgets.list({ labelSelector: "paged=yes" })).items).toEqual([]);
  });

  test("404, 409, 422 and 403 come back as typed errors", async () => {
    const widgets = cs.shopV1.widgets(ns);
    const notFound = await widgets.get("nope").catch((e: unknown) => e);
    expect(isNotFound(notFound)).toBe(true);
    expect((notFound as ApiStatusError).message).toMatch(/^get \/apis\/shop\.example\.com\/v1\/namespaces\/\S+\/widgets\/nope: 404 NotFound/);
    await widgets.create(widget("dup"));
    expect(isAlreadyExists(await widgets.create(widget("dup")).catch((e: unknown) => e))).toBe(true);
    const invalid = await widgets.create({ ...widget("bad"), spec: { size: "huge" as shopV1.WidgetSpecSize } }).catch((e: unknown) => e);
    expect(isInvalid(invalid)).toBe(true);
    expect((invalid as ApiStatusError).status.details?.causes?.[0]?.field).toBe("spec.size");
    const asUser = createClientset({ kubeconfigPath: server.kubeconfigPath, context: "user" });
    const forbidden = await asUser.shopV1.widgets(ns).list().catch((e: unknown) => e);
    asUser.rest.close();
    expect(isForbidden(forbidden)).toBe(true);
    expect(String(forbidden)).not.toContain(server.userToken);
  });

  test("cluster-scoped kind", async () => {
    const gadgets = cs.shopV1.gadgets();
    const g = await gadgets.create({ apiVersion: "shop.example.com/v1", kind: "Gadget", metadata: { name: `g-${ns}` }, spec: { model: "x1" } });
    expect(g.metadata.namespace).toBeUndefined();
    expect(g.spec?.enabled).toBe(true); // default
    const withStatus = await gadgets.updateStatus({ ...g, status: { ready: true } });
    expect(withStatus.status?.ready).toBe(true);
    expect((await gadgets.list()).items.map((x) => x.metadata.name)).toContain(`g-${ns}`);
    await gadgets.delete(`g-${ns}`);
    expect(isNotFound(await gadgets.get(`g-${ns}`).catch((e: unknown) => e))).toBe(true);
  });
});
