import type { ResourceDescriptor } from "@kube-codegen/runtime";

/**
 * A cluster-scoped kind of the differential test's own, for what the fixture Widget lacks:
 * cluster scope, selectable fields, a `set` list, an atomic map, status without a subresource.
 */
export const gizmoCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "gizmos.difftest.example.com" },
  spec: {
    group: "difftest.example.com",
    scope: "Cluster",
    names: { kind: "Gizmo", listKind: "GizmoList", plural: "gizmos", singular: "gizmo" },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        selectableFields: [{ jsonPath: ".spec.color" }],
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                properties: {
                  color: { type: "string" },
                  n: { type: "integer" },
                  tags: { type: "array", "x-kubernetes-list-type": "set", items: { type: "string" } },
                  config: { type: "object", "x-kubernetes-map-type": "atomic", additionalProperties: { type: "string" } },
                  free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                },
              },
              status: { type: "object", properties: { note: { type: "string" } } },
            },
          },
        },
      },
    ],
  },
} as const;

/** Gizmo's descriptor. */
export const gizmoResource = {
  group: "difftest.example.com",
  version: "v1",
  kind: "Gizmo",
  listKind: "GizmoList",
  plural: "gizmos",
  singular: "gizmo",
  shortNames: [],
  categories: [],
  scope: "Cluster",
  subresources: {},
} as const satisfies ResourceDescriptor;

/** A Gizmo as the scenarios write it. */
export interface Gizmo {
  apiVersion: "difftest.example.com/v1";
  kind: "Gizmo";
  metadata: import("@kube-codegen/runtime").ObjectMeta;
  spec?: { color?: string; n?: number; tags?: string[]; config?: Record<string, string>; free?: Record<string, unknown> };
  status?: { note?: string };
}

/** Gizmo's kind types. */
export interface GizmoKind {
  object: Gizmo;
  list: { apiVersion: string; kind: string; metadata: { resourceVersion?: string; continue?: string }; items: Gizmo[] };
  descriptor: typeof gizmoResource;
}
