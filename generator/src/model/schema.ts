import type { JsonObject, JsonValue } from "../load/documents.js";
import { isJsonObject } from "../load/documents.js";
import type { DocPath } from "../load/locate.js";
import type { Docs, NamedSchema, ObjectSchema, PropertyModel, Schema } from "./api.js";
import { NameRegistry, pascalCase } from "./naming.js";

/** What converting one kind's schema needs: names, a place for declarations, a way to fail. */
export interface SchemaContext {
  readonly registry: NameRegistry;
  readonly declarations: NamedSchema[];
  /** Throws an error pointing at `path` inside the CRD document. */
  readonly fail: (path: DocPath, message: string) => never;
}

const TYPES = new Set(["object", "array", "string", "integer", "number", "boolean"]);

/**
 * Converts the root `openAPIV3Schema` of a kind: its properties other than apiVersion, kind and
 * metadata become the kind interface's properties.
 */
export function convertRootSchema(raw: JsonObject, typeName: string, at: DocPath, ctx: SchemaContext): ObjectSchema {
  const props = raw["properties"];
  if (props !== undefined && !isJsonObject(props)) ctx.fail([...at, "properties"], "properties must be a mapping");
  const properties = convertProperties(raw, typeName, "", at, ctx, new Set(["apiVersion", "kind", "metadata"]));
  return {
    kind: "object",
    name: typeName,
    path: "",
    properties,
    openEnded: raw["x-kubernetes-preserve-unknown-fields"] === true,
    embedded: false,
    nullable: false,
    docs: collectDocs(raw),
  };
}

/**
 * Converts one schema node. `name` is the name a declaration made for it would get (before
 * de-duplication); `path` is the schema path for messages; `at` the place in the document.
 */
export function convertSchema(raw: JsonValue | undefined, name: string, path: string, at: DocPath, ctx: SchemaContext): Schema {
  if (!isJsonObject(raw)) return ctx.fail(at, `expected a schema object at ${path || "."}`);
  const docs = collectDocs(raw);
  const nullable = raw["nullable"] === true;
  const type = raw["type"];
  if (type !== undefined && (typeof type !== "string" || !TYPES.has(type))) {
    return ctx.fail([...at, "type"], `unsupported type ${JSON.stringify(type)} at ${path || "."} (expected one of ${[...TYPES].join(", ")})`);
  }
  if (raw["x-kubernetes-int-or-string"] === true) return { kind: "int-or-string", nullable, docs };

  const enumValues = raw["enum"];
  if (enumValues !== undefined && type !== "object" && type !== "array") {
    if (!Array.isArray(enumValues)) return ctx.fail([...at, "enum"], `enum must be a list at ${path || "."}`);
    const values: (string | number | boolean)[] = [];
    let hasNull = false;
    for (const v of enumValues) {
      if (v === null) {
        hasNull = true;
        continue;
      }
      // The API server takes enum values of another type than the schema's, but no object can
      // ever hold one (it checks the type as well): such values are not part of the type.
      const ok = type === undefined
        ? typeof v !== "object"
        : type === "string" ? typeof v === "string" : type === "boolean" ? typeof v === "boolean" : typeof v === "number" && (type === "number" || Number.isInteger(v));
      if (ok && !values.includes(v as string | number | boolean)) values.push(v as string | number | boolean);
    }
    if (values.length > 0) {
      const declared = { kind: "enum", name: ctx.registry.claim(name), values, nullable: nullable || hasNull, docs } as const;
      ctx.declarations.push(declared);
      return declared;
    }
  }

  switch (type) {
    case "string":
      return { kind: "primitive", primitive: "string", nullable, docs };
    case "integer":
    case "number":
      return { kind: "primitive", primitive: "number", nullable, docs };
    case "boolean":
      return { kind: "primitive", primitive: "boolean", nullable, docs };
    case "array": {
      const items = raw["items"];
      if (items === undefined) return ctx.fail(at, `array without items at ${path || "."}`);
      if (Array.isArray(items)) return ctx.fail([...at, "items"], `tuple items (a list of schemas) are not allowed in a CRD schema at ${path || "."}`);
      return { kind: "array", items: convertSchema(items, name, `${path}[*]`, [...at, "items"], ctx), nullable, docs };
    }
    case "object":
      return convertObject(raw, name, path, at, ctx, nullable, docs);
    default:
      // No type: a structural schema allows this only with x-kubernetes-preserve-unknown-fields.
      return { kind: "unknown", nullable, docs };
  }
}

function convertObject(raw: JsonObject, name: string, path: string, at: DocPath, ctx: SchemaContext, nullable: boolean, docs: Docs): Schema {
  const props = raw["properties"];
  const additional = raw["additionalProperties"];
  // `additionalProperties: true` beside properties keeps unknown fields, as preserve-unknown does.
  const openEnded = raw["x-kubernetes-preserve-unknown-fields"] === true || (additional === true && isJsonObject(props) && Object.keys(props).length > 0);
  const embedded = raw["x-kubernetes-embedded-resource"] === true;
  if (props !== undefined && !isJsonObject(props)) return ctx.fail([...at, "properties"], `properties must be a mapping at ${path || "."}`);
  const hasProps = props !== undefined && Object.keys(props).length > 0;
  if (hasProps && additional !== undefined && additional !== false && additional !== true) {
    return ctx.fail([...at, "additionalProperties"], `properties and additionalProperties are mutually exclusive in a structural schema at ${path || "."}`);
  }
  if (!hasProps && !embedded && additional !== undefined && additional !== false) {
    if (additional === true) return { kind: "map", values: { kind: "unknown", nullable: false, docs: NO_DOCS }, nullable, docs };
    return { kind: "map", values: convertSchema(additional, `${name}Value`, `${path}[*]`, [...at, "additionalProperties"], ctx), nullable, docs };
  }
  if (!hasProps && !embedded) {
    // A free-form object (open-ended) is a string-keyed map of anything; a closed object without
    // properties keeps nothing (the API server prunes every field), so no key is allowed.
    const values: Schema = openEnded ? { kind: "unknown", nullable: false, docs: NO_DOCS } : { kind: "never", nullable: false, docs: NO_DOCS };
    return { kind: "map", values, nullable, docs };
  }
  // Claim the name before the children so that parents get the shorter names.
  const declaredName = ctx.registry.claim(name);
  const slot = ctx.declarations.length;
  ctx.declarations.push(undefined as unknown as NamedSchema);
  const properties = convertProperties(raw, declaredName, path, at, ctx, embedded ? EMBEDDED_KEYS : NO_KEYS);
  const object: ObjectSchema = { kind: "object", name: declaredName, path, properties, openEnded, embedded, nullable, docs };
  ctx.declarations[slot] = object;
  return object;
}

function convertProperties(raw: JsonObject, parentName: string, path: string, at: DocPath, ctx: SchemaContext, skip: ReadonlySet<string>): PropertyModel[] {
  const props = raw["properties"];
  if (!isJsonObject(props)) return [];
  const requiredRaw = raw["required"];
  if (requiredRaw !== undefined && (!Array.isArray(requiredRaw) || requiredRaw.some((r) => typeof r !== "string"))) {
    ctx.fail([...at, "required"], `required must be a list of property names at ${path || "."}`);
  }
  const required = new Set(Array.isArray(requiredRaw) ? (requiredRaw as string[]) : []);
  const out: PropertyModel[] = [];
  // Code-unit order: the output does not depend on how the YAML orders its keys (the API server
  // itself returns properties sorted, so a CRD read from a cluster gives the same output).
  for (const key of Object.keys(props).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (skip.has(key)) continue;
    const child = props[key];
    const schema = convertSchema(child, `${parentName}${pascalCase(key) || "Property"}`, childPath(path, key), [...at, "properties", key], ctx);
    const hasDefault = isJsonObject(child) && child["default"] !== undefined;
    out.push({ key, optional: !required.has(key) || hasDefault, schema });
  }
  return out;
}

/**
 * The schema path of a property: `.spec.foo`, `.spec["a.b"]`. Messages, the model's declarations
 * and the diff's findings all use it, so that a diff finding can be matched to a generated type.
 */
export function childPath(path: string, key: string): string {
  return `${path}.${/^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${JSON.stringify(key)}]`}`;
}

const EMBEDDED_KEYS: ReadonlySet<string> = new Set(["apiVersion", "kind", "metadata"]);
const NO_KEYS: ReadonlySet<string> = new Set();

// Shared by every node without docs (most items, maps and leaves without a description): the
// model of the union corpus holds some 400,000 nodes.
const NO_TAGS: Docs["tags"] = Object.freeze([]);
const NO_DOCS: Docs = Object.freeze({ description: undefined, tags: NO_TAGS });

const BOUNDS: readonly string[] = [
  "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf",
  "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
];

/** The keywords that make a JSDoc tag. */
const TAGGED: ReadonlySet<string> = new Set([
  "default", "format", ...BOUNDS, "pattern", "x-kubernetes-list-type", "x-kubernetes-map-type", "oneOf", "anyOf", "allOf", "not", "x-kubernetes-validations",
]);

/** JSDoc material from a schema node: description, then tags in a fixed order. */
export function collectDocs(raw: JsonObject): Docs {
  const description = typeof raw["description"] === "string" ? raw["description"] : undefined;
  // Most nodes have a few keys and no tag at all: one pass over them instead of a lookup per tag.
  let tagged = false;
  for (const key in raw) {
    if (TAGGED.has(key)) {
      tagged = true;
      break;
    }
  }
  if (!tagged) return description === undefined ? NO_DOCS : { description, tags: NO_TAGS };
  const tags: [string, string][] = [];
  if (raw["default"] !== undefined) tags.push(["default", JSON.stringify(raw["default"])]);
  if (typeof raw["format"] === "string") tags.push(["format", raw["format"]]);
  for (const b of BOUNDS) {
    const v = raw[b];
    if (v !== undefined) tags.push([b, typeof v === "string" ? v : JSON.stringify(v)]);
  }
  if (typeof raw["pattern"] === "string") tags.push(["pattern", raw["pattern"]]);
  const listType = raw["x-kubernetes-list-type"];
  if (typeof listType === "string") {
    const keys = raw["x-kubernetes-list-map-keys"];
    tags.push(["listType", Array.isArray(keys) && keys.length > 0 ? `${listType} (keys: ${keys.join(", ")})` : listType]);
  }
  if (typeof raw["x-kubernetes-map-type"] === "string") tags.push(["mapType", raw["x-kubernetes-map-type"]]);
  for (const j of ["oneOf", "anyOf", "allOf", "not"]) {
    const v = raw[j];
    if (v !== undefined) tags.push([j, Array.isArray(v) ? v.map((x) => JSON.stringify(x)).join(" | ") : JSON.stringify(v)]);
  }
  const rules = raw["x-kubernetes-validations"];
  if (Array.isArray(rules)) {
    for (const r of rules) {
      if (!isJsonObject(r) || typeof r["rule"] !== "string") continue;
      const msg = typeof r["message"] === "string" ? r["message"] : typeof r["messageExpression"] === "string" ? `(message expression) ${r["messageExpression"]}` : undefined;
      tags.push(["rule", msg === undefined ? r["rule"] : `${r["rule"]} — ${msg}`]);
    }
  }
  if (tags.length > 0) return { description, tags };
  return description === undefined ? NO_DOCS : { description, tags: NO_TAGS };
}
