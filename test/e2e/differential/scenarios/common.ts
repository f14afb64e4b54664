import type { KubeObject, ResourceClientFor } from "@kube-codegen/runtime";
import { shopV1 } from "../../../../fixtures/generated/index.js";
import { gizmoResource, type Gizmo, type GizmoKind } from "../crds.js";
import type { Side } from "../harness.js";

/** A scripted scenario; `differs` documents where the fake knowingly answers otherwise. */
export interface Scenario {
  readonly name: string;
  readonly run: (s: Side) => Promise<void>;
  /** Why the fake differs, and what stays equal: both sides' outcomes are compared through `project`. */
  readonly differs?: { readonly why: string; readonly project: (outcome: unknown) => unknown };
}

export type W = shopV1.Widget;
export const widgets = (s: Side, ns = s.ns): ResourceClientFor<shopV1.WidgetKind> => s.client<shopV1.WidgetKind>(shopV1.widgetResource, ns);
export const allWidgets = (s: Side): ResourceClientFor<shopV1.WidgetKind> => s.client<shopV1.WidgetKind>(shopV1.widgetResource);
export const gizmos = (s: Side): ResourceClientFor<GizmoKind> => s.client<GizmoKind>(gizmoResource);
export const widget = (name: string, spec: Partial<NonNullable<W["spec"]>> = {}, meta: Partial<W["metadata"]> = {}): W => ({
  apiVersion: "shop.example.com/v1",
  kind: "Widget",
  metadata: { name, ...meta },
  spec: { size: "small", ...spec },
});
export const gizmo = (name: string, spec: Gizmo["spec"] = {}, meta: Partial<Gizmo["metadata"]> = {}): Gizmo => ({ apiVersion: "difftest.example.com/v1", kind: "Gizmo", metadata: { name, ...meta }, spec });
/** A unique gizmo name per run (gizmos are cluster-scoped: namespaces do not separate runs). */
export const g = (s: Side, n: string): string => `${s.ns}-${n}`;
export const rvOf = (o: unknown): string => ((o as KubeObject | undefined)?.metadata.resourceVersion ?? "");
export const stripFields = (o: KubeObject): KubeObject => {
  const { managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata };
};

export const apply = (s: Side, name: string, spec: Record<string, unknown>, manager: string, force = false, meta: Record<string, unknown> = {}): Promise<unknown> =>
  s.step(`apply ${name} as ${manager}${force ? " (force)" : ""}`, () =>
    widgets(s).apply({ apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name, ...meta }, spec } as never, { fieldManager: manager, force }),
  );

/** An outcome with the error messages (and causes' messages) left out. */
export function dropMessages(o: unknown): unknown {
  const x = o as { error?: { message?: unknown; details?: { causes?: { message?: unknown }[] } } };
  if (x.error === undefined) return o;
  const { message: _m, ...error } = x.error;
  return { ...x, error: { ...error, ...(error.details !== undefined ? { details: { ...error.details, ...(error.details.causes !== undefined ? { causes: error.details.causes.map(({ message: _c, ...rest }) => rest) } : {}) } } : {}) } };
}

/** A projection that rewrites error messages (of steps and of watches) with `fn`. */
export function rewriteMessages(fn: (message: string) => string): (o: unknown) => unknown {
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === "string") return key === "message" ? fn(v) : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, ""));
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return (o) => walk(o, "");
}
