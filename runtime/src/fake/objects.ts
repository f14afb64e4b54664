import type { KubeObject } from "../client/types.js";
import type { StatusCause } from "../meta.js";
import { apiVersionOf } from "../resource.js";
import { updateManagedFields, type Part } from "./managed.js";
import { jsonEqual } from "./patch.js";
import { causeOf, metadataCauses, scaleReplicasCause } from "./invalid.js";
import { defaultAndPrune, type ServedResource } from "./schema.js";
import { badRequest, invalid } from "./status.js";
import type { ObjectTracker } from "./tracker.js";

/** Options of a write, from the request's query. */
export interface WriteContext {
  readonly dryRun: boolean;
  readonly fieldManager: string;
  readonly fieldValidation: "Ignore" | "Warn" | "Strict";
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** `generateName` plus five random characters, as the server's name generator makes them. */
export function generatedName(prefix: string): string {
  let s = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  return s;
}

/** A JSON copy, as the object would travel on the wire (undefined properties dropped). */
export const wire = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/**
 * What the server does to every written object before it stores it: apiVersion and kind checked,
 * defaults applied and unknown fields pruned (or refused under fieldValidation=Strict), the
 * validator run, the name checked. Mutates `obj`.
 */
export function admit(res: ServedResource, obj: KubeObject, ctx: WriteContext, old?: KubeObject): void {
  const d = res.descriptor;
  if (obj.apiVersion !== apiVersionOf(d) || obj.kind !== d.kind) {
    throw badRequest(`the API version in the data (${obj.apiVersion ?? ""}) does not match the expected API version (${apiVersionOf(d)})`);
  }
  const pruned = defaultAndPrune(obj, res.schema);
  // Empty maps and lists of metadata do not survive the server's encoding (omitempty).
  const meta = obj.metadata as Record<string, unknown>;
  for (const k of ["labels", "annotations", "finalizers", "ownerReferences", "managedFields"]) {
    const v = meta[k];
    if (v === null || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0)) delete meta[k];
  }
  if (pruned.length > 0 && ctx.fieldValidation === "Strict") {
    throw badRequest(`${d.kind} in version "${d.version}" cannot be handled as a ${d.kind}: strict decoding error: ${pruned.map((p) => `unknown field "${p.slice(1)}"`).join(", ")}`);
  }
  const name = obj.metadata.name ?? "";
  const causes: StatusCause[] = [];
  if (old === undefined && (!SUBDOMAIN.test(name) || name.length > 253)) {
    causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(name)}: ${SUBDOMAIN_MESSAGE}`, field: "metadata.name" });
  }
  causes.push(...metadataCauses(obj.metadata, old?.metadata));
  if (res.validator !== undefined) {
    const result = res.validator.validate(obj);
    if (!result.valid) {
      // The fake checks metadata itself, as the server's ObjectMeta validation does; the validator's
      // own metadata checks (names, labels) would report the same problem twice.
      for (const p of result.problems) if (p.path !== ".metadata" && !p.path.startsWith(".metadata.")) causes.push(causeOf(obj, p));
    }
  }
  const scale = d.subresources.scale;
  const replicas = scale === undefined ? undefined : scaleReplicasCause(obj, scale.specReplicasPath);
  if (replicas !== undefined) causes.push(replicas);
  if (causes.length > 0) throw invalid(d, name, causes);
}

/** The object without its metadata and (with a status subresource) its status: what bumps generation. */
function content(res: ServedResource, obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, ...rest } = obj as unknown as Record<string, unknown>;
  if (res.descriptor.subresources.status === true) delete rest["status"];
  return rest;
}

/**
 * Stores an update of `old` to `next` unless nothing changed (then `old` is answered, with no new
 * resourceVersion, as the server does): generation is bumped when anything but metadata (and
 * status, with a status subresource) changed, managed fields follow the writer, and an object
 * whose last finalizer went while it was being deleted is deleted.
 */
export function storeUpdate(tracker: ObjectTracker, res: ServedResource, key: string, old: KubeObject, next: KubeObject, ctx: WriteContext, part: Part, subresource: string | undefined, managed?: KubeObject["metadata"]["managedFields"]): KubeObject {
  const meta = next.metadata;
  for (const k of ["uid", "creationTimestamp", "resourceVersion", "generation", "deletionTimestamp", "deletionGracePeriodSeconds"] as const) copyMeta(meta, old.metadata, k);
  if (meta.generateName === undefined) copyMeta(meta, old.metadata, "generateName");
  if (!jsonEqual(content(res, old), content(res, next))) meta.generation = (old.metadata.generation ?? 0) + 1;
  const ownership = { manager: ctx.fieldManager, apiVersion: apiVersionOf(res.descriptor), subresource, part, schema: res.schema, now: tracker.timestamp() };
  meta.managedFields = managed ?? updateManagedFields(old, next, old.metadata.managedFields, ownership);
  if (meta.managedFields.length === 0) delete meta.managedFields;
  if (jsonEqual(old, next)) return old;
  const finalized = meta.deletionTimestamp !== undefined && (meta.finalizers ?? []).length === 0;
  if (ctx.dryRun) return next;
  if (!finalized) return tracker.commit(resKey(res), key, next, old);
  // The last finalizer went: the object is deleted (watchers see its last stored state); the
  // writer gets what it wrote, at the version it wrote over.
  tracker.commit(resKey(res), key, undefined, old);
  return next;
}

/** The tracker's key of a resource. */
export const resKey = (res: ServedResource): string => `${res.descriptor.group}/${res.descriptor.version}/${res.descriptor.plural}`;

/** A fresh object's system fields: uid, creationTimestamp, generation 1, no deletion. */
export function initMeta(tracker: ObjectTracker, obj: KubeObject, namespace: string | undefined): void {
  const meta = obj.metadata;
  if (namespace === undefined) delete meta.namespace;
  else meta.namespace = namespace;
  meta.uid = tracker.uid();
  meta.creationTimestamp = tracker.timestamp();
  meta.generation = 1;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
}

/** Sets `to[key]` to `from[key]`, or removes it when `from` has none. */
export function copyMeta<K extends keyof KubeObject["metadata"]>(to: KubeObject["metadata"], from: KubeObject["metadata"], key: K): void {
  if (from[key] === undefined) delete to[key];
  else to[key] = from[key];
}

