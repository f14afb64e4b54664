// The webhooks of the fixture Gizmo (fixtures/webhooks): a hub-and-spoke conversion between
// v1beta1 and v1, a validation and a defaulting of v1. Used by the unit and e2e tests.
import { conversion, ConversionError, denied, allowed, mutatingWebhook, validatingWebhook } from "@kube-codegen/runtime/webhook";
import { conversionV1, conversionV1beta1 } from "../../fixtures/webhooks/generated/index.js";

/** The annotation in which v1beta1 keeps v1's `spec.priority` (v1beta1 has no such field). */
export const PRIORITY_ANNOTATION = "conversion.example.com/priority";

const SIZE = /^(\d+)(Mi|Gi)$/;

/** v1beta1 ↔ v1 (the hub). */
export const gizmoConversion = conversion<conversionV1.Gizmo>(conversionV1.gizmoResource).spoke(conversionV1beta1.gizmoResource, {
  toHub(old: conversionV1beta1.Gizmo): conversionV1.Gizmo {
    const size = SIZE.exec(old.spec.size);
    if (size === null) throw new ConversionError(`spec.size ${JSON.stringify(old.spec.size)} is not a size such as 512Mi or 10Gi`);
    const { [PRIORITY_ANNOTATION]: priority, ...annotations } = old.metadata.annotations ?? {};
    const spec: conversionV1.GizmoSpec = {
      appearance: { color: old.spec.color, ...(old.spec.finish !== undefined ? { finish: old.spec.finish as conversionV1.GizmoSpecAppearanceFinish } : {}) },
      size: { value: Number(size[1]), unit: size[2] as conversionV1.GizmoSpecSizeUnit },
    };
    if (old.spec.tags !== undefined) spec.tags = old.spec.tags === "" ? [] : old.spec.tags.split(",");
    if (priority !== undefined) spec.priority = Number(priority);
    return {
      apiVersion: "conversion.example.com/v1",
      kind: "Gizmo",
      metadata: { ...old.metadata, annotations },
      spec,
      ...(old.status !== undefined ? { status: old.status } : {}),
    };
  },
  fromHub(hub: conversionV1.Gizmo): conversionV1beta1.Gizmo {
    const annotations = { ...hub.metadata.annotations };
    if (hub.spec.priority !== undefined) annotations[PRIORITY_ANNOTATION] = String(hub.spec.priority);
    const spec: conversionV1beta1.GizmoSpec = { color: hub.spec.appearance.color, size: `${hub.spec.size.value}${hub.spec.size.unit}` };
    if (hub.spec.appearance.finish !== undefined) spec.finish = hub.spec.appearance.finish;
    if (hub.spec.tags !== undefined) spec.tags = hub.spec.tags.join(",");
    return {
      apiVersion: "conversion.example.com/v1beta1",
      kind: "Gizmo",
      metadata: { ...hub.metadata, annotations },
      spec,
      ...(hub.status !== undefined ? { status: hub.status } : {}),
    };
  },
});

/** Refuses black gizmos (sold out), warns about untagged ones, and keeps the size from shrinking. */
export const gizmoValidation = validatingWebhook<conversionV1.Gizmo>(
  conversionV1.gizmoResource,
  {
    validateCreate(gizmo) {
      if (gizmo.spec.appearance.color === "black") return denied("black gizmos are sold out");
      return (gizmo.spec.tags ?? []).length === 0 ? allowed("an untagged gizmo is hard to find") : allowed();
    },
    validateUpdate(old, gizmo) {
      const bytes = (s: conversionV1.GizmoSpecSize): number => s.value * (s.unit === "Gi" ? 1024 : 1);
      if (bytes(gizmo.spec.size) < bytes(old.spec.size)) return denied(`spec.size cannot shrink (from ${old.spec.size.value}${old.spec.size.unit})`);
      return undefined;
    },
  },
  { name: "vgizmo.conversion.example.com" },
);

/** Defaults the finish, the priority and the tags, and labels the gizmo as defaulted. */
export const gizmoDefaulting = mutatingWebhook<conversionV1.Gizmo>(
  conversionV1.gizmoResource,
  {
    default(gizmo) {
      gizmo.spec.appearance.finish ??= "matte";
      gizmo.spec.priority ??= 5;
      gizmo.spec.tags ??= ["new"];
      gizmo.metadata.labels = { ...gizmo.metadata.labels, "conversion.example.com/defaulted": "true" };
    },
  },
  { name: "mgizmo.conversion.example.com", operations: ["CREATE"] },
);
