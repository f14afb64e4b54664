import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { parseEventWithoutManagedFields, parseListWithoutManagedFields, stripManagedFields, type KubeObject } from "@kube-codegen/runtime";

// The cut must give exactly what parsing the whole text and dropping the field gives, whatever the
// strings hold (quotes, backslashes, brackets, the key's own text) and wherever else the key is.
const nasty = fc.string({ unit: fc.constantFrom('"', "\\", "[", "]", "{", "}", ":", ",", "a", "é", '"managedFields":[', '\\"managedFields\\":[', "\u0000"), maxLength: 12 });
const scalar = fc.oneof(nasty, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: "small", maxDepth: 4 }, scalar, fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(nasty, tie("value"), { maxKeys: 3 })),
}));
/** A managedFields entry: objects all the way down, as the server writes them, or anything at all. */
const entry = fc.oneof(
  fc.record({ manager: nasty, operation: fc.constantFrom("Update", "Apply"), fieldsV1: fc.dictionary(nasty.map((k) => `f:${k}`), fc.dictionary(nasty, fc.constant({}), { maxKeys: 3 }), { maxKeys: 3 }) }),
  value,
);
const decoy = fc.record({ managedFields: fc.array(entry, { maxLength: 2 }), other: value }, { requiredKeys: [] });

/** An object whose top-level and metadata keys come in any order, with decoys before and after. */
const object = fc
  .record({
    before: fc.option(decoy, { nil: undefined }),
    metaBefore: fc.dictionary(nasty, value, { maxKeys: 2 }),
    managedFields: fc.option(fc.array(entry, { maxLength: 3 }), { nil: undefined }),
    metaAfter: fc.dictionary(nasty, value, { maxKeys: 2 }),
    spec: fc.option(decoy, { nil: undefined }),
  })
  .map(({ before, metaBefore, managedFields, metaAfter, spec }) => {
    const metadata: Record<string, unknown> = { name: "x", ...metaBefore };
    if (managedFields !== undefined) metadata["managedFields"] = managedFields;
    for (const [k, v] of Object.entries(metaAfter)) if (!(k in metadata)) metadata[k] = v;
    return { ...(before !== undefined ? { data: before } : {}), apiVersion: "v1", kind: "Thing", metadata, ...(spec !== undefined ? { spec } : {}) };
  });

/** What the cut must equal: the whole text parsed, the field dropped. */
const expected = (o: unknown): unknown => stripManagedFields(o as KubeObject);
/** Equal values and the same key order. */
const same = (got: unknown, want: unknown): void => {
  expect(got).toStrictEqual(want);
  expect(JSON.stringify(got)).toBe(JSON.stringify(want));
};

describe("watch events without managedFields", () => {
  test("equal to parsing the whole event and dropping the field", () => {
    fc.assert(
      fc.property(object, fc.constantFrom("ADDED", "MODIFIED", "DELETED"), (obj, type) => {
        const line = JSON.stringify({ type, object: obj });
        const whole = JSON.parse(line) as { type: string; object: unknown };
        same(parseEventWithoutManagedFields(line), { type: whole.type, object: expected(whole.object) });
      }),
      { numRuns: 2000 },
    );
  });

  test("the array is really cut, key order kept, the rest untouched", () => {
    const line = '{"type":"ADDED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"a":"]"},"managedFields":[{"manager":"m\\"]","fieldsV1":{"f:metadata":{"k:{\\"name\\":\\"x]\\"}":{}}}}],"name":"p"},"spec":{"x":1}}}';
    const got = parseEventWithoutManagedFields(line) as { object: { metadata: Record<string, unknown> } };
    expect(Object.keys(got.object.metadata)).toEqual(["labels", "name"]);
    expect(got).toEqual({ type: "ADDED", object: { apiVersion: "v1", kind: "Pod", metadata: { labels: { a: "]" }, name: "p" }, spec: { x: 1 } } });
  });

  test("a decoy key elsewhere first, a nested array, or a sentinel-looking value: parsed whole", () => {
    const spec = '{"type":"MODIFIED","object":{"data":{"managedFields":[1]},"metadata":{"managedFields":[{"a":1}],"name":"p"}}}';
    expect(parseEventWithoutManagedFields(spec)).toEqual({ type: "MODIFIED", object: { data: { managedFields: [1] }, metadata: { name: "p" } } });
    const nested = '{"type":"ADDED","object":{"metadata":{"managedFields":[{"a":[1,2]}],"name":"p"}}}';
    expect(parseEventWithoutManagedFields(nested)).toEqual({ type: "ADDED", object: { metadata: { name: "p" } } });
    const escaped = '{"type":"ADDED","object":{"metadata":{"x\\"managedFields":[1],"name":"p"}}}';
    expect(parseEventWithoutManagedFields(escaped)).toEqual(JSON.parse(escaped));
  });

  test("text that is not JSON throws as JSON.parse does", () => {
    expect(() => parseEventWithoutManagedFields('{"type":"ADDED","object":{"metadata":{"managedFields":[{"a":1}],')).toThrow(SyntaxError);
    expect(() => parseEventWithoutManagedFields('{"object":{"metadata":{"managedFields":[]}}} trailing')).toThrow(SyntaxError);
  });
});

describe("lists without managedFields", () => {
  test("equal to parsing the whole list and dropping the field from every item", () => {
    fc.assert(
      fc.property(fc.array(object, { maxLength: 5 }), fc.option(decoy, { nil: undefined }), (items, extra) => {
        const text = JSON.stringify({ apiVersion: "v1", kind: "ThingList", metadata: { resourceVersion: "7", ...(extra !== undefined ? { extra } : {}) }, items });
        const whole = JSON.parse(text) as { items: unknown[] };
        same(parseListWithoutManagedFields(text), { ...whole, items: whole.items.map(expected) });
      }),
      { numRuns: 1000 },
    );
  });

  test("a list whose metadata holds the key: parsed whole, items still without it", () => {
    const text = '{"metadata":{"managedFields":[1]},"items":[{"metadata":{"managedFields":[{"m":"a"}],"name":"a"}}]}';
    expect(parseListWithoutManagedFields(text)).toEqual({ metadata: { managedFields: [1] }, items: [{ metadata: { name: "a" } }] });
  });
});

test("JSON written with spaces (no cut possible) still comes without the field", () => {
  const line = JSON.stringify({ type: "ADDED", object: { metadata: { managedFields: [{ m: 1 }], name: "p" } } }, null, 1);
  expect(parseEventWithoutManagedFields(line)).toEqual({ type: "ADDED", object: { metadata: { name: "p" } } });
  const list = JSON.stringify({ metadata: {}, items: [{ metadata: { managedFields: [], name: "a" } }] }, null, 1);
  expect(parseListWithoutManagedFields(list)).toEqual({ metadata: {}, items: [{ metadata: { name: "a" } }] });
});
