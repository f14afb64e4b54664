import fc from "fast-check";

/** A CRD as a plain JSON object. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/** One mutant: the CRD, and what was done to its seed. */
export interface Mutant {
  readonly crd: Obj;
  readonly what: string;
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every schema node of a CRD's versions, with a readable path, in document order. */
function schemaNodes(crd: Obj): { node: Obj; path: string; parentKey: string }[] {
  const out: { node: Obj; path: string; parentKey: string }[] = [];
  const versions = (crd["spec"] as Obj)["versions"] as Json[];
  versions.forEach((v, i) => {
    const root = ((v as Obj)["schema"] as Obj | undefined)?.["openAPIV3Schema"];
    const visit = (n: Json | undefined, path: string, parentKey: string): void => {
      if (!isObj(n)) return;
      out.push({ node: n, path, parentKey });
      const props = n["properties"];
      if (isObj(props)) for (const [k, c] of Object.entries(props)) visit(c, `${path}.properties.${k}`, k);
      visit(n["items"], `${path}.items`, "items");
      if (isObj(n["additionalProperties"])) visit(n["additionalProperties"], `${path}.additionalProperties`, "additionalProperties");
      for (const j of ["allOf", "anyOf", "oneOf"]) {
        const list = n[j];
        if (Array.isArray(list)) list.forEach((s, k) => visit(s, `${path}.${j}[${k}]`, j));
      }
    };
    visit(root, `versions[${i}]`, "");
  });
  return out;
}

type NodeOp = (n: Obj) => string;
type CrdOp = (crd: Obj, pick: number) => string;

/** Changes to one schema node: the kinds of mistakes and attacks an untrusted CRD can hold. */
const NODE_OPS: readonly [string, NodeOp][] = [
  ["$ref", (n) => ((n["$ref"] = "#/definitions/x"), "add $ref")],
  ["definitions", (n) => ((n["definitions"] = { x: { type: "string" } }), "add definitions")],
  ["patternProperties", (n) => ((n["patternProperties"] = { "^a": { type: "string" } }), "add patternProperties")],
  ["uniqueItems", (n) => ((n["uniqueItems"] = true), "uniqueItems: true")],
  ["preserve-false", (n) => ((n["x-kubernetes-preserve-unknown-fields"] = false), "x-kubernetes-preserve-unknown-fields: false")],
  ["preserve-true", (n) => ((n["x-kubernetes-preserve-unknown-fields"] = true), "x-kubernetes-preserve-unknown-fields: true")],
  ["drop-type", (n) => (delete n["type"], "remove type")],
  ["type-bogus", (n) => ((n["type"] = "null"), "type: null")],
  ["type-number", (n) => ((n["type"] = 7), "type: 7")],
  ["nullable-string", (n) => ((n["nullable"] = "yes"), 'nullable: "yes"')],
  ["nullable-true", (n) => ((n["nullable"] = true), "nullable: true")],
  ["description-number", (n) => ((n["description"] = 5), "description: 5")],
  ["maxLength-string", (n) => ((n["maxLength"] = "ten"), 'maxLength: "ten"')],
  ["maxLength-negative", (n) => ((n["maxLength"] = -1), "maxLength: -1")],
  ["maxLength-float", (n) => ((n["maxLength"] = 1.5), "maxLength: 1.5")],
  ["minimum-string", (n) => ((n["minimum"] = "0"), 'minimum: "0"')],
  ["required-numbers", (n) => ((n["required"] = [1]), "required: [1]")],
  ["required-missing-prop", (n) => ((n["required"] = ["noSuchProperty"]), 'required: ["noSuchProperty"]')],
  ["int-or-string-type", (n) => ((n["x-kubernetes-int-or-string"] = true), "x-kubernetes-int-or-string: true (type kept)")],
  ["int-or-string-string", (n) => ((n["x-kubernetes-int-or-string"] = "true"), 'x-kubernetes-int-or-string: "true"')],
  ["embedded", (n) => ((n["x-kubernetes-embedded-resource"] = true), "x-kubernetes-embedded-resource: true")],
  ["junctor-type", (n) => ((n["anyOf"] = [{ type: "string" }]), "anyOf: [{type: string}]")],
  ["junctor-description", (n) => ((n["allOf"] = [{ description: "x" }]), "allOf: [{description: x}]")],
  ["junctor-value", (n) => ((n["oneOf"] = [{ maxLength: 3 }, { minLength: 5 }]), "oneOf: [{maxLength: 3}, {minLength: 5}]")],
  ["junctor-unknown-prop", (n) => ((n["anyOf"] = [{ properties: { zzz: { maxLength: 1 } } }]), "anyOf with a property the structural part lacks")],
  ["not-default", (n) => ((n["not"] = { default: "x" }), "not: {default: x}")],
  ["additional-false", (n) => ((n["additionalProperties"] = false), "additionalProperties: false")],
  ["additional-true", (n) => ((n["additionalProperties"] = true), "additionalProperties: true")],
  ["additional-schema", (n) => ((n["additionalProperties"] = { type: "string" }), "additionalProperties: {type: string}")],
  ["items-list", (n) => ((n["items"] = [{ type: "string" }]), "items: [{type: string}]")],
  ["drop-items", (n) => (delete n["items"], "remove items")],
  ["drop-properties", (n) => (delete n["properties"], "remove properties")],
  ["default-string", (n) => ((n["default"] = "a-default"), 'default: "a-default"')],
  ["default-number", (n) => ((n["default"] = 3), "default: 3")],
  ["default-object", (n) => ((n["default"] = {}), "default: {}")],
  ["default-unknown-field", (n) => ((n["default"] = { zzzUnknown: 1 }), "default: {zzzUnknown: 1}")],
  ["default-null", (n) => ((n["default"] = null), "default: null")],
  ["enum-mixed", (n) => ((n["enum"] = ["a", 1]), 'enum: ["a", 1]')],
  ["enum-not-list", (n) => ((n["enum"] = "a"), 'enum: "a"')],
  ["pattern-broken", (n) => ((n["pattern"] = "(unclosed"), 'pattern: "(unclosed"')],
  ["pattern-lookahead", (n) => ((n["pattern"] = "^(?=a)a$"), 'pattern: "^(?=a)a$"')],
  ["pattern-re2-flags", (n) => ((n["pattern"] = "(?i)^abc$"), 'pattern: "(?i)^abc$"')],
  ["list-type-bogus", (n) => ((n["x-kubernetes-list-type"] = "bag"), "x-kubernetes-list-type: bag")],
  ["list-type-map", (n) => ((n["x-kubernetes-list-type"] = "map"), "x-kubernetes-list-type: map (no keys)")],
  ["list-type-set", (n) => ((n["x-kubernetes-list-type"] = "set"), "x-kubernetes-list-type: set")],
  ["list-map-keys", (n) => ((n["x-kubernetes-list-map-keys"] = ["name"]), "x-kubernetes-list-map-keys: [name] without list-type")],
  ["map-type-bogus", (n) => ((n["x-kubernetes-map-type"] = "mixed"), "x-kubernetes-map-type: mixed")],
  ["map-type-atomic", (n) => ((n["x-kubernetes-map-type"] = "atomic"), "x-kubernetes-map-type: atomic")],
  ["rule-empty", (n) => ((n["x-kubernetes-validations"] = [{ rule: "" }]), 'x-kubernetes-validations: [{rule: ""}]')],
  ["rule-reason", (n) => ((n["x-kubernetes-validations"] = [{ rule: "true", reason: "Because" }]), "x-kubernetes-validations reason: Because")],
  ["rule-not-list", (n) => ((n["x-kubernetes-validations"] = { rule: "true" }), "x-kubernetes-validations: {rule: true}")],
  ["unknown-keyword", (n) => ((n["descripton"] = "typo"), "descripton: typo (unknown field)")],
  ["format-unknown", (n) => ((n["format"] = "no-such-format"), "format: no-such-format")],
  ["exclusive-number", (n) => ((n["exclusiveMinimum"] = 3), "exclusiveMinimum: 3")],
  ["properties-list", (n) => ((n["properties"] = [{ type: "string" }]), "properties: [..]")],
];

const BAD_NAMES = ["..", "../../x", "UPPER", "a_b", "x*/export const PWNED = 1;/*", "a".repeat(64), "-lead", "trail-", "1abc", "dots.in.it", "", "ok-name"];

/** Changes to the CRD around its schemas: names, versions, scope, subresources, columns. */
const CRD_OPS: readonly [string, CrdOp][] = [
  ["group", (c, k) => {
    const spec = c["spec"] as Obj;
    const g = ["..", "/tmp/x", "nodot", "UPPER.example.com", "x*/export const PWNED = 1;/*.io", `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.com`, "a..b.com", "ok.example.com"][k % 8] as string;
    spec["group"] = g;
    (c["metadata"] as Obj)["name"] = `${String((spec["names"] as Obj)["plural"])}.${g}`;
    return `group ${JSON.stringify(g)} (name kept consistent)`;
  }],
  ["plural", (c, k) => {
    const spec = c["spec"] as Obj;
    const v = BAD_NAMES[k % BAD_NAMES.length] as string;
    (spec["names"] as Obj)["plural"] = v;
    (c["metadata"] as Obj)["name"] = `${v}.${String(spec["group"])}`;
    return `plural ${JSON.stringify(v)} (name kept consistent)`;
  }],
  ["kind", (c, k) => {
    const v = ["Foo Bar", "x*/export const PWNED = 1;/*", "Ab-Cd", "K".repeat(64), "9Lives", "Good", "Widget_Thing", "kind-lower"][k % 8] as string;
    const names = (c["spec"] as Obj)["names"] as Obj;
    names["kind"] = v;
    names["listKind"] = `${v}List`;
    return `kind ${JSON.stringify(v)}`;
  }],
  ["listKind-same", (c) => {
    const names = (c["spec"] as Obj)["names"] as Obj;
    names["listKind"] = names["kind"] as Json;
    return "listKind equal to kind";
  }],
  ["shortName", (c, k) => (((c["spec"] as Obj)["names"] as Obj)["shortNames"] = [BAD_NAMES[k % BAD_NAMES.length] as string], `shortNames [${JSON.stringify(BAD_NAMES[k % BAD_NAMES.length])}]`)],
  ["category", (c, k) => (((c["spec"] as Obj)["names"] as Obj)["categories"] = [BAD_NAMES[k % BAD_NAMES.length] as string], `categories [${JSON.stringify(BAD_NAMES[k % BAD_NAMES.length])}]`)],
  ["version-name", (c, k) => {
    const v = ["..", "V1", "v1.0", "1v", "v1beta1", "x".repeat(64), "v1_2", "v2"][k % 8] as string;
    (((c["spec"] as Obj)["versions"] as Json[])[0] as Obj)["name"] = v;
    return `version name ${JSON.stringify(v)}`;
  }],
  ["name-mismatch", (c) => (((c["metadata"] as Obj)["name"] = "other.example.com"), "metadata.name not <plural>.<group>")],
  ["scope", (c, k) => (((c["spec"] as Obj)["scope"] = ["Global", "namespaced", ""][k % 3] as string), "bad scope")],
  ["no-storage", (c) => {
    for (const v of (c["spec"] as Obj)["versions"] as Json[]) (v as Obj)["storage"] = false;
    return "no storage version";
  }],
  ["two-storage", (c) => {
    const vs = (c["spec"] as Obj)["versions"] as Json[];
    const first = vs[0] as Obj;
    vs.push({ ...JSON.parse(JSON.stringify(first)) as Obj, name: `${String(first["name"])}x`, storage: true });
    return "two storage versions";
  }],
  ["duplicate-version", (c) => {
    const vs = (c["spec"] as Obj)["versions"] as Json[];
    vs.push({ ...JSON.parse(JSON.stringify(vs[0])) as Obj, storage: false });
    return "a version listed twice";
  }],
  ["served-string", (c) => (((((c["spec"] as Obj)["versions"] as Json[])[0] as Obj)["served"] = "yes"), 'served: "yes"')],
  ["root-not-object", (c) => ((rootOf(c)["type"] = "string"), "root type string")],
  ["root-nullable", (c) => ((rootOf(c)["nullable"] = true), "root nullable")],
  ["root-apiVersion-int", (c) => (props(rootOf(c))["apiVersion"] = { type: "integer" }, "root apiVersion: integer")],
  ["root-kind-string", (c) => (props(rootOf(c))["kind"] = { type: "string", maxLength: 40 }, "root kind: string with maxLength")],
  ["root-metadata-extra", (c) => (props(rootOf(c))["metadata"] = { type: "object", properties: { labels: { type: "object" } } }, "root metadata with labels")],
  ["root-metadata-name", (c) => (props(rootOf(c))["metadata"] = { type: "object", properties: { name: { type: "string", maxLength: 20 } } }, "root metadata restricting name")],
  ["no-schema", (c) => (delete (((c["spec"] as Obj)["versions"] as Json[])[0] as Obj)["schema"], "version without schema")],
  ["scale-path", (c, k) => {
    const v = ((c["spec"] as Obj)["versions"] as Json[])[0] as Obj;
    const spec = [".spec.replicas", "spec.replicas", ".status.replicas", ".spec.noSuch"][k % 4] as string;
    v["subresources"] = { status: {}, scale: { specReplicasPath: spec, statusReplicasPath: ".status.replicas" } };
    return `scale specReplicasPath ${spec}`;
  }],
  ["column", (c, k) => {
    const v = ((c["spec"] as Obj)["versions"] as Json[])[0] as Obj;
    const col = [{ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" }, { name: "X", type: "text", jsonPath: ".spec" }, { name: "", type: "string", jsonPath: ".spec" }, { name: "P", type: "integer", jsonPath: ".spec", priority: -1 }, { name: "F", type: "string", format: "weird", jsonPath: ".spec" }][k % 5] as Obj;
    v["additionalPrinterColumns"] = [col];
    return `printer column ${JSON.stringify(col)}`;
  }],
  ["conversion", (c, k) => {
    const conv = [{ strategy: "Webhook" }, { strategy: "Sometimes" }, { strategy: "None", webhook: { conversionReviewVersions: ["v1"] } }, { strategy: "Webhook", webhook: { conversionReviewVersions: ["v2"], clientConfig: { url: "https://127.0.0.1:1/convert" } } }][k % 4] as Obj;
    (c["spec"] as Obj)["conversion"] = conv;
    return `conversion ${JSON.stringify(conv)}`;
  }],
  ["preserveUnknownFields", (c) => (((c["spec"] as Obj)["preserveUnknownFields"] = true), "spec.preserveUnknownFields: true")],
];

function rootOf(c: Obj): Obj {
  return ((((c["spec"] as Obj)["versions"] as Json[])[0] as Obj)["schema"] as Obj)["openAPIV3Schema"] as Obj;
}
function props(n: Obj): Obj {
  if (!isObj(n["properties"])) n["properties"] = {};
  return n["properties"] as Obj;
}

/** One mutant from a seed CRD: a schema-node change (most of the time) or a CRD-level change. */
export function mutantArbitrary(seeds: readonly Obj[]): fc.Arbitrary<Mutant> {
  return fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      node: fc.nat(),
      level: fc.constantFrom("node", "node", "node", "crd"),
      op: fc.nat(),
      arg: fc.nat(),
    })
    .map(({ seed, node, level, op, arg }) => {
      const crd = JSON.parse(JSON.stringify(seeds[seed])) as Obj;
      const name = String((crd["metadata"] as Obj)["name"]);
      if (level === "crd") {
        const [id, fn] = CRD_OPS[op % CRD_OPS.length] as [string, CrdOp];
        return { crd, what: `${name}: ${id}: ${fn(crd, arg)}` };
      }
      const nodes = schemaNodes(crd);
      const target = nodes[node % nodes.length];
      const [id, fn] = NODE_OPS[op % NODE_OPS.length] as [string, NodeOp];
      if (target === undefined) return { crd, what: `${name}: unchanged` };
      return { crd, what: `${name} at ${target.path}: ${id}: ${fn(target.node)}` };
    });
}

/** The operation id of a mutant's description (`… : <id>: …`). */
export function opOf(what: string): string {
  return what.split(": ")[1] ?? "";
}
