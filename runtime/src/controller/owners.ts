import type { KubeObject } from "../client/types.js";
import { KubeError } from "../errors.js";
import type { OwnerReference } from "../meta.js";
import type { ResourceDescriptor } from "../resource.js";
import { groupOf } from "./sources.js";

/** An owner reference that cannot be set (controller-runtime's refusals). */
export class OwnerReferenceError extends KubeError {
  override name = "OwnerReferenceError";
}

/** What is known of the two objects' scopes (descriptors know; without them namespaces tell). */
export interface OwnerOptions {
  readonly ownerScope?: ResourceDescriptor["scope"] | undefined;
  readonly objectScope?: ResourceDescriptor["scope"] | undefined;
}

/**
 * Makes `owner` the controller of `object` (in memory; the caller writes the object): an owner
 * reference with `controller: true` and `blockOwnerDeletion: true`, so the garbage collector
 * deletes the object with its owner and `owns()` maps its events to the owner. Refuses, as
 * controller-runtime does, when the object has another controller, when a namespaced owner would
 * own a cluster-scoped object, or when they are in different namespaces.
 */
export function setControllerReference(owner: KubeObject, object: KubeObject, options: OwnerOptions = {}): void {
  const ref = referenceTo(owner, object, options, true);
  const other = object.metadata.ownerReferences?.find((r) => r.controller === true && !sameOwner(r, ref));
  if (other !== undefined) {
    throw new OwnerReferenceError(`${describe(object)} is already controlled by ${other.kind} ${other.name} (${other.apiVersion}); it cannot also be controlled by ${ref.kind} ${ref.name}`);
  }
  upsert(object, ref);
}

/** Like {@link setControllerReference} without `controller` (an owner, not the controller). */
export function setOwnerReference(owner: KubeObject, object: KubeObject, options: OwnerOptions = {}): void {
  upsert(object, referenceTo(owner, object, options, false));
}

/** Whether `owner` is the controller of `object`. */
export function isControlledBy(object: KubeObject, owner: KubeObject): boolean {
  return object.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === owner.metadata.uid) ?? false;
}

function referenceTo(owner: KubeObject, object: KubeObject, options: OwnerOptions, controller: boolean): OwnerReference {
  const { name, uid, namespace } = owner.metadata;
  if (name === undefined || name === "" || uid === undefined || uid === "") throw new OwnerReferenceError(`the owner ${owner.kind} has no name or uid yet (create it first, then use what the server returned)`);
  if (owner.apiVersion === "" || owner.kind === "") throw new OwnerReferenceError(`the owner ${name} has no apiVersion or kind (objects from lists of built-in kinds lack them: set them from the descriptor)`);
  const ownerNamespaced = options.ownerScope !== undefined ? options.ownerScope === "Namespaced" : namespace !== undefined && namespace !== "";
  const objectNs = object.metadata.namespace;
  const objectNamespaced = options.objectScope !== undefined ? options.objectScope === "Namespaced" : objectNs !== undefined && objectNs !== "";
  if (ownerNamespaced && !objectNamespaced) throw new OwnerReferenceError(`cluster-scoped ${describe(object)} cannot be owned by namespaced ${owner.kind} ${namespace ?? ""}/${name}`);
  if (ownerNamespaced && (objectNs ?? "") !== (namespace ?? "")) {
    throw new OwnerReferenceError(`cross-namespace owner references are disallowed: owner ${owner.kind} ${namespace ?? ""}/${name}, object ${describe(object)}`);
  }
  return { apiVersion: owner.apiVersion, kind: owner.kind, name, uid, ...(controller ? { controller: true, blockOwnerDeletion: true } : {}) };
}

/** The same owner: group and kind equal (the version may differ), and the name. */
function sameOwner(a: OwnerReference, b: OwnerReference): boolean {
  return groupOf(a.apiVersion) === groupOf(b.apiVersion) && a.kind === b.kind && a.name === b.name;
}

function upsert(object: KubeObject, ref: OwnerReference): void {
  const refs = object.metadata.ownerReferences ?? [];
  const i = refs.findIndex((r) => sameOwner(r, ref));
  object.metadata.ownerReferences = i < 0 ? [...refs, ref] : refs.map((r, j) => (j === i ? ref : r));
}

function describe(o: KubeObject): string {
  const ns = o.metadata.namespace;
  return `${o.kind} ${ns === undefined || ns === "" ? "" : `${ns}/`}${o.metadata.name ?? o.metadata.generateName ?? ""}`;
}
