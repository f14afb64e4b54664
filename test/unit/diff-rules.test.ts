import { describe, expect, test } from "@jest/globals";
import * as yaml from "js-yaml";
import { diffCrds } from "../../generator/src/diff/diff.js";
import { CRD_RULES, RULES, SCHEMA_KEYWORDS, SCHEMA_RULES } from "../../generator/src/diff/rules/index.js";
import { STRUCTURAL_KEYWORDS } from "../../generator/src/diff/rules/schema.js";
import type { Direction, SchemaRule } from "../../generator/src/diff/types.js";
import type { JsonObject } from "../../generator/src/load/documents.js";
import { loadCrds } from "../../generator/src/load/crds.js";

// Table-driven tests of each schema rule on its own: [old node, new node, side, expected
// severities]. Rows with [] pin what the rule must NOT report (the neighbouring rule's case, or no
// change at all).

type Row = [string, JsonObject, JsonObject, Direction, string[]];
const str = { type: "string" };
const int = { type: "integer" };

const TABLE: Record<string, Row[]> = {
  "property-removed": [
    ["removed in spec", { type: "object", properties: { a: str, b: str } }, { type: "object", properties: { a: str } }, "spec", ["breaking .spec.x.b"]],
    ["removed in status", { type: "object", properties: { a: str } }, { type: "object", properties: {} }, "status", ["breaking .spec.x.a"]],
    ["struct turned map: additional-properties-changed says it", { type: "object", properties: { a: str } }, { type: "object", additionalProperties: str }, "spec", []],
  ],
  "property-added": [
    ["added", { type: "object", properties: { a: str } }, { type: "object", properties: { a: str, b: str } }, "spec", ["info .spec.x.b"]],
    ["nothing new", { type: "object", properties: { a: str } }, { type: "object", properties: { a: int } }, "spec", []],
  ],
  "type-changed": [
    ["string to integer", str, int, "spec", ["breaking"]],
    ["object to array", { type: "object" }, { type: "array", items: str }, "status", ["breaking"]],
    ["int-or-string switch is the other rule's", { "x-kubernetes-int-or-string": true }, str, "spec", []],
    ["same type", str, str, "spec", []],
  ],
  "format-changed": [
    ["changed in spec", { type: "integer", format: "int32" }, { type: "integer", format: "int64" }, "spec", ["breaking"]],
    ["added in status", str, { type: "string", format: "date-time" }, "status", ["warning"]],
    ["removed in spec", { type: "string", format: "date-time" }, str, "spec", ["info"]],
  ],
  "required-added": [
    ["spec", { type: "object", properties: { a: str } }, { type: "object", required: ["a"], properties: { a: str } }, "spec", ["breaking .spec.x.a"]],
    ["status", { type: "object", properties: { a: str } }, { type: "object", required: ["a"], properties: { a: str } }, "status", ["warning .spec.x.a"]],
    ["with a default", { type: "object", properties: { a: str } }, { type: "object", required: ["a"], properties: { a: { type: "string", default: "x" } } }, "spec", ["info .spec.x.a"]],
  ],
  "required-removed": [
    ["spec", { type: "object", required: ["a"], properties: { a: str } }, { type: "object", properties: { a: str } }, "spec", ["warning .spec.x.a"]],
    ["status", { type: "object", required: ["a"], properties: { a: str } }, { type: "object", properties: { a: str } }, "status", ["breaking .spec.x.a"]],
    ["the property itself is gone: property-removed says it", { type: "object", required: ["a"], properties: { a: str } }, { type: "object", properties: {} }, "spec", []],
  ],
  "enum-value-removed": [
    ["spec", { type: "string", enum: ["a", "b"] }, { type: "string", enum: ["a"] }, "spec", ["breaking"]],
    ["status", { type: "string", enum: ["a", "b"] }, { type: "string", enum: ["a"] }, "status", ["warning"]],
    ["reordered only", { type: "string", enum: ["a", "b"] }, { type: "string", enum: ["b", "a"] }, "spec", []],
  ],
  "enum-value-added": [
    ["spec", { type: "string", enum: ["a"] }, { type: "string", enum: ["a", "b"] }, "spec", ["info"]],
    ["status", { type: "string", enum: ["a"] }, { type: "string", enum: ["a", "b"] }, "status", ["warning"]],
  ],
  "enum-added": [
    ["spec", str, { type: "string", enum: ["a"] }, "spec", ["breaking"]],
    ["status", str, { type: "string", enum: ["a"] }, "status", ["warning"]],
    ["already had one", { type: "string", enum: ["b"] }, { type: "string", enum: ["a"] }, "spec", []],
  ],
  "enum-removed": [
    ["spec", { type: "string", enum: ["a"] }, str, "spec", ["info"]],
    ["status", { type: "string", enum: ["a"] }, str, "status", ["warning"]],
  ],
  "max-tightened": [
    ["maximum lowered", { type: "integer", maximum: 10 }, { type: "integer", maximum: 9 }, "spec", ["breaking"]],
    ["maxItems added in status", { type: "array", items: str }, { type: "array", items: str, maxItems: 3 }, "status", ["warning"]],
    ["maxLength raised is a loosening", { type: "string", maxLength: 3 }, { type: "string", maxLength: 4 }, "spec", []],
  ],
  "min-tightened": [
    ["minLength added", str, { type: "string", minLength: 1 }, "spec", ["breaking"]],
    ["minProperties raised in status", { type: "object", additionalProperties: str, minProperties: 1 }, { type: "object", additionalProperties: str, minProperties: 2 }, "status", ["warning"]],
    ["minimum lowered is a loosening", { type: "integer", minimum: 2 }, { type: "integer", minimum: 1 }, "spec", []],
  ],
  "bound-loosened": [
    ["maximum removed", { type: "integer", maximum: 10 }, int, "spec", ["info"]],
    ["minItems lowered in status", { type: "array", items: str, minItems: 2 }, { type: "array", items: str, minItems: 1 }, "status", ["warning"]],
    ["multipleOf 6 relaxed to 3", { type: "integer", multipleOf: 6 }, { type: "integer", multipleOf: 3 }, "spec", ["info"]],
    ["two bounds at once", { type: "string", minLength: 2, maxLength: 4 }, str, "spec", ["info", "info"]],
    ["tightened is the other rule's", { type: "integer", maximum: 10 }, { type: "integer", maximum: 5 }, "spec", []],
  ],
  "exclusive-bound-changed": [
    ["switched on in spec", { type: "integer", minimum: 0 }, { type: "integer", minimum: 0, exclusiveMinimum: true }, "spec", ["breaking"]],
    ["switched off in spec", { type: "integer", maximum: 1, exclusiveMaximum: true }, { type: "integer", maximum: 1 }, "spec", ["info"]],
    ["switched on in status", { type: "integer", maximum: 1 }, { type: "integer", maximum: 1, exclusiveMaximum: true }, "status", ["warning"]],
  ],
  "multiple-of-changed": [
    ["added", int, { type: "integer", multipleOf: 2 }, "spec", ["breaking"]],
    ["3 to 2", { type: "integer", multipleOf: 3 }, { type: "integer", multipleOf: 2 }, "status", ["warning"]],
    ["4 to 2 fits every old value", { type: "integer", multipleOf: 4 }, { type: "integer", multipleOf: 2 }, "spec", []],
  ],
  "pattern-added": [
    ["spec", str, { type: "string", pattern: "^a$" }, "spec", ["breaking"]],
    ["status", str, { type: "string", pattern: "^a$" }, "status", ["warning"]],
  ],
  "pattern-changed": [
    ["spec", { type: "string", pattern: "^a$" }, { type: "string", pattern: "^b$" }, "spec", ["warning"]],
    ["same", { type: "string", pattern: "^a$" }, { type: "string", pattern: "^a$" }, "spec", []],
  ],
  "pattern-removed": [["spec", { type: "string", pattern: "^a$" }, str, "spec", ["info"]]],
  "nullable-removed": [
    ["spec", { type: "string", nullable: true }, str, "spec", ["breaking"]],
    ["status", { type: "string", nullable: true }, str, "status", ["warning"]],
  ],
  "nullable-added": [
    ["spec", str, { type: "string", nullable: true }, "spec", ["info"]],
    ["status", str, { type: "string", nullable: true }, "status", ["breaking"]],
  ],
  "default-added": [
    ["spec", str, { type: "string", default: "x" }, "spec", ["warning"]],
    ["status", str, { type: "string", default: "x" }, "status", ["info"]],
  ],
  "default-changed": [
    ["object default, key order ignored", { type: "object", default: { a: 1, b: 2 } }, { type: "object", default: { b: 2, a: 1 } }, "spec", []],
    ["spec", { type: "string", default: "x" }, { type: "string", default: "y" }, "spec", ["warning"]],
  ],
  "default-removed": [["spec", { type: "string", default: "x" }, str, "spec", ["warning"]]],
  "preserve-unknown-changed": [
    ["true to false", { type: "object", "x-kubernetes-preserve-unknown-fields": true }, { type: "object" }, "status", ["breaking"]],
    ["false to true in spec", { type: "object" }, { type: "object", "x-kubernetes-preserve-unknown-fields": true }, "spec", ["info"]],
  ],
  "int-or-string-changed": [
    ["on to off in spec", { "x-kubernetes-int-or-string": true }, int, "spec", ["breaking"]],
    ["off to on in spec", int, { "x-kubernetes-int-or-string": true }, "spec", ["warning"]],
    ["off to on in status", str, { "x-kubernetes-int-or-string": true }, "status", ["breaking"]],
  ],
  "additional-properties-changed": [
    ["map to struct", { type: "object", additionalProperties: str }, { type: "object", properties: { a: str } }, "spec", ["breaking"]],
    ["map of strings to map of anything", { type: "object", additionalProperties: str }, { type: "object", additionalProperties: true }, "status", ["breaking"]],
    ["value type only: type-changed on [*] says it", { type: "object", additionalProperties: str }, { type: "object", additionalProperties: int }, "spec", []],
  ],
  "embedded-resource-changed": [
    ["on", { type: "object" }, { type: "object", "x-kubernetes-embedded-resource": true }, "spec", ["breaking"]],
    ["off", { type: "object", "x-kubernetes-embedded-resource": true }, { type: "object" }, "status", ["breaking"]],
  ],
  "list-type-changed": [
    ["atomic (implicit) to set", { type: "array", items: str }, { type: "array", items: str, "x-kubernetes-list-type": "set" }, "spec", ["breaking"]],
    ["explicit atomic equals implicit", { type: "array", items: str }, { type: "array", items: str, "x-kubernetes-list-type": "atomic" }, "spec", []],
    ["status", { type: "array", items: str, "x-kubernetes-list-type": "set" }, { type: "array", items: str }, "status", ["warning"]],
  ],
  "map-keys-changed": [
    ["keys of a map list", { type: "array", items: str, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["a"] }, { type: "array", items: str, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["a", "b"] }, "spec", ["breaking"]],
    ["keys reordered", { type: "array", items: str, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["a", "b"] }, { type: "array", items: str, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["b", "a"] }, "spec", []],
    ["atomic to map: list-type-changed says it", { type: "array", items: str }, { type: "array", items: str, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["a"] }, "spec", []],
  ],
  "map-type-changed": [
    ["granular (implicit) to atomic", { type: "object" }, { type: "object", "x-kubernetes-map-type": "atomic" }, "spec", ["warning"]],
    ["explicit granular equals implicit", { type: "object" }, { type: "object", "x-kubernetes-map-type": "granular" }, "spec", []],
  ],
  "validation-rule-added": [
    ["plain rule", str, { type: "string", "x-kubernetes-validations": [{ rule: "self != ''" }] }, "spec", ["warning"]],
    ["transition rule in spec", str, { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf" }] }, "spec", ["breaking"]],
    ["transition rule in status", str, { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf" }] }, "status", ["warning"]],
    ["only the message changed: the changed rule says it", { type: "string", "x-kubernetes-validations": [{ rule: "r", message: "a" }] }, { type: "string", "x-kubernetes-validations": [{ rule: "r", message: "b" }] }, "spec", []],
  ],
  "validation-rule-changed": [
    ["message", { type: "string", "x-kubernetes-validations": [{ rule: "r", message: "a" }] }, { type: "string", "x-kubernetes-validations": [{ rule: "r", message: "b" }] }, "spec", ["warning"]],
    ["expression, in status", { type: "string", "x-kubernetes-validations": [{ rule: "r1" }] }, { type: "string", "x-kubernetes-validations": [{ rule: "r2" }] }, "status", ["info"]],
    ["reordered only", { type: "string", "x-kubernetes-validations": [{ rule: "a" }, { rule: "b" }] }, { type: "string", "x-kubernetes-validations": [{ rule: "b" }, { rule: "a" }] }, "spec", []],
  ],
  "validation-rule-removed": [
    ["removed", { type: "string", "x-kubernetes-validations": [{ rule: "a" }, { rule: "b" }] }, { type: "string", "x-kubernetes-validations": [{ rule: "a" }] }, "spec", ["info"]],
  ],
  "one-of-any-of-changed": [
    ["anyOf added", int, { type: "integer", anyOf: [{ minimum: 1 }, { maximum: -1 }] }, "spec", ["warning"]],
    ["not removed", { type: "string", not: { pattern: "^x" } }, str, "status", ["warning"]],
    ["allOf and oneOf both", { type: "object", allOf: [{}] }, { type: "object", oneOf: [{}] }, "spec", ["warning", "warning"]],
  ],
  "description-changed": [
    ["description", { type: "string", description: "a" }, { type: "string", description: "b" }, "spec", ["info"]],
    ["title, example and externalDocs: one finding", { type: "string", title: "t" }, { type: "string", example: "e", externalDocs: { url: "https://example.com" } }, "status", ["info"]],
  ],
  "keyword-not-allowed": [
    ["$ref", str, { type: "string", $ref: "#/definitions/x" }, "spec", ["breaking"]],
    ["a typo", str, { type: "string", descripton: "x" }, "spec", ["breaking"]],
    ["uniqueItems false is fine", { type: "array", items: str }, { type: "array", items: str, uniqueItems: false }, "spec", []],
    ["already there before", { type: "string", patternProperties: {} }, { type: "string", patternProperties: {} }, "spec", []],
  ],
};

describe.each(SCHEMA_RULES.map((r) => [r.id, r] as const))("%s", (_id, rule: SchemaRule) => {
  const rows = TABLE[rule.id] ?? [];
  test("has a table of cases", () => expect(rows.length).toBeGreaterThan(0));
  test.each(rows)("%s", (_name, before, after, direction, want) => {
    const got = rule.check({ old: before, new: after, path: ".spec.x", direction }).map((f) => (f.path !== undefined ? `${f.severity} ${f.path}` : f.severity));
    expect(got).toEqual(want);
  });
});

// ---- every JSON-Schema keyword a CRD may use has a rule -----------------------------------------

/**
 * The fields of apiextensions.k8s.io/v1 JSONSchemaProps, written out here independently of the
 * source: a keyword added to Kubernetes must be added here, and then to a rule.
 */
const SPEC_KEYWORDS = [
  "id", "$schema", "$ref", "description", "type", "format", "title", "default", "maximum", "exclusiveMaximum",
  "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems",
  "multipleOf", "enum", "maxProperties", "minProperties", "required", "items", "allOf", "oneOf", "anyOf", "not",
  "properties", "additionalProperties", "patternProperties", "dependencies", "additionalItems", "definitions",
  "externalDocs", "example", "nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
  "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type",
  "x-kubernetes-validations",
];

/** For each keyword, a node without it (or with one value) and with it (or another value). */
const MUTATIONS: Record<string, [JsonObject, JsonObject]> = {
  id: [str, { ...str, id: "x" }],
  $schema: [str, { ...str, $schema: "http://json-schema.org/draft-04/schema#" }],
  $ref: [str, { ...str, $ref: "#/x" }],
  description: [{ ...str, description: "a" }, { ...str, description: "b" }],
  type: [str, int],
  format: [str, { ...str, format: "date-time" }],
  title: [str, { ...str, title: "t" }],
  default: [str, { ...str, default: "d" }],
  maximum: [int, { ...int, maximum: 1 }],
  exclusiveMaximum: [{ ...int, maximum: 1 }, { ...int, maximum: 1, exclusiveMaximum: true }],
  minimum: [int, { ...int, minimum: 1 }],
  exclusiveMinimum: [{ ...int, minimum: 1 }, { ...int, minimum: 1, exclusiveMinimum: true }],
  maxLength: [str, { ...str, maxLength: 1 }],
  minLength: [str, { ...str, minLength: 1 }],
  pattern: [str, { ...str, pattern: "^a" }],
  maxItems: [{ type: "array", items: str }, { type: "array", items: str, maxItems: 1 }],
  minItems: [{ type: "array", items: str }, { type: "array", items: str, minItems: 1 }],
  uniqueItems: [{ type: "array", items: str }, { type: "array", items: str, uniqueItems: true }],
  multipleOf: [int, { ...int, multipleOf: 2 }],
  enum: [str, { ...str, enum: ["a"] }],
  maxProperties: [{ type: "object", additionalProperties: str }, { type: "object", additionalProperties: str, maxProperties: 1 }],
  minProperties: [{ type: "object", additionalProperties: str }, { type: "object", additionalProperties: str, minProperties: 1 }],
  required: [{ type: "object", properties: { a: str } }, { type: "object", properties: { a: str }, required: ["a"] }],
  items: [{ type: "array", items: str }, { type: "array", items: int }],
  allOf: [str, { ...str, allOf: [{ minLength: 1 }] }],
  oneOf: [str, { ...str, oneOf: [{ minLength: 1 }] }],
  anyOf: [str, { ...str, anyOf: [{ minLength: 1 }] }],
  not: [str, { ...str, not: { minLength: 1 } }],
  properties: [{ type: "object", properties: { a: str } }, { type: "object", properties: { a: str, b: str } }],
  additionalProperties: [{ type: "object", additionalProperties: str }, { type: "object", properties: { a: str } }],
  patternProperties: [{ type: "object" }, { type: "object", patternProperties: { "^a": str } }],
  dependencies: [{ type: "object" }, { type: "object", dependencies: { a: ["b"] } }],
  additionalItems: [{ type: "array", items: str }, { type: "array", items: str, additionalItems: false }],
  definitions: [{ type: "object" }, { type: "object", definitions: { a: str } }],
  externalDocs: [str, { ...str, externalDocs: { url: "https://example.com" } }],
  example: [str, { ...str, example: "e" }],
  nullable: [str, { ...str, nullable: true }],
  "x-kubernetes-preserve-unknown-fields": [{ type: "object" }, { type: "object", "x-kubernetes-preserve-unknown-fields": true }],
  "x-kubernetes-embedded-resource": [{ type: "object" }, { type: "object", "x-kubernetes-embedded-resource": true }],
  "x-kubernetes-int-or-string": [str, { "x-kubernetes-int-or-string": true }],
  "x-kubernetes-list-map-keys": [
    { type: "array", items: str, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["a"] },
    { type: "array", items: str, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["b"] },
  ],
  "x-kubernetes-list-type": [{ type: "array", items: str }, { type: "array", items: str, "x-kubernetes-list-type": "set" }],
  "x-kubernetes-map-type": [{ type: "object" }, { type: "object", "x-kubernetes-map-type": "atomic" }],
  "x-kubernetes-validations": [str, { ...str, "x-kubernetes-validations": [{ rule: "self != ''" }] }],
};

function crdWith(node: JsonObject, file: string) {
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "things.example.com" },
    spec: {
      group: "example.com",
      names: { plural: "things", kind: "Thing" },
      scope: "Namespaced",
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { x: node } } } } } }],
    },
  };
  return { label: file, crds: loadCrds([{ name: file, text: yaml.dump(crd) }]).crds, hasFiles: true };
}

describe("every JSON-Schema keyword of a CRD schema has a rule", () => {
  test("the source's keyword list is the structural-schema spec's", () => {
    expect([...SCHEMA_KEYWORDS].sort()).toEqual([...SPEC_KEYWORDS].sort());
  });

  test("each keyword is claimed by a rule (items: by the walker, which compares the item schemas)", () => {
    const claimed = new Set([...SCHEMA_RULES.flatMap((r) => r.keywords), ...STRUCTURAL_KEYWORDS]);
    expect(SPEC_KEYWORDS.filter((k) => !claimed.has(k))).toEqual([]);
  });

  test.each(SPEC_KEYWORDS)("changing %s is reported, by a rule that claims it", (keyword) => {
    const mutation = MUTATIONS[keyword];
    expect(mutation).toBeDefined();
    const [before, after] = mutation as [JsonObject, JsonObject];
    const result = diffCrds(crdWith(before, "old.yaml"), crdWith(after, "new.yaml"));
    expect(result.findings.length).toBeGreaterThan(0);
    const claimers = new Set(SCHEMA_RULES.filter((r) => r.keywords.includes(keyword)).map((r) => r.id));
    const ok = result.findings.some((f) => claimers.has(f.rule) || (keyword === "items" && f.path.startsWith(".spec.x[*]")));
    expect({ keyword, rules: result.findings.map((f) => f.rule), ok }).toEqual({ keyword, rules: result.findings.map((f) => f.rule), ok: true });
  });
});

describe("the rules table", () => {
  test("ids are unique, kebab-case, and every rule has a summary", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(r.summary.length).toBeGreaterThan(10);
    }
  });

  test("the DIFF.md catalog's ids are all there", () => {
    const catalog = [
      "scope-changed", "names-changed", "short-names-removed", "categories-removed", "version-removed", "version-unserved",
      "version-deprecated", "storage-version-changed", "version-added", "conversion-changed", "served-versions-diverge",
      "subresource-removed", "printer-columns-changed", "property-removed", "property-added", "type-changed", "format-changed",
      "required-added", "required-removed", "enum-value-removed", "enum-value-added", "enum-added", "enum-removed",
      "max-tightened", "min-tightened", "bound-loosened", "exclusive-bound-changed", "pattern-added", "pattern-changed",
      "pattern-removed", "nullable-removed", "nullable-added", "default-added", "default-changed", "default-removed",
      "preserve-unknown-changed", "int-or-string-changed", "additional-properties-changed", "embedded-resource-changed",
      "list-type-changed", "map-keys-changed", "map-type-changed", "validation-rule-added", "validation-rule-changed",
      "validation-rule-removed", "one-of-any-of-changed", "description-changed",
    ];
    const ids = new Set(RULES.map((r) => r.id));
    expect(catalog.filter((c) => !ids.has(c))).toEqual([]);
    expect(CRD_RULES.length + SCHEMA_RULES.length).toBe(RULES.length);
  });
});

// ---- CRD rules: the cases the fixture pairs do not show ----------------------------------------

type CrdRow = [string, JsonObject | undefined, JsonObject | undefined, string[], (readonly string[])?];

const version = (name: string, served: boolean, storage: boolean, extra: JsonObject = {}): JsonObject => ({
  name, served, storage, schema: { openAPIV3Schema: { type: "object" } }, ...extra,
});
const crdOf = (spec: JsonObject): JsonObject => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: { group: "example.com", names: { plural: "widgets", kind: "Widget" }, scope: "Namespaced", ...spec },
});

const CRD_TABLE: Record<string, CrdRow[]> = {
  "version-removed": [
    ["a served version", crdOf({ versions: [version("v1", true, true), version("v2", true, false)] }), crdOf({ versions: [version("v1", true, true)] }), ["breaking v2"]],
    ["an unserved version, not the storage one: no client left", crdOf({ versions: [version("v1", true, true), version("v0", false, false)] }), crdOf({ versions: [version("v1", true, true)] }), ["warning v0"]],
    ["an unserved version still in storedVersions (cluster)", crdOf({ versions: [version("v1", true, true), version("v0", false, false)] }), crdOf({ versions: [version("v1", true, true)] }), ["breaking v0"], ["v0", "v1"]],
  ],
  "names-changed": [
    ["singular and listKind spelled out equal their defaults", crdOf({ names: { plural: "widgets", kind: "Widget" } }), crdOf({ names: { plural: "widgets", kind: "Widget", singular: "widget", listKind: "WidgetList" } }), []],
    ["singular changed", crdOf({ names: { plural: "widgets", kind: "Widget", singular: "w" } }), crdOf({ names: { plural: "widgets", kind: "Widget" } }), ["warning -"]],
  ],
  "conversion-changed": [
    ["no conversion equals strategy None", crdOf({}), crdOf({ conversion: { strategy: "None" } }), []],
    ["webhook settings", crdOf({ conversion: { strategy: "Webhook", webhook: { conversionReviewVersions: ["v1"] } } }), crdOf({ conversion: { strategy: "Webhook", webhook: { conversionReviewVersions: ["v1", "v1beta1"] } } }), ["warning -"]],
  ],
  "served-versions-diverge": [
    ["the same divergence as before is not reported again", crdOf({ versions: [version("v1", true, true), version("v2", true, false, { schema: { openAPIV3Schema: { type: "object", properties: { a: { type: "string" } } } } })] }), crdOf({ versions: [version("v1", true, true), version("v2", true, false, { schema: { openAPIV3Schema: { type: "object", properties: { a: { type: "string" } } } } })] }), []],
    ["an unserved version does not count", crdOf({ versions: [version("v1", true, true)] }), crdOf({ versions: [version("v1", true, true), version("v2", false, false, { schema: { openAPIV3Schema: { type: "object", properties: { a: { type: "string" } } } } })] }), []],
  ],
  "crd-added": [["only when the old side lacks it", undefined, crdOf({}), ["info -"]]],
  "crd-removed": [["only when the new side lacks it", crdOf({}), undefined, ["breaking -"]]],
};

describe.each(Object.keys(CRD_TABLE))("CRD rule %s", (id) => {
  const rule = CRD_RULES.find((r) => r.id === id);
  // Rows are passed whole: jest would take a missing last element for a done callback.
  test.each((CRD_TABLE[id] ?? []).map((row) => [row[0], row] as const))("%s", (_name, [, before, after, want, stored]) => {
    expect(rule).toBeDefined();
    const got = rule?.check({ name: "widgets.example.com", old: before, new: after, ...(stored !== undefined ? { storedVersions: stored } : {}) }) ?? [];
    expect(got.map((f) => `${f.severity} ${f.version ?? "-"}`)).toEqual(want);
  });
});
