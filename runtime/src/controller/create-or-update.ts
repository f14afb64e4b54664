import type { KubeObject } from "../client/types.js";
import { isNotFound, KubeError } from "../errors.js";

/** What `createOrUpdate` / `createOrPatch` did. */
export type OperationResult = "created" | "updated" | "unchanged";

/** Only what these helpers need from a typed client. */
export interface WritableClient<T extends KubeObject> {
  /** Reads the object (a NotFound error when absent). */
  get(name: string, options?: { signal?: AbortSignal | undefined }): Promise<T>;
  /** Creates the object. */
  create(object: T, options?: { signal?: AbortSignal | undefined; fieldManager?: string | undefined }): Promise<T>;
  /** Replaces the object (guarded by its resourceVersion). */
  update(object: T, options?: { signal?: AbortSignal | undefined; fieldManager?: string | undefined }): Promise<T>;
}

/** A client that can also patch (and, where the kind has one, patch the status subresource). */
export interface PatchableClient<T extends KubeObject> extends WritableClient<T> {
  /** Applies a JSON merge patch. */
  patch(name: string, patch: { readonly type: "merge"; readonly patch: never }, options?: { signal?: AbortSignal | undefined; fieldManager?: string | undefined }): Promise<T>;
}

/** Options of the helpers. */
export interface WriteHelperOptions {
  readonly signal?: AbortSignal | undefined;
  readonly fieldManager?: string | undefined;
}

/**
 * controller-runtime's `CreateOrUpdate`: reads the object named by `object`; when it is absent,
 * `mutate`s `object` and creates it; otherwise `mutate`s what the server has and updates it only
 * if that changed anything. `mutate` must not change the name or namespace. A Conflict from the
 * update is the caller's to retry (`retryOnConflict`).
 */
export async function createOrUpdate<T extends KubeObject>(client: WritableClient<T>, object: T, mutate: (obj: T) => void | Promise<void>, options: WriteHelperOptions = {}): Promise<{ result: OperationResult; object: T }> {
  const step = await mutated(client, object, mutate, options);
  if ("created" in step) return { result: "created", object: step.created };
  if (sameJson(step.before, step.current)) return { result: "unchanged", object: step.current };
  return { result: "updated", object: await client.update(step.current, options) };
}

/**
 * controller-runtime's `CreateOrPatch`: like {@link createOrUpdate}, but an existing object gets a
 * JSON merge patch of exactly what `mutate` changed, so fields other writers own are left alone
 * and no resourceVersion conflict can arise.
 */
export async function createOrPatch<T extends KubeObject>(client: PatchableClient<T>, object: T, mutate: (obj: T) => void | Promise<void>, options: WriteHelperOptions = {}): Promise<{ result: OperationResult; object: T }> {
  const step = await mutated(client, object, mutate, options);
  if ("created" in step) return { result: "created", object: step.created };
  const patch = mergePatchOf(step.before, step.current);
  if (patch === undefined) return { result: "unchanged", object: step.current };
  return { result: "updated", object: await client.patch(step.current.metadata.name ?? "", { type: "merge", patch: patch as never }, options) };
}

/**
 * The common first half: the object is created (after `mutate`) when absent; otherwise what the
 * server has, before and after `mutate`.
 */
async function mutated<T extends KubeObject>(client: WritableClient<T>, object: T, mutate: (obj: T) => void | Promise<void>, options: WriteHelperOptions): Promise<{ created: T } | { before: T; current: T }> {
  const current = await getOrUndefined(client, object, options);
  if (current === undefined) {
    await mutateKeepingKey(object, mutate);
    return { created: await client.create(object, options) };
  }
  const before = JSON.parse(JSON.stringify(current)) as T;
  await mutateKeepingKey(current, mutate);
  return { before, current };
}

/**
 * The RFC 7386 merge patch that turns `before` into `after`: changed and added fields, `null` for
 * removed ones, lists replaced whole. Undefined when they are equal.
 */
export function mergePatchOf(before: unknown, after: unknown): unknown {
  if (sameJson(before, after)) return undefined;
  if (!isPlainObject(before) || !isPlainObject(after)) return after === undefined ? null : after;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(before)) if (!(key in after) || after[key] === undefined) patch[key] = null;
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const sub = key in before ? mergePatchOf(before[key], value) : value;
    if (sub !== undefined) patch[key] = sub;
  }
  return patch;
}

/**
 * Equality of JSON values, whatever realm or prototype the objects come from (objects from a
 * response and their copies compare equal; `undefined` fields count as absent, as in JSON).
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson(a[k], b[k]));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

async function getOrUndefined<T extends KubeObject>(client: WritableClient<T>, object: T, options: WriteHelperOptions): Promise<T | undefined> {
  const name = object.metadata.name;
  if (name === undefined || name === "") throw new KubeError(`createOrUpdate needs metadata.name (generateName cannot tell whether the object exists)`);
  try {
    return await client.get(name, { signal: options.signal });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function mutateKeepingKey<T extends KubeObject>(obj: T, mutate: (obj: T) => void | Promise<void>): Promise<void> {
  const { name, namespace } = obj.metadata;
  await mutate(obj);
  if (obj.metadata.name !== name || obj.metadata.namespace !== namespace) throw new KubeError("the mutate function must not change the object's name or namespace");
}
