import { describe, expect, test } from "@jest/globals";
import * as yaml from "js-yaml";
import { loadCrds } from "../../generator/src/load/crds.js";
import { buildModel } from "../../generator/src/model/build.js";
import type { KindModel, ObjectSchema } from "../../generator/src/model/api.js";
import { typeText } from "../../generator/src/emit/types-file.js";

/** A one-version CRD whose spec has the given properties. */
function crd(specProperties: unknown, extra: Record<string, unknown> = {}): string {
  return yaml.dump({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "things.t.example.com" },
    spec: {
      group: "t.example.com",
      scope: "Namespaced",
      names: { kind: "Thing", plural: "things" },
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: specProperties, ...extra } } } } }],
    },
  });
}

function kindOf(text: string): KindModel {
  const { model } = buildModel(loadCrds([{ name: "t.yaml", text }]).crds);
  const kind = model.groups[0]?.versions[0]?.kinds[0];
  if (kind === undefined) throw new Error("no kind");
  return kind;
}

function specOf(text: string): ObjectSchema {
  const spec = kindOf(text).root.properties.find((p) => p.key === "spec")?.schema;
  if (spec?.kind !== "object") throw new Error("spec is not an object");
  return spec;
}

describe("schema → TypeScript type", () => {
  test.each([
    ["string", { type: "string" }, "string"],
    ["integer", { type: "integer", format: "int64" }, "number"],
    ["number", { type: "number" }, "number"],
    ["boolean", { type: "boolean" }, "boolean"],
    ["nullable", { type: "string", nullable: true }, "string | null"],
    ["int-or-string", { "x-kubernetes-int-or-string": true }, "IntOrString"],
    ["preserve-unknown without type", { "x-kubernetes-preserve-unknown-fields": true }, "unknown"],
    ["free-form object", { type: "object", "x-kubernetes-preserve-unknown-fields": true }, "{ [key: string]: unknown }"],
    ["closed empty object", { type: "object" }, "{ [key: string]: never }"],
    ["additionalProperties true", { type: "object", additionalProperties: true }, "{ [key: string]: unknown }"],
    ["map of strings", { type: "object", additionalProperties: { type: "string" } }, "{ [key: string]: string }"],
    ["array", { type: "array", items: { type: "string" } }, "string[]"],
    ["array of nullable", { type: "array", items: { type: "string", nullable: true } }, "(string | null)[]"],
    ["array of arrays", { type: "array", items: { type: "array", items: { type: "integer" } } }, "number[][]"],
    ["object", { type: "object", properties: { a: { type: "string" } } }, "ThingSpecX"],
    ["embedded", { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true }, "ThingSpecX"],
    ["enum", { type: "string", enum: ["a", "b"] }, "ThingSpecX"],
    ["nullable enum with null", { type: "string", nullable: true, enum: ["a", null] }, "ThingSpecX | null"],
    ["no type", {}, "unknown"],
  ])("%s", (_name, schema, want) => {
    const spec = specOf(crd({ x: schema }));
    expect(typeText(spec.properties[0]!.schema)).toBe(want);
  });

  test("required makes a property mandatory unless it has a default", () => {
    const spec = specOf(crd({ a: { type: "string" }, b: { type: "string", default: "x" }, c: { type: "string" } }, { required: ["a", "b"] }));
    expect(spec.properties.map((p) => [p.key, p.optional])).toEqual([["a", false], ["b", true], ["c", true]]);
  });

  test("enum values are kept in order and de-duplicated; docs collect tags in a fixed order", () => {
    const spec = specOf(crd({ e: { type: "integer", enum: [3, 1, 3], default: 1, minimum: 0, description: "d" } }));
    const e = spec.properties[0]!.schema;
    expect(e.kind === "enum" && e.values).toEqual([3, 1]);
    expect(e.docs).toEqual({ description: "d", tags: [["default", "1"], ["minimum", "0"]] });
  });

  test("CEL rules, list types and junctors become doc tags", () => {
    const spec = specOf(crd({ l: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set", "x-kubernetes-validations": [{ rule: "size(self) < 3", message: "too many" }], oneOf: [{ maxItems: 1 }, { minItems: 2 }] } }));
    expect(spec.properties[0]!.schema.docs.tags).toEqual([
      ["listType", "set"],
      ["oneOf", '{"maxItems":1} | {"minItems":2}'],
      ["rule", "size(self) < 3 — too many"],
    ]);
  });

  test("nested names derive from the path; parents get the shorter names", () => {
    const kind = kindOf(crd({ a: { type: "object", properties: { b: { type: "object", properties: { c: { type: "string" } } } } } }));
    expect(kind.declarations.map((d) => d.name)).toEqual(["ThingSpec", "ThingSpecA", "ThingSpecAB"]);
  });

  test("a deprecated version keeps its warning; an unserved one is left out with a note", () => {
    const text = yaml.dump({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "things.t.example.com" },
      spec: {
        group: "t.example.com",
        scope: "Cluster",
        names: { kind: "Thing", plural: "things" },
        versions: [
          { name: "v2", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } },
          { name: "v1", served: true, storage: false, deprecated: true, deprecationWarning: "use v2", schema: { openAPIV3Schema: { type: "object" } } },
          { name: "v0", served: false, storage: false, schema: { openAPIV3Schema: { type: "object" } } },
        ],
      },
    });
    const { model, notes } = buildModel(loadCrds([{ name: "t.yaml", text }]).crds);
    expect(model.groups[0]?.versions.map((v) => [v.version, v.kinds[0]?.deprecationWarning])).toEqual([["v2", undefined], ["v1", "use v2"]]);
    expect(notes).toEqual(["things.t.example.com: version v0 is not served; no types generated for it"]);
  });
});

test("enum values of another type than the schema's are not part of the type (no object can hold one)", () => {
  const x = specOf(crd({ x: { type: "string", enum: ["a", 1, "b"] } })).properties.find((p) => p.key === "x")?.schema;
  expect(x).toMatchObject({ kind: "enum", values: ["a", "b"] });
});

test("additionalProperties: true beside properties keeps unknown fields (the API server allows it)", () => {
  const x = specOf(crd({ x: { type: "object", properties: { a: { type: "string" } }, additionalProperties: true } })).properties.find((p) => p.key === "x")?.schema;
  expect(x).toMatchObject({ kind: "object", openEnded: true });
});

describe("bad schemas are errors naming the file, document, line and path", () => {
  test.each([
    ["unknown type", { x: { type: "int" } }, /t\.yaml, document 1, line \d+: at spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\.spec\.properties\.x\.type: CustomResourceDefinition things\.t\.example\.com: unsupported type "int" at \.spec\.x/],
    ["array without items", { x: { type: "array" } }, /array without items at \.spec\.x/],
    ["properties with additionalProperties", { x: { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "string" } } }, /mutually exclusive/],
    ["tuple items", { x: { type: "array", items: [{ type: "string" }] } }, /tuple items/],
  ])("%s", (_name, props, want) => {
    expect(() => kindOf(crd(props))).toThrow(want);
  });

  test("the line points at the offending key", () => {
    const text = crd({ x: { type: "int" } });
    const line = text.split("\n").findIndex((l) => l.includes("type: int")) + 1;
    expect(() => kindOf(text)).toThrow(new RegExp(`line ${line}:`));
  });
});
