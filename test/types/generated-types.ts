// Type-level tests of the generated types, compiled by tsc 5.9 and 7 in test/golden. Each
// `@ts-expect-error` must meet an error, so a type that became too loose fails the build.
import type { featuresV1, globalsV1, namingV1, shopV1, shopV1beta1 } from "../../fixtures/generated/index.js";
import { shopV1 as shop } from "../../fixtures/generated/index.js";

// A valid object is accepted (replicas has a default, so it may be left out).
export const widget: shopV1.Widget = {
  apiVersion: "shop.example.com/v1",
  kind: "Widget",
  metadata: { name: "w", labels: { a: "b" } },
  spec: { size: "small", parts: [{ name: "bolt", count: 3 }], labels: { x: "y" } },
  status: { phase: "Ready", conditions: [{ type: "Ready", status: "True" }] },
};

export const wrongEnum: shopV1.Widget = {
  apiVersion: "shop.example.com/v1",
  kind: "Widget",
  metadata: {},
  // @ts-expect-error "huge" is not one of the enum values
  spec: { size: "huge" },
};

// @ts-expect-error spec.size is required
export const missingRequired: shopV1.WidgetSpec = { replicas: 1 };

// @ts-expect-error replicas is a number
export const wrongType: shopV1.WidgetSpec = { size: "small", replicas: "1" };

export const wrongApiVersion: shopV1.Widget = {
  // @ts-expect-error the apiVersion is a literal
  apiVersion: "shop.example.com/v1beta1",
  kind: "Widget",
  metadata: {},
};

// @ts-expect-error the kind interface requires metadata
export const noMetadata: shopV1.Widget = { apiVersion: "shop.example.com/v1", kind: "Widget" };

// @ts-expect-error unknown properties are rejected where the schema is closed
export const extraField: shopV1.WidgetSpec = { size: "small", colour: "red" };

// The deprecated version has its own, looser types.
export const old: shopV1beta1.Widget = { apiVersion: "shop.example.com/v1beta1", kind: "Widget", metadata: {}, spec: { size: "any" } };

// int-or-string
export const ios: featuresV1.RolloutSpec = { maxSurge: "25%", maxUnavailable: null, ports: [80, "http"], limits: { cpu: 2 } };
// @ts-expect-error int-or-string is not boolean
export const iosWrong: featuresV1.RolloutSpec = { maxSurge: true };

// preserve-unknown-fields: known fields typed, unknown ones allowed
export const blob: featuresV1.Blob = {
  apiVersion: "features.example.com/v1",
  kind: "Blob",
  metadata: {},
  anythingAtTheRoot: 1,
  spec: { anything: [1, "x"], values: { a: { b: 1 } }, config: { name: "n", extra: true }, empty: {} },
};
// @ts-expect-error known fields keep their types in an open-ended object
export const blobWrong: featuresV1.BlobSpecConfig = { name: 1 };
// @ts-expect-error a closed object without properties keeps no fields
export const emptyWrong: featuresV1.BlobSpec = { empty: { a: 1 } };

// embedded resources carry apiVersion, kind and metadata
export const tpl: featuresV1.TemplateSpec = {
  resource: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: "b" } },
  typed: { apiVersion: "v1", kind: "Secret", data: { k: "v" } },
  list: [{ apiVersion: "v1", kind: "Pod" }],
};
// @ts-expect-error an embedded resource needs its kind
export const tplWrong: featuresV1.TemplateSpecTyped = { apiVersion: "v1" };
// @ts-expect-error metadata of an embedded resource is ObjectMeta
export const tplMeta: featuresV1.TemplateSpecTyped = { apiVersion: "v1", kind: "Secret", metadata: { name: 1 } };

// nullable
export const nul: featuresV1.NullableSpec = { name: null, child: null, tags: null, sparse: ["a", null], annotations: { a: null }, mode: null };
// @ts-expect-error a non-nullable field does not take null
export const nulWrong: featuresV1.NullableSpecChild = { value: null };

// enums of every kind
export const choice: featuresV1.ChoiceSpec = { protocol: "UDP", level: -1, ratio: 1e21, flag: true, odd: 'say "hi"', capabilities: ["ALL"], only: "the-only-value" };
// @ts-expect-error numbers are literal too
export const choiceWrongLevel: featuresV1.ChoiceSpec = { level: 4 };
// @ts-expect-error enum on array items
export const choiceWrongCap: featuresV1.ChoiceSpec = { capabilities: ["NET_RAW"] };
// @ts-expect-error a single-valued boolean enum
export const choiceWrongFlag: featuresV1.ChoiceSpec = { flag: false };

// maps
export const maps: featuresV1.MapHolderSpec = { free: { a: [1] }, strings: { a: "b" }, endpoints: { e: { host: "h", port: 1 } }, nested: { a: { b: 1 } }, lists: { a: ["x"] } };
// @ts-expect-error map values are typed
export const mapsWrong: featuresV1.MapHolderSpec = { nested: { a: { b: "1" } } };

// required with default is optional; required without default is not
export const sched: featuresV1.ScheduleSpec = { cron: "* * * * *" };
// @ts-expect-error cron is required and has no default
export const schedWrong: featuresV1.ScheduleSpec = { timezone: "UTC" };

// naming hazards: keys that are not identifiers, and kinds that would shadow globals
export const keys: namingV1.LabelSetSpec = { "foo-bar": { a: "1" }, fooBar: { b: "2" }, foo_bar: { c: "3" }, FooBar: { d: "4" }, "42": 1, "kubernetes.io/name": "x", 'quote"d': "q", ünïcode: "u" };
export const rec: globalsV1.RecordResource = { apiVersion: "globals.example.com/v1", kind: "Record", metadata: {}, spec: { entries: { a: "b" } } };
// The global Record is not shadowed inside or outside the generated module.
export const realRecord: Record<string, number> = { a: 1 };

// Descriptors are literal types: the subresources are known to the type checker.
export const scalePath: ".spec.replicas" = shop.widgetResource.subresources.scale.specReplicasPath;
export const scope: "Namespaced" = shop.widgetResource.scope;

// Keys inherited from Object.prototype do not make every object literal unassignable.
export const inherited: namingV1.LabelSetSpec = { fooBar: { b: "x" } };
export const inheritedSet: namingV1.LabelSetSpec = { constructor: { f: "x" } };
