import type { KubeObject, Scale } from "../client/types.js";
import type { ScaleSubresource } from "../resource.js";
import { resKey, storeUpdate, wire, type WriteContext } from "./objects.js";
import { jsonPatch, mergePatch, PatchError } from "./patch.js";
import { badRequest, conflict, notFound, patchFailed, STALE } from "./status.js";
import { objectKey, type ObjectTracker } from "./tracker.js";
import type { Target } from "./verbs.js";

function at(obj: unknown, path: string): unknown {
  let node = obj;
  for (const p of path.replace(/^\./, "").split(".")) node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[p] : undefined;
  return node;
}

function setAt(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/^\./, "").split(".");
  const last = parts.pop() ?? "";
  let node = obj;
  for (const p of parts) {
    const child = node[p];
    node = (typeof child === "object" && child !== null ? child : (node[p] = {})) as Record<string, unknown>;
  }
  node[last] = value;
}

function scaleOf(obj: KubeObject, s: ScaleSubresource): Scale {
  const m = obj.metadata;
  const spec = at(obj, s.specReplicasPath);
  const status = at(obj, s.statusReplicasPath);
  const selector = s.labelSelectorPath === undefined ? undefined : at(obj, s.labelSelectorPath);
  return {
    apiVersion: "autoscaling/v1",
    kind: "Scale",
    metadata: { name: m.name, ...(m.namespace !== undefined ? { namespace: m.namespace } : {}), uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp } as Scale["metadata"],
    spec: typeof spec === "number" && spec !== 0 ? { replicas: spec } : {},
    status: { replicas: typeof status === "number" ? status : 0, ...(typeof selector === "string" && selector !== "" ? { selector } : {}) },
  };
}

function target(tracker: ObjectTracker, t: Target): { obj: KubeObject; scale: ScaleSubresource } {
  const scale = t.res.descriptor.subresources.scale;
  if (scale === undefined) throw notFound(t.res.descriptor, t.name);
  const obj = tracker.get(resKey(t.res), objectKey(t.namespace, t.name));
  if (obj === undefined) throw notFound(t.res.descriptor, t.name);
  return { obj, scale };
}

/** `getScale`: the autoscaling/v1 Scale read from the CRD's replica paths. */
export function getScale(tracker: ObjectTracker, t: Target): Scale {
  const { obj, scale } = target(tracker, t);
  return scaleOf(obj, scale);
}

function writeScale(tracker: ObjectTracker, t: Target, obj: KubeObject, scale: ScaleSubresource, next: Scale, ctx: WriteContext): Scale {
  if (next.metadata?.resourceVersion !== undefined && next.metadata.resourceVersion !== "" && next.metadata.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(t.res.descriptor, t.name, STALE);
  }
  const replicas = next.spec?.replicas ?? 0;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) throw badRequest(`spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
  const updated = structuredClone(obj);
  setAt(updated as unknown as Record<string, unknown>, scale.specReplicasPath, replicas);
  const stored = storeUpdate(tracker, t.res, objectKey(t.namespace, t.name), obj, updated, ctx, t.res.descriptor.subresources.status === true ? "main" : "all", "scale");
  return scaleOf(stored, scale);
}

/** `updateScale`: writes spec replicas (a stale resourceVersion is a conflict). */
export function updateScale(tracker: ObjectTracker, t: Target, body: unknown, ctx: WriteContext): Scale {
  const { obj, scale } = target(tracker, t);
  return writeScale(tracker, t, obj, scale, wire(body) as Scale, ctx);
}

/** `patchScale`: a merge or JSON patch of the Scale object. */
export function patchScale(tracker: ObjectTracker, t: Target, type: "merge" | "json", body: unknown, ctx: WriteContext): Scale {
  const { obj, scale } = target(tracker, t);
  let next: Scale;
  try {
    next = (type === "merge" ? mergePatch(scaleOf(obj, scale), wire(body)) : jsonPatch(scaleOf(obj, scale), wire(body) as never)) as Scale;
  } catch (err) {
    if (err instanceof PatchError) throw patchFailed();
    throw err;
  }
  return writeScale(tracker, t, obj, scale, next, ctx);
}
