// Type-level tests of the webhooks (conversion between the generated versions of the fixture Gizmo,
// typed admission handlers), compiled by tsc 5.9 and 7 in test/golden. Each `@ts-expect-error`
// must meet an error: a conversion that forgets a required field of the hub does not compile.
import { allowed, conversion, denied, mutatingWebhook, validatingWebhook, type ConversionWebhook } from "@kube-codegen/runtime/webhook";
import { conversionV1, conversionV1beta1 } from "../../fixtures/webhooks/generated/index.js";

type Hub = conversionV1.Gizmo;
type Spoke = conversionV1beta1.Gizmo;
const hubOf = (s: Spoke): Hub => ({ apiVersion: "conversion.example.com/v1", kind: "Gizmo", metadata: s.metadata, spec: { appearance: { color: s.spec.color }, size: { value: 1, unit: "Gi" } } });
const spokeOf = (h: Hub): Spoke => ({ apiVersion: "conversion.example.com/v1beta1", kind: "Gizmo", metadata: h.metadata, spec: { color: h.spec.appearance.color, size: `${h.spec.size.value}${h.spec.size.unit}` } });

// A complete conversion compiles.
export const ok: ConversionWebhook<Hub> = conversion<Hub>(conversionV1.gizmoResource).spoke(conversionV1beta1.gizmoResource, { toHub: hubOf, fromHub: spokeOf });

export const forgetsSize = conversion<Hub>(conversionV1.gizmoResource).spoke(conversionV1beta1.gizmoResource, {
  // @ts-expect-error spec.size is required in the hub (v1) type
  toHub: (s: Spoke) => ({ apiVersion: "conversion.example.com/v1", kind: "Gizmo", metadata: s.metadata, spec: { appearance: { color: s.spec.color } } }),
  fromHub: spokeOf,
});

export const forgetsNested = conversion<Hub>(conversionV1.gizmoResource).spoke(conversionV1beta1.gizmoResource, {
  // @ts-expect-error spec.appearance.color is required in the hub type
  toHub: (s: Spoke) => ({ apiVersion: "conversion.example.com/v1", kind: "Gizmo", metadata: s.metadata, spec: { appearance: { finish: "matte" }, size: { value: 1, unit: "Gi" } } }),
  fromHub: spokeOf,
});

export const forgetsSpec = conversion<Hub>(conversionV1.gizmoResource).spoke<Spoke>(conversionV1beta1.gizmoResource, {
  // @ts-expect-error the hub requires spec
  toHub(s) { return { apiVersion: "conversion.example.com/v1", kind: "Gizmo", metadata: s.metadata }; },
  fromHub: spokeOf,
});

export const wrongUnit = conversion<Hub>(conversionV1.gizmoResource).spoke(conversionV1beta1.gizmoResource, {
  // @ts-expect-error "GiB" is not a unit of the hub's enum
  toHub: (s: Spoke) => ({ apiVersion: "conversion.example.com/v1", kind: "Gizmo", metadata: s.metadata, spec: { appearance: { color: s.spec.color }, size: { value: 1, unit: "GiB" } } }),
  fromHub: spokeOf,
});

export const swapped = conversion<Hub>(conversionV1.gizmoResource).spoke<Spoke>(conversionV1beta1.gizmoResource, {
  toHub: hubOf,
  // @ts-expect-error fromHub must return the spoke version, not the hub
  fromHub: (h: Hub) => h,
});

// Admission handlers get the generated type and answer a verdict or nothing.
export const validation = validatingWebhook<Hub>(conversionV1.gizmoResource, {
  validateCreate: (g) => (g.spec.size.value > 100 ? denied("too big") : allowed()),
  validateUpdate: (old, g) => (old.spec.size.unit !== g.spec.size.unit ? denied("the unit is fixed") : undefined),
  // @ts-expect-error a verdict, not a string
  validateDelete: () => "no",
}, { name: "v.example.com" });

export const defaulting = mutatingWebhook<Hub>(conversionV1.gizmoResource, {
  default(g) {
    g.spec.priority ??= 1;
    // @ts-expect-error the v1 spec has no color (it is under appearance)
    g.spec.color = "red";
  },
}, { name: "m.example.com" });
