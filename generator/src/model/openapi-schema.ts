import { InputError } from "../errors.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../load/documents.js";
import type { Docs, EnumSchema, NamedSchema, ObjectSchema, PropertyModel, Schema } from "./api.js";
import { NameRegistry, pascalCase } from "./naming.js";
import { childPath, collectDocs } from "./schema.js";

/** What converting the definitions of one module needs. */
export interface OpenApiSchemaContext {
  /** Names of the module's types. */
  readonly registry: NameRegistry;
  /** Where enum aliases and inline objects are declared (the module's definitions). */
  readonly declarations: NamedSchema[];
  /** The type a `#/components/schemas/<name>` reference stands for, at its use site. */
  readonly ref: (definition: string, docs: Docs, nullable: boolean) => Schema;
  /** The document and definition being converted, for messages. */
  readonly source: string;
  readonly definition: string;
}

const REF_PREFIX = "#/components/schemas/";

/** The definition a schema node refers to (`$ref`, or `allOf` with a single `$ref`), if it is one. */
export function refOf(raw: JsonObject): string | undefined {
  const direct = raw["$ref"];
  if (typeof direct === "string") return definitionName(direct);
  const allOf = raw["allOf"];
  if (Array.isArray(allOf) && allOf.length === 1 && isJsonObject(allOf[0]) && typeof allOf[0]["$ref"] === "string") {
    return definitionName(allOf[0]["$ref"]);
  }
  return undefined;
}

function definitionName(ref: string): string {
  if (!ref.startsWith(REF_PREFIX)) {
    throw new InputError(`unsupported $ref ${JSON.stringify(ref)}: the API server's documents refer only to their own #/components/schemas`);
  }
  return decodeURIComponent(ref.slice(REF_PREFIX.length)).replace(/~1/g, "/").replace(/~0/g, "~");
}

/**
 * Converts a definition of `components.schemas` into an interface (or alias) named `name`; `skip`
 * leaves out properties the emitter writes itself (a kind's apiVersion, kind and metadata).
 * Unlike a CRD's structural schema, an object without properties is free-form here
 * (`RawExtension`, `FieldsV1`): a map of unknown values.
 */
export function convertDefinition(raw: JsonObject, name: string, ctx: OpenApiSchemaContext, skip: ReadonlySet<string> = NO_KEYS): ObjectSchema | Schema {
  if (raw["type"] === "object" && isJsonObject(raw["properties"])) {
    return convertObject(raw, name, "", ctx, skip);
  }
  return convert(raw, name, "", ctx);
}

function convert(raw: JsonValue | undefined, name: string, path: string, ctx: OpenApiSchemaContext): Schema {
  if (!isJsonObject(raw)) return fail(ctx, path, "expected a schema object");
  const docs = docsOf(raw);
  const nullable = raw["nullable"] === true;
  const ref = refOf(raw);
  if (ref !== undefined) return ctx.ref(ref, docs, nullable);
  if (raw["x-kubernetes-int-or-string"] === true || raw["format"] === "int-or-string") return { kind: "int-or-string", nullable, docs };
  const type = raw["type"];
  const values = raw["enum"];
  if (Array.isArray(values) && values.length > 0 && (type === "string" || type === "integer" || type === "number" || type === "boolean")) {
    const literals = values.filter((v): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean");
    if (literals.length !== values.length) return fail(ctx, path, `enum values must be ${String(type)}s`);
    const declared: EnumSchema = { kind: "enum", name: ctx.registry.claim(name), values: [...new Set(literals)], nullable, docs };
    ctx.declarations.push(declared);
    return declared;
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
      if (!isJsonObject(items)) return fail(ctx, path, "an array needs an items schema");
      return { kind: "array", items: convert(items, name, `${path}[*]`, ctx), nullable, docs };
    }
    case "object": {
      const props = raw["properties"];
      if (isJsonObject(props) && Object.keys(props).length > 0) return convertObject(raw, name, path, ctx, NO_KEYS);
      const additional = raw["additionalProperties"];
      if (isJsonObject(additional)) return { kind: "map", values: convert(additional, `${name}Value`, `${path}[*]`, ctx), nullable, docs };
      return { kind: "map", values: UNKNOWN, nullable, docs };
    }
    case undefined:
      return { kind: "unknown", nullable, docs };
    default:
      return fail(ctx, path, `unsupported type ${JSON.stringify(type)}`);
  }
}

function convertObject(raw: JsonObject, name: string, path: string, ctx: OpenApiSchemaContext, skip: ReadonlySet<string>): ObjectSchema {
  // Claim the name before the children so that parents get the shorter names.
  const declaredName = path === "" ? name : ctx.registry.claim(name);
  const slot = ctx.declarations.length;
  if (path !== "") ctx.declarations.push(undefined as unknown as NamedSchema);
  const props = raw["properties"] as JsonObject;
  const requiredRaw = raw["required"];
  const required = new Set(Array.isArray(requiredRaw) ? requiredRaw.filter((r): r is string => typeof r === "string") : []);
  const properties: PropertyModel[] = [];
  for (const key of Object.keys(props).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (skip.has(key)) continue;
    const schema = convert(props[key], `${declaredName}${pascalCase(key) || "Property"}`, childPath(path, key), ctx);
    // Required means required: the built-in types keep Kubernetes' (and client-node's) optionality,
    // also for fields with a default.
    properties.push({ key, optional: !required.has(key), schema });
  }
  const object: ObjectSchema = {
    kind: "object",
    name: declaredName,
    path,
    properties,
    openEnded: raw["x-kubernetes-preserve-unknown-fields"] === true,
    embedded: false,
    nullable: raw["nullable"] === true,
    docs: docsOf(raw),
  };
  if (path !== "") ctx.declarations[slot] = object;
  return object;
}

/** JSDoc of a node: the CRD tags, plus the strategic merge patch strategy and merge key. */
function docsOf(raw: JsonObject): Docs {
  const collected = collectDocs(raw);
  // `allOf` around a single `$ref` is how the documents attach a description to a reference: not a junctor.
  const docs = refOf(raw) === undefined ? collected : { description: collected.description, tags: collected.tags.filter(([t]) => t !== "allOf") };
  const strategy = raw["x-kubernetes-patch-strategy"];
  if (typeof strategy !== "string") return docs;
  const key = raw["x-kubernetes-patch-merge-key"];
  return { description: docs.description, tags: [...docs.tags, ["patchStrategy", typeof key === "string" ? `${strategy} (key: ${key})` : strategy]] };
}

function fail(ctx: OpenApiSchemaContext, path: string, message: string): never {
  throw new InputError(`${ctx.definition}: ${message} at ${path || "."}`, { file: ctx.source }, `components.schemas[${JSON.stringify(ctx.definition)}]${path}`);
}

const NO_KEYS: ReadonlySet<string> = new Set();
const UNKNOWN: Schema = { kind: "unknown", nullable: false, docs: { description: undefined, tags: [] } };
