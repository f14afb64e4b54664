import type { KubeObject } from "../client/types.js";
import type { Status } from "../meta.js";
import { apiVersionOf } from "../resource.js";
import { applyConfiguration, updateManagedFields, type Part } from "./managed.js";
import { admit, copyMeta, generatedName, initMeta, resKey, storeUpdate, wire, type WriteContext } from "./objects.js";
import { jsonPatch, mergePatch, PatchError } from "./patch.js";
import type { ServedResource } from "./schema.js";
import { objectSelector } from "./select.js";
import { alreadyExists, badRequest, conflict, createWithVersion, expired, invalid, notFound, patchFailed, STALE, success } from "./status.js";
import { objectKey, type ObjectTracker } from "./tracker.js";

/** What a request addresses. */
export interface Target {
  readonly res: ServedResource;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly subresource: string | undefined;
}

/** Query parameters of list and deleteCollection. */
export interface ListQuery {
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  readonly limit?: number | undefined;
  readonly continue?: string | undefined;
  readonly resourceVersion?: string | undefined;
}

/** The body of a delete. */
export interface DeleteBody {
  readonly propagationPolicy?: "Orphan" | "Background" | "Foreground";
  readonly dryRun?: readonly string[];
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

/** Snapshots behind continue tokens: the rest of a paged list, as of its first page. */
interface Snapshots {
  readonly live: Map<string, { rv: string; items: KubeObject[] }>;
  /** Tokens issued once and expired since (by a compaction, or as the oldest of too many). */
  readonly expired: Set<string>;
}
const snapshots = new WeakMap<ObjectTracker, Snapshots>();
/** Continue tokens kept at once; older ones expire (answer 410), as after a compaction. */
const MAX_SNAPSHOTS = 1000;

function snapshotsOf(tracker: ObjectTracker): Snapshots {
  let s = snapshots.get(tracker);
  if (s === undefined) snapshots.set(tracker, (s = { live: new Map(), expired: new Set() }));
  return s;
}

const EXPIRED_TOKEN =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

/** The live object or the server's 404. */
function current(tracker: ObjectTracker, t: Target): KubeObject {
  const obj = tracker.get(resKey(t.res), objectKey(t.namespace, t.name));
  if (obj === undefined) throw notFound(t.res.descriptor, t.name);
  return obj;
}

/** `get` (also of the status subresource, which answers the whole object). */
export function getObject(tracker: ObjectTracker, t: Target): KubeObject {
  return current(tracker, t);
}

/** `list`: selectors, then `limit` and `continue` over a snapshot. */
export function listObjects(tracker: ObjectTracker, t: Omit<Target, "name" | "subresource">, q: ListQuery): { apiVersion: string; kind: string; metadata: Record<string, unknown>; items: KubeObject[] } {
  const d = t.res.descriptor;
  const sel = objectSelector(t.res, q.labelSelector, q.fieldSelector);
  let rv: string;
  let items: KubeObject[];
  const snaps = snapshotsOf(tracker);
  if (q.continue !== undefined && q.continue !== "") {
    const snap = snaps.live.get(q.continue);
    if (snap === undefined) {
      if (snaps.expired.has(q.continue)) throw expired(EXPIRED_TOKEN);
      throw badRequest(`invalid continue token: continue key is not valid: the fake did not issue ${JSON.stringify(q.continue)}`);
    }
    ({ rv, items } = snap);
  } else {
    rv = tracker.resourceVersion;
    items = tracker.all(resKey(t.res)).filter((o) => (t.namespace === undefined || o.metadata.namespace === t.namespace) && sel.matches(o));
  }
  const limit = q.resourceVersion === "0" ? 0 : (q.limit ?? 0);
  const metadata: Record<string, unknown> = { resourceVersion: rv, continue: "" };
  if (limit > 0 && items.length > limit) {
    const rest = items.slice(limit);
    items = items.slice(0, limit);
    const token = Buffer.from(`${rv}:${tracker.uid()}`, "utf8").toString("base64url");
    snaps.live.set(token, { rv, items: rest });
    for (const old of snaps.live.keys()) {
      if (snaps.live.size <= MAX_SNAPSHOTS) break;
      snaps.live.delete(old);
      snaps.expired.add(old);
    }
    metadata["continue"] = token;
    if (sel.empty) metadata["remainingItemCount"] = rest.length;
  }
  return { apiVersion: apiVersionOf(d), kind: d.listKind, metadata, items };
}

/** Forgets every continue token (their lists answer 410), as a compaction does. */
export function expireContinueTokens(tracker: ObjectTracker): void {
  const snaps = snapshotsOf(tracker);
  for (const token of snaps.live.keys()) snaps.expired.add(token);
  snaps.live.clear();
}

/**
 * `create`: name or generateName, namespace from the path, system fields, admission. `seed`: an
 * object the fake starts with, which keeps its status (a client's create cannot set it).
 */
export function createObject(tracker: ObjectTracker, t: Omit<Target, "name" | "subresource">, body: unknown, ctx: WriteContext, seed = false): KubeObject {
  const d = t.res.descriptor;
  const obj = wire(body) as KubeObject;
  if (typeof obj !== "object" || obj === null || typeof obj.metadata !== "object" || obj.metadata === null) {
    throw badRequest("Object 'metadata' is missing in 'null'");
  }
  const meta = obj.metadata;
  if (d.scope === "Namespaced" && meta.namespace !== undefined && meta.namespace !== "" && meta.namespace !== t.namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  if (meta.resourceVersion !== undefined && meta.resourceVersion !== "") {
    throw createWithVersion();
  }
  if ((meta.name === undefined || meta.name === "") && meta.generateName !== undefined && meta.generateName !== "") meta.name = generatedName(meta.generateName);
  if (meta.name === undefined || meta.name === "") {
    throw invalid(d, "", [{ reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" }]);
  }
  initMeta(tracker, obj, d.scope === "Namespaced" ? t.namespace : undefined);
  if (d.subresources.status === true && !seed) delete (obj as unknown as Record<string, unknown>)["status"];
  admit(t.res, obj, ctx);
  const key = objectKey(meta.namespace, meta.name);
  if (tracker.get(resKey(t.res), key) !== undefined) throw alreadyExists(d, meta.name);
  const ownership = { manager: ctx.fieldManager, apiVersion: apiVersionOf(d), subresource: undefined, part: partOf(t.res, undefined), schema: t.res.schema, now: tracker.timestamp() };
  const managed = updateManagedFields(emptyLike(obj), obj, undefined, ownership);
  if (managed.length > 0) meta.managedFields = managed;
  else delete meta.managedFields;
  if (ctx.dryRun) return obj;
  return tracker.commit(resKey(t.res), key, obj, undefined);
}

/** An empty object with the same identity, to diff a created object against. */
function emptyLike(obj: KubeObject): KubeObject {
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { ...obj.metadata, generateName: undefined, labels: undefined, annotations: undefined, finalizers: undefined, ownerReferences: undefined, managedFields: undefined, generation: 0 } } as unknown as KubeObject;
}

/** Which part of the object a write to `subresource` may change. */
function partOf(res: ServedResource, subresource: string | undefined): Part {
  if (res.descriptor.subresources.status !== true) return "all";
  return subresource === "status" ? "status" : "main";
}

/** What a write to one part keeps of the old object: status on the main resource, all but status on /status. */
function confine(res: ServedResource, old: KubeObject, next: KubeObject, subresource: string | undefined): KubeObject {
  const part = partOf(res, subresource);
  const o = old as unknown as Record<string, unknown>;
  const n = next as unknown as Record<string, unknown>;
  if (part === "main") {
    if (o["status"] === undefined) delete n["status"];
    else n["status"] = o["status"];
    return next;
  }
  if (part === "status") {
    const kept = structuredClone(o);
    if (n["status"] === undefined) delete kept["status"];
    else kept["status"] = n["status"];
    return kept as unknown as KubeObject;
  }
  return next;
}

function checkIdentity(t: Target, obj: KubeObject): void {
  if (typeof obj !== "object" || obj === null || typeof obj.metadata !== "object" || obj.metadata === null) throw badRequest("Object 'metadata' is missing");
  if (obj.metadata.name !== undefined && obj.metadata.name !== t.name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${t.name})`);
  }
  if (t.res.descriptor.scope === "Namespaced" && obj.metadata.namespace !== undefined && obj.metadata.namespace !== "" && obj.metadata.namespace !== t.namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
}

/** `update` (PUT) of the object or its status: a resourceVersion is required and must be current. */
export function updateObject(tracker: ObjectTracker, t: Target, body: unknown, ctx: WriteContext): KubeObject {
  const d = t.res.descriptor;
  const next = wire(body) as KubeObject;
  checkIdentity(t, next);
  const old = current(tracker, t);
  const rv = next.metadata.resourceVersion;
  if (rv === undefined || rv === "") {
    throw invalid(d, t.name, [{ reason: "FieldValueInvalid", message: "Invalid value: 0: must be specified for an update", field: "metadata.resourceVersion" }], "resource");
  }
  if (rv !== old.metadata.resourceVersion) throw conflict(d, t.name, STALE);
  return writeOver(tracker, t, old, next, ctx);
}

function writeOver(tracker: ObjectTracker, t: Target, old: KubeObject, next: KubeObject, ctx: WriteContext): KubeObject {
  copyMeta(next.metadata, old.metadata, "namespace");
  copyMeta(next.metadata, old.metadata, "name");
  const confined = confine(t.res, old, next, t.subresource);
  if (t.subresource === "status") copyMeta(confined.metadata, old.metadata, "managedFields");
  admit(t.res, confined, ctx, old);
  return storeUpdate(tracker, t.res, objectKey(t.namespace, t.name), old, confined, ctx, partOf(t.res, t.subresource), t.subresource);
}

/** The three patch types by content type. */
export type PatchType = "merge" | "json" | "apply";

/** `patch` of the object or its status: merge, JSON, or server-side apply (which creates). */
export function patchObject(tracker: ObjectTracker, t: Target, type: PatchType, body: unknown, ctx: WriteContext, force: boolean): KubeObject {
  const d = t.res.descriptor;
  if (type === "apply") return applyObject(tracker, t, body, ctx, force);
  const old = current(tracker, t);
  let patched: unknown;
  try {
    patched = type === "merge" ? mergePatch(old, wire(body)) : jsonPatch(old, wire(body) as never);
  } catch (err) {
    if (err instanceof PatchError) throw patchFailed();
    throw err;
  }
  const next = patched as KubeObject;
  if (typeof next !== "object" || next === null || typeof next.metadata !== "object" || next.metadata === null) throw badRequest("the patch removed metadata");
  checkIdentity(t, next);
  const rv = next.metadata.resourceVersion;
  if (rv !== undefined && rv !== old.metadata.resourceVersion) throw conflict(d, t.name, STALE);
  return writeOver(tracker, t, old, next, ctx);
}

function applyObject(tracker: ObjectTracker, t: Target, body: unknown, ctx: WriteContext, force: boolean): KubeObject {
  const d = t.res.descriptor;
  const config = wire(body) as Record<string, unknown> & KubeObject;
  if (typeof config !== "object" || config === null || typeof config.metadata !== "object") throw badRequest("the apply configuration has no metadata");
  checkIdentity(t, config);
  if (config.apiVersion !== apiVersionOf(d) || config.kind !== d.kind) {
    throw badRequest(`the API version in the data (${config.apiVersion ?? ""}) does not match the expected API version (${apiVersionOf(d)})`);
  }
  const key = objectKey(t.namespace, t.name);
  const live = tracker.get(resKey(t.res), key);
  if (live !== undefined && config.metadata.resourceVersion !== undefined && config.metadata.resourceVersion !== live.metadata.resourceVersion) throw conflict(d, t.name, STALE);
  const part = partOf(t.res, t.subresource);
  const ownership = { manager: ctx.fieldManager, apiVersion: apiVersionOf(d), subresource: t.subresource, part, schema: t.res.schema, now: tracker.timestamp() };
  if (live === undefined) {
    if (t.subresource !== undefined) throw notFound(d, t.name);
    const { object, managedFields } = applyConfiguration(undefined, config, force, ownership);
    const obj = object as unknown as KubeObject;
    obj.metadata.name = t.name;
    initMeta(tracker, obj, d.scope === "Namespaced" ? t.namespace : undefined);
    if (d.subresources.status === true) delete (obj as unknown as Record<string, unknown>)["status"];
    obj.metadata.managedFields = managedFields;
    admit(t.res, obj, ctx);
    if (ctx.dryRun) return obj;
    return tracker.commit(resKey(t.res), key, obj, undefined);
  }
  const { object, managedFields } = applyConfiguration(live, config, force, ownership);
  const next = confine(t.res, live, object as unknown as KubeObject, t.subresource);
  copyMeta(next.metadata, live.metadata, "resourceVersion");
  admit(t.res, next, ctx, live);
  return storeUpdate(tracker, t.res, key, live, next, ctx, part, t.subresource, managedFields);
}

/**
 * `delete`: preconditions, then either gone (a success Status) or, with finalizers (or the
 * finalizer a propagation policy adds), marked with deletionTimestamp and answered as it is now.
 */
export function deleteObject(tracker: ObjectTracker, t: Target, body: DeleteBody, ctx: WriteContext): KubeObject | Status {
  const d = t.res.descriptor;
  const old = current(tracker, t);
  const pre = body.preconditions;
  if (pre?.uid !== undefined && pre.uid !== old.metadata.uid) {
    throw conflict(d, t.name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${old.metadata.uid ?? ""}). The object might have been deleted and then recreated`, "kind");
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== old.metadata.resourceVersion) {
    throw conflict(d, t.name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${old.metadata.resourceVersion ?? ""}). The object might have been modified`, "kind");
  }
  const key = objectKey(t.namespace, t.name);
  const finalizers = [...(old.metadata.finalizers ?? [])];
  const extra = body.propagationPolicy === "Orphan" ? "orphan" : body.propagationPolicy === "Foreground" ? "foregroundDeletion" : undefined;
  if (extra !== undefined && !finalizers.includes(extra)) finalizers.push(extra);
  if (finalizers.length === 0) {
    if (!ctx.dryRun) tracker.commit(resKey(t.res), key, undefined, old);
    return success(d, t.name, old.metadata.uid);
  }
  if (old.metadata.deletionTimestamp !== undefined && finalizers.length === (old.metadata.finalizers ?? []).length) return old;
  const next = structuredClone(old);
  next.metadata.finalizers = finalizers;
  next.metadata.deletionTimestamp ??= tracker.timestamp();
  next.metadata.deletionGracePeriodSeconds ??= 0;
  next.metadata.generation = (old.metadata.generation ?? 0) + 1;
  if (ctx.dryRun) return next;
  return tracker.commit(resKey(t.res), key, next, old);
}

/** `deleteCollection`: deletes every selected object; answers the list of what it deleted. */
export function deleteCollection(tracker: ObjectTracker, t: Omit<Target, "name" | "subresource">, q: ListQuery, body: DeleteBody, ctx: WriteContext): { apiVersion: string; kind: string; metadata: Record<string, unknown>; items: KubeObject[] } {
  const list = listObjects(tracker, t, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector });
  const items: KubeObject[] = [];
  for (const o of list.items) {
    deleteObject(tracker, { ...t, namespace: o.metadata.namespace, name: o.metadata.name ?? "", subresource: undefined }, body, ctx);
    items.push(o); // answered as they were listed
  }
  return { ...list, metadata: { resourceVersion: tracker.resourceVersion, continue: "" }, items };
}
