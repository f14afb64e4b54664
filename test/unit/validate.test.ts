import { expect, test } from "@jest/globals";
import { createValidator, ValidationError } from "@kube-codegen/runtime";
import { validationSchema } from "../../generator/src/model/validation.js";

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
const thing = (spec: Record<string, unknown>): Record<string, unknown> => ({ apiVersion: "t.example.com/v1", kind: "Thing", metadata: { name: "x" }, spec });

test("paths read like the object: array indexes in brackets, map keys that are not identifiers quoted", () => {
  const r = v.validate(thing({ limits: { "cpu.max": "1", mem: 2 }, ports: [{ name: "a" }, {}] }));
  expect(r).toEqual({
    valid: false,
    problems: [
      { path: '.spec.limits["cpu.max"]', message: "must be integer" },
      { path: ".spec.ports[1]", message: "must have required property 'name'" },
    ],
  });
});

test("strict: unknown fields are refused where the server prunes them, but not inside anyOf branches (their properties only add checks)", () => {
  expect(v.validate(thing({ pick: { a: "xy", b: "z" } }), { unknownFields: "error" }).valid).toBe(true);
  expect(v.validate(thing({ pick: { a: "xy", c: 1 } }), { unknownFields: "error" })).toEqual({ valid: false, problems: [{ path: ".spec.pick", message: 'unknown field "c"' }] });
  expect(v.validate(thing({ pick: { a: "xy", c: 1 } })).valid).toBe(true);
});

test("the root needs this apiVersion, kind and metadata; parse throws every problem in one ValidationError", () => {
  expect(v.validate({ spec: {} })).toEqual({
    valid: false,
    problems: [
      { path: "", message: "must have required property 'apiVersion'" },
      { path: "", message: "must have required property 'kind'" },
      { path: "", message: "must have required property 'metadata'" },
    ],
  });
  expect(v.validate({ ...thing({}), kind: "Other" })).toEqual({ valid: false, problems: [{ path: ".kind", message: 'must be equal to one of the allowed values: "Thing"' }] });
  let caught: unknown;
  try {
    v.parse(thing({ ports: [{}], limits: { a: "x" } }));
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as ValidationError).message).toBe("invalid Thing (t.example.com/v1): .spec.limits.a: must be integer; .spec.ports[0]: must have required property 'name'");
  expect((caught as ValidationError).problems).toHaveLength(2);
});

test("a value that is not an object at all", () => {
  expect(v.validate("nope")).toEqual({ valid: false, problems: [{ path: "", message: "must be object" }] });
  expect(v.is(null)).toBe(false);
});
