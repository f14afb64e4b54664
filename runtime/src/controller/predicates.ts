import type { KubeObject } from "../client/types.js";

/**
 * Filters events before they become requests (controller-runtime's `predicate.Funcs`): each
 * function answers whether to enqueue; a missing one lets the event through.
 */
export interface Predicate<T extends KubeObject = KubeObject> {
  /** An object appeared (including the initial list). */
  readonly create?: ((obj: T) => boolean) | undefined;
  /** An object changed (or was resynced: the same object twice). */
  readonly update?: ((oldObj: T, newObj: T) => boolean) | undefined;
  /** An object went away (its last known state). */
  readonly delete?: ((obj: T) => boolean) | undefined;
}

const sameRecord = (a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean => {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a?.[k] === b?.[k]);
};

/**
 * Updates only when `metadata.generation` changed: spec changes, not status-only or metadata-only
 * updates (the API server bumps generation for spec changes of kinds with a status subresource).
 */
export function generationChanged<T extends KubeObject = KubeObject>(): Predicate<T> {
  return { update: (o, n) => o.metadata.generation !== n.metadata.generation };
}

/** Updates only when the labels changed. */
export function labelsChanged<T extends KubeObject = KubeObject>(): Predicate<T> {
  return { update: (o, n) => !sameRecord(o.metadata.labels, n.metadata.labels) };
}

/** Updates only when the annotations changed. */
export function annotationsChanged<T extends KubeObject = KubeObject>(): Predicate<T> {
  return { update: (o, n) => !sameRecord(o.metadata.annotations, n.metadata.annotations) };
}

/** Updates only when `metadata.resourceVersion` changed (drops resyncs). */
export function resourceVersionChanged<T extends KubeObject = KubeObject>(): Predicate<T> {
  return { update: (o, n) => o.metadata.resourceVersion !== n.metadata.resourceVersion };
}

type Kind = "create" | "update" | "delete";

function run<T extends KubeObject>(p: Predicate<T>, kind: Kind, a: T, b?: T): boolean {
  if (kind === "update") return p.update === undefined || p.update(a, b as T);
  const f = p[kind];
  return f === undefined || f(a);
}

/** Every predicate lets the event through. */
export function and<T extends KubeObject>(...ps: Predicate<T>[]): Predicate<T> {
  return {
    create: (o) => ps.every((p) => run(p, "create", o)),
    update: (o, n) => ps.every((p) => run(p, "update", o, n)),
    delete: (o) => ps.every((p) => run(p, "delete", o)),
  };
}

/** At least one predicate lets the event through. */
export function or<T extends KubeObject>(...ps: Predicate<T>[]): Predicate<T> {
  return {
    create: (o) => ps.some((p) => run(p, "create", o)),
    update: (o, n) => ps.some((p) => run(p, "update", o, n)),
    delete: (o) => ps.some((p) => run(p, "delete", o)),
  };
}

/** The opposite of a predicate. */
export function not<T extends KubeObject>(p: Predicate<T>): Predicate<T> {
  return { create: (o) => !run(p, "create", o), update: (o, n) => !run(p, "update", o, n), delete: (o) => !run(p, "delete", o) };
}

/** Whether all predicates let an event through. */
export function admits<T extends KubeObject>(ps: readonly Predicate<T>[], kind: Kind, a: T, b?: T): boolean {
  return ps.every((p) => run(p, kind, a, b));
}
