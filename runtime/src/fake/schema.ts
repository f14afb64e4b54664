import type { KubeObject } from "../client/types.js";
import type { ResourceDescriptor } from "../resource.js";
import type { Validator } from "../validate.js";

/**
 * The part of a CRD's structural schema the fake uses: defaults, pruning of unknown fields, list
 * and map types for server-side apply. A subset of `JSONSchemaProps`, as written in the CRD.
 */
export interface StructuralSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, StructuralSchema>>;
  readonly items?: StructuralSchema;
  readonly additionalProperties?: StructuralSchema | boolean;
  readonly default?: unknown;
  readonly nullable?: boolean;
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
  readonly "x-kubernetes-embedded-resource"?: boolean;
  readonly "x-kubernetes-int-or-string"?: boolean;
  readonly "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  readonly "x-kubernetes-list-map-keys"?: readonly string[];
  readonly "x-kubernetes-map-type"?: "atomic" | "granular";
  readonly "x-kubernetes-validations"?: readonly unknown[];
}

/**
 * One resource the fake serves: its descriptor, and optionally what the API server would know
 * from the CRD - the schema (defaults, pruning, list types), the validator (Invalid answers) and
 * the selectable fields (field selectors beyond metadata.name and metadata.namespace).
 */
export interface FakeResource {
  readonly descriptor: ResourceDescriptor;
  /** The schema, or its JSON text (generated code passes text: parsed when the fake starts). */
  readonly schema?: StructuralSchema | string | undefined;
  readonly validator?: Validator<unknown> | undefined;
  /** JSON paths such as `.spec.color` (the CRD version's `selectableFields[].jsonPath`). */
  readonly selectableFields?: readonly string[] | undefined;
}

/** A resource as the tracker keeps it: the schema parsed. */
export interface ServedResource extends FakeResource {
  readonly schema?: StructuralSchema | undefined;
}

interface CrdVersion {
  name: string;
  served?: boolean;
  schema?: { openAPIV3Schema?: StructuralSchema };
  subresources?: { status?: object; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  selectableFields?: { jsonPath: string }[];
}

interface Crd extends KubeObject {
  spec: {
    group: string;
    scope: "Namespaced" | "Cluster";
    names: { kind: string; listKind?: string; plural: string; singular?: string; shortNames?: string[]; categories?: string[] };
    versions: CrdVersion[];
  };
}

/**
 * The fake resources of a CustomResourceDefinition (`apiextensions.k8s.io/v1`): one per served
 * version, with its schema and selectable fields, and a validator if given one per version name.
 */
export function fakeResourcesFromCrd(crd: object, validators: Readonly<Record<string, Validator<unknown>>> = {}): FakeResource[] {
  const c = crd as Crd;
  if (c.kind !== "CustomResourceDefinition" || typeof c.spec?.group !== "string" || !Array.isArray(c.spec.versions)) {
    throw new TypeError(`not a CustomResourceDefinition: ${JSON.stringify(c.metadata?.name ?? c.kind)}`);
  }
  const n = c.spec.names;
  return c.spec.versions
    .filter((v) => v.served !== false)
    .map((v) => {
      const scale = v.subresources?.scale;
      const descriptor: ResourceDescriptor = {
        group: c.spec.group,
        version: v.name,
        kind: n.kind,
        listKind: n.listKind ?? `${n.kind}List`,
        plural: n.plural,
        singular: n.singular ?? n.kind.toLowerCase(),
        shortNames: n.shortNames ?? [],
        categories: n.categories ?? [],
        scope: c.spec.scope,
        subresources: {
          ...(v.subresources?.status !== undefined ? { status: true as const } : {}),
          ...(scale !== undefined ? { scale: { ...scale } } : {}),
        },
      };
      return { descriptor, schema: v.schema?.openAPIV3Schema, validator: validators[v.name], selectableFields: v.selectableFields?.map((f) => f.jsonPath) };
    });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The schema of a property of an object node (`undefined`: unknown, not described). */
export function propertySchema(schema: StructuralSchema | undefined, key: string): StructuralSchema | undefined {
  if (schema === undefined) return undefined;
  const p = schema.properties?.[key];
  if (p !== undefined) return p;
  return typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
}

/** The embedded ObjectMeta fields, as the server keeps them in embedded resources. */
const META_SCHEMA: StructuralSchema = { type: "object", "x-kubernetes-preserve-unknown-fields": true };

/**
 * Applies the schema's defaults and prunes unknown fields, like the API server on every write
 * (and on reads of stored objects). Returns the unknown field paths it pruned. Mutates `value`.
 */
export function defaultAndPrune(value: unknown, schema: StructuralSchema | undefined, path = "", isRoot = true): string[] {
  const pruned: string[] = [];
  walk(value, schema, path, isRoot, pruned);
  return pruned;
}

function walk(value: unknown, schema: StructuralSchema | undefined, path: string, root: boolean, pruned: string[]): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, schema.items, `${path}[${i}]`, false, pruned));
    return;
  }
  if (!isPlainObject(value)) return;
  const embedded = root || schema["x-kubernetes-embedded-resource"] === true;
  const open = schema["x-kubernetes-preserve-unknown-fields"] === true;
  for (const key of Object.keys(value)) {
    if (embedded && (key === "apiVersion" || key === "kind")) continue;
    if (embedded && key === "metadata") {
      walk(value[key], META_SCHEMA, `${path}.metadata`, false, pruned);
      continue;
    }
    const sub = propertySchema(schema, key);
    if (value[key] === null && sub !== undefined && sub.nullable !== true) {
      delete value[key]; // the server drops nulls where the schema does not allow them
      continue;
    }
    if (sub === undefined) {
      if (!open && schema.additionalProperties !== true) {
        delete value[key];
        pruned.push(`${path}.${key}`);
      }
      continue;
    }
    walk(value[key], sub, `${path}.${key}`, false, pruned);
  }
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (value[key] === undefined && sub.default !== undefined) {
      value[key] = structuredClone(sub.default);
      walk(value[key], sub, `${path}.${key}`, false, pruned);
    }
  }
}
