import type { Origin } from "../errors.js";

/** The generator's view of a set of CRDs: groups → versions → kinds. Pure data, sorted by name. */
export interface ApiModel {
  readonly groups: readonly GroupModel[];
  /**
   * Modules of shared types that no served group version owns (OpenAPI input: `meta/v1`'s
   * LabelSelector, a package referenced by a served one), sorted by folder; each is a types.ts.
   */
  readonly typeModules?: readonly TypeModuleModel[];
}

/** The kinds of a model, over every group version. */
export function kindCount(model: ApiModel): number {
  return model.groups.reduce((n, g) => n + g.versions.reduce((m, v) => m + v.kinds.length, 0), 0);
}

/** A folder with only a types.ts: definitions other modules import (OpenAPI input). */
export interface TypeModuleModel {
  /** Output folder: `meta/v1`. */
  readonly folder: string;
  /** The namespace it is exported as from the root index: `metaV1`. */
  readonly accessor: string;
  readonly definitions: readonly NamedSchema[];
}

/** One API group, such as `cert-manager.io`. */
export interface GroupModel {
  readonly name: string;
  readonly versions: readonly GroupVersionModel[];
}

/** One group version: the unit of output (a folder with types.ts, one file per kind, index.ts). */
export interface GroupVersionModel {
  readonly group: string;
  readonly version: string;
  /** `cert-manager.io/v1`. */
  readonly apiVersion: string;
  /** Clientset accessor, client-gen style: `certmanagerV1`. */
  readonly accessor: string;
  /** TypeScript name of the group version's client interface: `CertmanagerV1Client`. */
  readonly clientTypeName: string;
  /** TypeScript name of the group version's informers interface: `CertmanagerV1Informers`. */
  readonly informersTypeName: string;
  /** Output folder relative to the output root, `/`-separated: `cert-manager.io/v1`. */
  readonly folder: string;
  readonly kinds: readonly KindModel[];
  /** Named types of the group version besides its kinds (OpenAPI input: shared definitions such as PodSpec). */
  readonly definitions?: readonly NamedSchema[];
}

/** One kind served in one group version. */
export interface KindModel {
  /** The CRD's `metadata.name`. */
  readonly crdName: string;
  readonly origin: Origin;
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly scope: "Namespaced" | "Cluster";
  readonly storage: boolean;
  readonly deprecated: boolean;
  readonly deprecationWarning: string | undefined;
  readonly subresources: SubresourcesModel;
  /** TypeScript name of the kind's interface (the kind, unless it would shadow a global). */
  readonly typeName: string;
  /** TypeScript name of the list interface. */
  readonly listTypeName: string;
  /** TypeScript names of the kind's generated companions: `CertificateKind`, `CertificateClient`, ... */
  readonly companionNames: CompanionNames;
  /** Accessor of the resource in its group version: `certificates`, `clusterIssuers`. */
  readonly resourceAccessor: string;
  /** Base name of the kind's file, without extension: `cluster-issuer`. */
  readonly fileName: string;
  /** The root of the schema: properties other than apiVersion, kind and metadata. */
  readonly root: ObjectSchema;
  /** Every named type of this kind's schema (interfaces and enum aliases), parents first. */
  readonly declarations: readonly NamedSchema[];
  /**
   * The schema as the runtime's validator reads it (see `model/validation.ts`), as JSON text: a
   * string holds far less memory than the objects until the output is written.
   */
  readonly validationSchemaJson: string;
  /** Schema paths whose pattern the validator cannot check (not an RE2 regular expression). */
  readonly uncheckedPatterns: readonly string[];
  /** Name of the kind's validator constant: `validateCertificate`. */
  readonly validatorName: string;
  /** What the fake API server reads of the schema (see `model/fake-schema.ts`), as JSON text. */
  readonly fakeSchemaJson: string;
  /** The version's `selectableFields` (JSON paths such as `.spec.color`). */
  readonly selectableFields: readonly string[];
  /** What the OpenAPI paths say of a built-in resource; absent for CRDs (all verbs, no strategic merge patch). */
  readonly builtin?: BuiltinResourceModel;
}

/** A built-in resource's verbs and extras, read from the server's OpenAPI paths. */
export interface BuiltinResourceModel {
  /** The Kubernetes verbs served, in a fixed order: get, list, watch, create, update, patch, delete, deletecollection. */
  readonly verbs: readonly string[];
  /** The patch operation accepts `application/strategic-merge-patch+json`. */
  readonly strategicMergePatch: boolean;
  /** Subresources the typed client exposes besides status and scale: `log`, `eviction`, `token`. */
  readonly extraSubresources: readonly ("log" | "eviction" | "token")[];
}

/** Names of the types generated beside a kind's own (they share the group version's namespace). */
export interface CompanionNames {
  /** The kind's types and descriptor bundled for the runtime's generics. */
  readonly kindTypes: string;
  readonly client: string;
  readonly informer: string;
  readonly lister: string;
}

/** The status and scale subresources as a CRD version declares them. */
export interface SubresourcesModel {
  readonly status: boolean;
  readonly scale: ScaleModel | undefined;
}

/** The scale subresource's paths. */
export interface ScaleModel {
  readonly specReplicasPath: string;
  readonly statusReplicasPath: string;
  readonly labelSelectorPath: string | undefined;
}

/** Documentation gathered from a schema node, rendered into JSDoc by the emitter. */
export interface Docs {
  readonly description: string | undefined;
  /** `[tag, text]` pairs in a fixed order: default, format, bounds, pattern, rules, ... */
  readonly tags: readonly (readonly [string, string])[];
}

interface SchemaBase {
  readonly nullable: boolean;
  readonly docs: Docs;
}

/** An object with known properties: an exported interface. */
export interface ObjectSchema extends SchemaBase {
  readonly kind: "object";
  /** The interface's TypeScript name. */
  readonly name: string;
  /** Schema path for messages: `.spec.keystores.jks`. */
  readonly path: string;
  readonly properties: readonly PropertyModel[];
  /** Whether unknown fields are kept (`x-kubernetes-preserve-unknown-fields`): an index signature. */
  readonly openEnded: boolean;
  /** `x-kubernetes-embedded-resource`: carries apiVersion, kind and metadata. */
  readonly embedded: boolean;
}

/** A map (`additionalProperties`): `{ [key: string]: V }`. */
export interface MapSchema extends SchemaBase {
  readonly kind: "map";
  readonly values: Schema;
}

/** An array with its item schema. */
export interface ArraySchema extends SchemaBase {
  readonly kind: "array";
  readonly items: Schema;
}

/** An enum: an exported type alias of literals. */
export interface EnumSchema extends SchemaBase {
  readonly kind: "enum";
  readonly name: string;
  readonly values: readonly (string | number | boolean)[];
}

/** string, number (integer and number) or boolean. */
export interface PrimitiveSchema extends SchemaBase {
  readonly kind: "primitive";
  readonly primitive: "string" | "number" | "boolean";
}

/** `x-kubernetes-int-or-string`. */
export interface IntOrStringSchema extends SchemaBase {
  readonly kind: "int-or-string";
}

/** Anything (`x-kubernetes-preserve-unknown-fields` without a type, or no type at all). */
export interface UnknownSchema extends SchemaBase {
  readonly kind: "unknown";
}

/** No value at all: the values of a closed object without properties (everything is pruned). */
export interface NeverSchema extends SchemaBase {
  readonly kind: "never";
}

/**
 * A type declared under a name elsewhere (OpenAPI `$ref`): in the module at `folder` (the same
 * module or another group version's), or, when `folder` is undefined, a wire type of the runtime
 * (ObjectMeta, Time, Quantity, ...).
 */
export interface RefSchema extends SchemaBase {
  readonly kind: "ref";
  readonly folder: string | undefined;
  /** The namespace the module is imported as (`coreV1`); empty for a type of the module itself. */
  readonly alias: string;
  readonly name: string;
  /** A kind's object inside another object: apiVersion, kind and metadata are optional (the runtime's `Embedded`). */
  readonly embedded?: boolean;
}

/** A schema node, as the emitter sees it. */
export type Schema =
  | RefSchema
  | ObjectSchema
  | MapSchema
  | ArraySchema
  | EnumSchema
  | PrimitiveSchema
  | IntOrStringSchema
  | UnknownSchema
  | NeverSchema;

/** A schema node that is declared under a name of its own. */
export type NamedSchema = ObjectSchema | EnumSchema;

/** One property of an object. */
export interface PropertyModel {
  /** The key as it appears in JSON. */
  readonly key: string;
  readonly optional: boolean;
  readonly schema: Schema;
}
