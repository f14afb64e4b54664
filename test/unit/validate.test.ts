import { describe, expect, test } from "@jest/globals";
import { createValidator, ValidationError, type ValidationResult } from "@kube-codegen/runtime";
import { generateFromSources } from "../../generator/src/generate.js";
import { validationSchema } from "../../generator/src/model/validation.js";
import type { JsonObject } from "../../generator/src/load/documents.js";

interface Thing {
  apiVersion: "t.example.com/v1";
  kind: "Thing";
  metadata: { name?: string };
  spec?: { limits?: Record<string, number>; ports?: { name: string }[]; pick?: { a?: string; b?: string } };
}

const schema = validationSchema(
  {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          limits: { type: "object", additionalProperties: { type: "integer" } },
          ports: { type: "array", items: { type: "object", required: ["name"], properties: { name: { type: "string" } } } },
          pick: { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, anyOf: [{ properties: { a: { minLength: 2 } } }, { required: ["b"] }] },
        },
      },
    },
  },
  { apiVersion: "t.example.com/v1", kind: "Thing" },
);
const v = createValidator<Thing>("Thing (t.example.com/v1)", JSON.stringify(schema.schema));
/** The result without the server-style lines and the not-checked list (tested on their own below). */
const brief = (r: ValidationResult<unknown>): unknown => (r.valid ? { valid: true } : { valid: false, problems: r.problems.map(({ path, message }) => ({ path, message })) });
const thing = (spec: Record<string, unknown>): Record<string, unknown> => ({ apiVersion: "t.example.com/v1", kind: "Thing", metadata: { name: "x" }, spec });

test("paths read like the object: array indexes in brackets, map keys that are not identifiers quoted", () => {
  const r = v.validate(thing({ limits: { "cpu.max": "1", mem: 2 }, ports: [{ name: "a" }, {}] }));
  expect(brief(r)).toEqual({
    valid: false,
    problems: [
      { path: '.spec.limits["cpu.max"]', message: "must be integer" },
      { path: ".spec.ports[1]", message: "must have required property 'name'" },
    ],
  });
});

test("strict: unknown fields are refused where the server prunes them, but not inside anyOf branches (their properties only add checks)", () => {
  expect(v.validate(thing({ pick: { a: "xy", b: "z" } }), { unknownFields: "error" }).valid).toBe(true);
  expect(brief(v.validate(thing({ pick: { a: "xy", c: 1 } }), { unknownFields: "error" }))).toEqual({ valid: false, problems: [{ path: ".spec.pick", message: 'unknown field "c"' }] });
  expect(v.validate(thing({ pick: { a: "xy", c: 1 } })).valid).toBe(true);
});

test("the root needs this apiVersion, kind and metadata; parse throws every problem in one ValidationError", () => {
  expect(brief(v.validate({ spec: {} }))).toEqual({
    valid: false,
    problems: [
      { path: "", message: "must have required property 'apiVersion'" },
      { path: "", message: "must have required property 'kind'" },
      { path: "", message: "must have required property 'metadata'" },
    ],
  });
  expect(brief(v.validate({ ...thing({}), kind: "Other" }))).toEqual({ valid: false, problems: [{ path: ".kind", message: 'must be equal to one of the allowed values: "Thing"' }] });
  let caught: unknown;
  try {
    v.parse(thing({ ports: [{}], limits: { a: "x" } }));
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as ValidationError).message).toBe('invalid Thing (t.example.com/v1): spec.limits.a: Invalid value: "string": spec.limits.a in body must be of type integer: "string"; spec.ports[0].name: Required value');
  expect((caught as ValidationError).problems).toHaveLength(2);
});

test("a value that is not an object at all", () => {
  expect(brief(v.validate("nope"))).toEqual({ valid: false, problems: [{ path: "", message: "must be object" }] });
  expect(v.is(null)).toBe(false);
});

test("validate.ts is laid out as prettier prints it, for short kind names and for names too long for one line", async () => {
  const crd = (kind: string): string => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${kind.toLowerCase()}s.layout.example.com}
spec:
  group: layout.example.com
  names: {plural: ${kind.toLowerCase()}s, singular: ${kind.toLowerCase()}, kind: ${kind}, listKind: ${kind.slice(0, 59)}List}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {say: {type: string, pattern: "^it's \\"q\\"$"}}}}}
`;
  const prettier = await import("prettier");
  const validateTs = async (kinds: string[], format: "never" | "auto"): Promise<string> => {
    const out = await generateFromSources(kinds.map((k, i) => ({ name: `crd-${i}.yaml`, text: crd(k) })), { out: "/nonexistent", format, validators: true });
    return out.files.get("layout.example.com/v1/validate.ts") ?? "";
  };
  // The emitter's own layout, unformatted: prettier must leave it as it is.
  const text = await validateTs(["Dot", "NamespacedImageValidatingPolicy"], "never");
  expect(text).toContain("export const validateNamespacedImageValidatingPolicy =\n  createValidator<NamespacedImageValidatingPolicy>(\n");
  expect(text).toContain("export const validateDot = createValidator<Dot>(\n");
  expect(await prettier.format(text, { parser: "typescript" })).toBe(text);
  // A name so long that even the call line is too wide: the file goes through prettier.
  const long = await validateTs(["AVeryLongKindNameThatMakesEvenTheCallLineTooLongForPrettierTo"], "auto");
  expect(await prettier.format(long, { parser: "typescript" })).toBe(long);
});

describe("what the server does before it validates, and what it checks besides the schema", () => {
  const schemaOf = (spec: JsonObject): string =>
    JSON.stringify(validationSchema({ type: "object", properties: { spec: { type: "object", properties: spec } } }, { apiVersion: "t.example.com/v1", kind: "Thing" }).schema);
  const d = createValidator<Thing>("Thing (t.example.com/v1)", schemaOf({
    mode: { type: "string", default: "safe" },
    nested: { type: "object", default: {}, properties: { level: { type: "integer", default: 3 } } },
    count: { type: "integer" },
    note: { type: "string", nullable: true },
    addresses: { type: "array", items: { type: "object", properties: { type: { type: "string", default: "IPAddress" }, value: { type: "string" } }, oneOf: [{ properties: { type: { enum: ["IPAddress"] } } }, { properties: { type: { enum: ["Hostname"] } } }] } },
    ports: { type: "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"], items: { type: "object", required: ["name"], properties: { name: { type: "string" } } } },
    id: { type: "string", format: "uuid" },
    when: { type: "string", format: "date-time" },
  }));

  test("defaults are applied (nested ones too) and the defaulted copy is the value; the input is left alone", () => {
    const input = thing({ count: 1 });
    const r = d.validate(input);
    expect(r.valid && r.value.spec).toEqual({ count: 1, mode: "safe", nested: { level: 3 } });
    expect(input["spec"]).toEqual({ count: 1 });
  });

  test("a null where the schema is not nullable is dropped (nulls: error refuses it); a nullable null stays", () => {
    const r = d.validate(thing({ count: null, note: null }));
    expect(r.valid && r.value.spec).toEqual({ mode: "safe", nested: { level: 3 }, note: null });
    expect(brief(d.validate(thing({ count: null }), { nulls: "error" }))).toEqual({ valid: false, problems: [{ path: ".spec.count", message: "must be integer" }] });
  });

  test("oneOf sees the defaulted item, as on the server (gateway-api's addresses)", () => {
    expect(d.validate(thing({ addresses: [{ value: "10.0.0.1" }, { value: "10.0.0.2" }] })).valid).toBe(true);
  });

  test("map-list keys must differ; formats the server checks are checked", () => {
    const r = d.validate(thing({ ports: [{ name: "a" }, { name: "a" }], id: "nope", when: "2024-02-30T00:00:00Z" }));
    expect(r.valid ? [] : r.problems.map((p) => p.text).sort()).toEqual([
      'spec.id: Invalid value: "nope": spec.id in body must be of type uuid: "nope"',
      'spec.when: Invalid value: "2024-02-30T00:00:00Z": spec.when in body must be of type date-time: "2024-02-30T00:00:00Z"',
    ]);
    const keys = d.validate(thing({ ports: [{ name: "a" }, { name: "a" }] }));
    expect(keys.valid ? [] : keys.problems.map((p) => p.text)).toEqual(['spec.ports[1]: Duplicate value: {"name":"a"}']);
  });

  test("metadata.name is required (or generateName) and must be a DNS subdomain", () => {
    expect(d.validate({ ...thing({}), metadata: { generateName: "x-" } }).valid).toBe(true);
    expect(d.validate({ ...thing({}), metadata: {} })).toMatchObject({ valid: false, problems: [{ text: "metadata.name: Required value: name or generateName is required" }] });
    expect(d.validate({ ...thing({}), metadata: { name: "Bad_Name" } }).valid).toBe(false);
  });
});

test("a rule the runtime cannot evaluate on a value is listed as not checked for it, neither passed nor failed", () => {
  const schema = validationSchema(
    { type: "object", properties: { spec: { type: "object", properties: { word: { type: "string", "x-kubernetes-validations": [{ rule: "self.find('(?i)^abc') == self.substring(0, 3)", message: "must start with abc" }] } } } } },
    { apiVersion: "t.example.com/v1", kind: "Thing" },
  ).schema;
  const r = createValidator("Thing (t.example.com/v1)", JSON.stringify(schema)).validate(thing({ word: "ABCdef" }));
  expect(r).toMatchObject({ valid: true, notChecked: [{ path: ".spec.word", what: "self.find('(?i)^abc') == self.substring(0, 3)", reason: 'find/findAll with the RE2 pattern "(?i)^abc"' }] });
});
