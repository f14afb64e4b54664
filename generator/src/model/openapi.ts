import { InputError } from "../errors.js";
import { isJsonObject, type JsonObject } from "../load/documents.js";
import type { OpenApiDocument } from "../load/openapi.js";
import type { ApiModel, BuiltinResourceModel, Docs, GroupModel, GroupVersionModel, KindModel, NamedSchema, ObjectSchema, Schema, ScaleModel, TypeModuleModel } from "./api.js";
import { compareVersions } from "./build.js";
import { FileNameRegistry, NameRegistry, kebabCase, kindTypeName, resourceAccessor, versionSuffix } from "./naming.js";
import { convertDefinition, refOf, type OpenApiSchemaContext } from "./openapi-schema.js";
import { resourcesOf, type PathResource } from "./openapi-paths.js";
import { builtinAccessorBase, fallbackModule } from "./openapi-modules.js";

export { builtinAccessorBase } from "./openapi-modules.js";

/** Options of the OpenAPI model. */
export interface OpenApiModelOptions {
  /** Which documents get clients (all when undefined); the others still give their types. */
  readonly selected?: ((group: string) => boolean) | undefined;
}

/**
 * Definitions that are the runtime's wire types: the generated code imports these instead of
 * declaring them, so built-in and CRD objects share ObjectMeta, Time, Quantity...
 */
export const RUNTIME_DEFINITIONS: ReadonlyMap<string, string> = new Map([
  ["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "ObjectMeta"],
  ["io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta", "ListMeta"],
  ["io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference", "OwnerReference"],
  ["io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry", "ManagedFieldsEntry"],
  ["io.k8s.apimachinery.pkg.apis.meta.v1.Condition", "Condition"],
  ["io.k8s.apimachinery.pkg.apis.meta.v1.Time", "Time"],
  ["io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime", "MicroTime"],
  ["io.k8s.apimachinery.pkg.apis.meta.v1.Status", "Status"],
  ["io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails", "StatusDetails"],
  ["io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause", "StatusCause"],
  ["io.k8s.apimachinery.pkg.util.intstr.IntOrString", "IntOrString"],
  ["io.k8s.apimachinery.pkg.api.resource.Quantity", "Quantity"],
]);

const KIND_KEYS: ReadonlySet<string> = new Set(["apiVersion", "kind", "metadata"]);

/** A module's names, with the runtime types its types.ts may import already taken (a `Condition` of its own becomes `Condition2`). */
function moduleRegistry(): NameRegistry {
  const registry = new NameRegistry();
  for (const name of [...RUNTIME_DEFINITIONS.values(), "Embedded"]) registry.claim(name);
  return registry;
}

interface Module {
  readonly folder: string;
  readonly alias: string;
  readonly registry: NameRegistry;
  readonly definitions: NamedSchema[];
  /** The served group version, when the module is one with clients. */
  gv?: { doc: OpenApiDocument; resources: PathResource[] };
  /** Names of the group version's client and informers interfaces. */
  clientNames?: { client: string; informers: string };
}

interface Target {
  readonly module: Module;
  name: string;
}

/**
 * Builds the {@link ApiModel} of built-in APIs from the server's OpenAPI v3 documents (one per
 * group version). Every definition is declared once, in the module of its Go package (the group
 * version whose resources live in that package, or a types-only module such as `meta/v1`), and
 * referred to from everywhere else; the runtime's wire types stand in for ObjectMeta and friends.
 * Group versions whose resources are not `io.k8s.*` definitions (custom resources, aggregated
 * APIs) are left to the CRD path, with a note.
 */
export function buildOpenApiModel(documents: readonly OpenApiDocument[], options: OpenApiModelOptions = {}): { model: ApiModel; notes: string[] } {
  const notes: string[] = [];
  // Group versions of custom resources (or aggregated APIs) bring neither clients nor types.
  const builtin = documents.filter((doc) => {
    const own = resourcesOf(doc).some((r) => Object.entries(doc.schemas).some(([name, raw]) => name.startsWith("io.k8s.") && isJsonObject(raw) && hasGvk(raw, doc.group, doc.version, r.kind)));
    if (!own) notes.push(`${doc.prefix}: no built-in (io.k8s.*) resources; custom resources are generated from their CRDs (--crds or --cluster)`);
    return own;
  });
  const schemas = new Map<string, { raw: JsonObject; source: string }>();
  for (const doc of builtin) {
    for (const [name, raw] of Object.entries(doc.schemas)) {
      if (!schemas.has(name) && isJsonObject(raw)) schemas.set(name, { raw, source: doc.source });
    }
  }
  const byGvk = new Map<string, string>();
  for (const [name, { raw }] of schemas) {
    const gvks = raw["x-kubernetes-group-version-kind"];
    if (Array.isArray(gvks) && gvks.length === 1 && isJsonObject(gvks[0])) byGvk.set(gvkKey(String(gvks[0]["group"] ?? ""), String(gvks[0]["version"] ?? ""), String(gvks[0]["kind"] ?? "")), name);
  }

  // Served group versions and the packages they own.
  const modules = new Map<string, Module>();
  const packageModule = new Map<string, Module>();
  const kindDefinitions = new Map<string, { module: Module; resource: PathResource; definition: string }>();
  const groupOfPackageBase = new Map<string, string>();
  for (const doc of builtin) {
    const resources = resourcesOf(doc).filter((r) => byGvk.get(gvkKey(doc.group, doc.version, r.kind))?.startsWith("io.k8s.") === true);
    const folder = `${doc.group === "" ? "core" : doc.group}/${doc.version}`;
    const module: Module = { folder, alias: `${builtinAccessorBase(doc.group)}${versionSuffix(doc.version)}`, registry: moduleRegistry(), definitions: [] };
    if (options.selected === undefined || options.selected(doc.group)) module.gv = { doc, resources };
    modules.set(folder, module);
    for (const r of resources) {
      const def = byGvk.get(gvkKey(doc.group, doc.version, r.kind)) ?? "";
      const pkg = packageOf(def);
      if (!packageModule.has(pkg)) packageModule.set(pkg, module);
      groupOfPackageBase.set(pkg.replace(/\.[^.]+$/, ""), doc.group);
      if (!kindDefinitions.has(def)) kindDefinitions.set(def, { module, resource: r, definition: def });
    }
  }

  // Every other definition goes to the module of its package (made on first use).
  const moduleOfPackage = (pkg: string): Module => {
    const known = packageModule.get(pkg);
    if (known !== undefined) return known;
    const { folder, alias } = fallbackModule(pkg, groupOfPackageBase);
    const module = modules.get(folder) ?? { folder, alias, registry: moduleRegistry(), definitions: [] };
    modules.set(folder, module);
    packageModule.set(pkg, module);
    return module;
  };

  // Names: kinds and their companions first (as for CRDs), then the other definitions by name.
  const targets = new Map<string, Target>();
  const kindNames = new Map<string, KindNames>();
  for (const module of [...modules.values()].sort(byFolder)) {
    if (module.gv === undefined) continue;
    const { doc } = module.gv;
    const owned = module.gv.resources
      .map((r) => ({ r, def: byGvk.get(gvkKey(doc.group, doc.version, r.kind)) ?? "" }))
      .filter(({ def }) => kindDefinitions.get(def)?.module === module);
    const seen = new Set<string>();
    for (const { r, def } of owned) {
      if (seen.has(def)) {
        notes.push(`${module.gv.doc.prefix}: ${r.plural} serves kind ${r.kind} like another resource; no client for it`);
        continue;
      }
      seen.add(def);
      const names = claimKindNames(module.registry, r.kind);
      kindNames.set(def, names);
      targets.set(def, { module, name: names.typeName });
      targets.set(`${def}List`, { module, name: names.listTypeName });
    }
    const gvName = `${module.alias.charAt(0).toUpperCase()}${module.alias.slice(1)}`;
    module.clientNames = { client: module.registry.claim(`${gvName}Client`), informers: module.registry.claim(`${gvName}Informers`) };
  }
  const rest = [...schemas.keys()].filter((n) => !targets.has(n) && !RUNTIME_DEFINITIONS.has(n)).sort();
  for (const name of rest) {
    const module = moduleOfPackage(packageOf(name));
    targets.set(name, { module, name: module.registry.claim(shortName(name)) });
  }

  // Convert.
  const converted = new Map<string, ObjectSchema>();
  for (const name of [...schemas.keys()].sort()) {
    const target = targets.get(name);
    const entry = schemas.get(name);
    if (target === undefined || entry === undefined) continue;
    if (name.endsWith("List") && kindNames.has(name.slice(0, -4)) && !kindNames.has(name)) continue; // emitted as the kind's list
    const ctx: OpenApiSchemaContext = {
      registry: target.module.registry,
      declarations: target.module.definitions,
      source: entry.source,
      definition: name,
      ref: (def, docs, nullable) => refTo(def, docs, nullable, target.module, targets, entry.source, name, kindNames.has(def)),
    };
    const isKind = kindNames.has(name);
    const slot = target.module.definitions.length;
    if (!isKind) target.module.definitions.push(undefined as unknown as NamedSchema);
    const schema = convertDefinition(entry.raw, target.name, ctx, isKind ? KIND_KEYS : undefined);
    if (isKind) {
      if (schema.kind !== "object") throw new InputError(`${name}: a kind's schema must be an object with properties`, { file: entry.source });
      converted.set(name, schema);
    } else {
      target.module.definitions[slot] = asDeclaration(schema, target.name);
    }
  }

  // Assemble group versions.
  const byGroup = new Map<string, GroupVersionModel[]>();
  const typeModules: TypeModuleModel[] = [];
  for (const module of [...modules.values()].sort(byFolder)) {
    const definitions = module.definitions.filter((d) => d !== undefined);
    if (module.gv === undefined) {
      if (definitions.length > 0) typeModules.push({ folder: module.folder, accessor: module.alias, definitions });
      continue;
    }
    const { doc, resources } = module.gv;
    const files = new FileNameRegistry();
    const accessors = new Set<string>();
    const kinds: KindModel[] = [];
    for (const r of [...resources].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.plural < b.plural ? -1 : 1))) {
      const def = byGvk.get(gvkKey(doc.group, doc.version, r.kind)) ?? "";
      const names = kindNames.get(def);
      const root = converted.get(def);
      if (names === undefined || root === undefined || kindDefinitions.get(def)?.resource !== r) continue;
      let accessor = resourceAccessor(r.kind, r.plural);
      while (accessors.has(accessor)) accessor = `${accessor}_`;
      accessors.add(accessor);
      const scalable = hasPath(schemas, def, ["spec", "replicas"]) && hasPath(schemas, def, ["status", "replicas"]);
      kinds.push(kindModel(doc, r, names, root, accessor, files.claim(kebabCase(r.kind)), scalable));
    }
    const gv: GroupVersionModel = {
      group: doc.group,
      version: doc.version,
      apiVersion: doc.group === "" ? doc.version : `${doc.group}/${doc.version}`,
      accessor: module.alias,
      clientTypeName: module.clientNames?.client ?? "Client",
      informersTypeName: module.clientNames?.informers ?? "Informers",
      folder: module.folder,
      kinds,
      definitions,
    };
    byGroup.set(doc.group, [...(byGroup.get(doc.group) ?? []), gv]);
  }
  const groups: GroupModel[] = [...byGroup.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([name, versions]) => ({ name, versions: versions.sort((a, b) => compareVersions(a.version, b.version)) }));
  return { model: { groups, typeModules }, notes };
}

interface KindNames {
  readonly typeName: string;
  readonly listTypeName: string;
  readonly kindTypes: string;
  readonly client: string;
  readonly informer: string;
  readonly lister: string;
}

function claimKindNames(registry: NameRegistry, kind: string): KindNames {
  const typeName = registry.claim(kindTypeName(kind));
  return {
    typeName,
    listTypeName: registry.claim(`${typeName}List`),
    kindTypes: registry.claim(`${typeName}Kind`),
    client: registry.claim(`${typeName}Client`),
    informer: registry.claim(`${typeName}Informer`),
    lister: registry.claim(`${typeName}Lister`),
  };
}

function kindModel(doc: OpenApiDocument, r: PathResource, names: KindNames, root: ObjectSchema, accessor: string, fileName: string, scalable: boolean): KindModel {
  const scaleGvk = r.subresources.get("scale");
  let scale: ScaleModel | undefined;
  // The scale subresource maps the kind's own spec.replicas and status.replicas (the Go registry
  // code of deployments, replicasets, statefulsets and replicationcontrollers does exactly that).
  if (scaleGvk !== undefined && scaleGvk.kind === "Scale" && scalable) {
    scale = { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: undefined };
  }
  const extra = (["log", "eviction", "token"] as const).filter((s) => r.subresources.has(s));
  const builtin: BuiltinResourceModel = { verbs: r.verbs, strategicMergePatch: r.strategicMergePatch, extraSubresources: extra };
  return {
    crdName: `${r.plural}${doc.group === "" ? "" : `.${doc.group}`}`,
    origin: { file: doc.source },
    kind: r.kind,
    listKind: `${r.kind}List`,
    plural: r.plural,
    singular: r.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    scope: r.namespaced ? "Namespaced" : "Cluster",
    storage: true,
    deprecated: false,
    deprecationWarning: undefined,
    subresources: { status: r.subresources.has("status"), scale },
    typeName: names.typeName,
    listTypeName: names.listTypeName,
    companionNames: { kindTypes: names.kindTypes, client: names.client, informer: names.informer, lister: names.lister },
    resourceAccessor: accessor,
    fileName,
    root,
    declarations: [],
    validationSchemaJson: "",
    uncheckedPatterns: [],
    fakeSchemaJson: "",
    selectableFields: [],
    validatorName: `validate${names.typeName}`,
    builtin,
  };
}

/** Whether the definition has the property path, following references to other definitions. */
function hasPath(schemas: ReadonlyMap<string, { raw: JsonObject }>, def: string, path: readonly string[]): boolean {
  let node: JsonObject | undefined = schemas.get(def)?.raw;
  for (const key of path) {
    const props = node?.["properties"];
    const child = isJsonObject(props) ? props[key] : undefined;
    if (!isJsonObject(child)) return false;
    const ref = refOf(child);
    node = ref === undefined ? child : schemas.get(ref)?.raw;
  }
  return node !== undefined;
}

function refTo(def: string, docs: Docs, nullable: boolean, from: Module, targets: ReadonlyMap<string, Target>, source: string, at: string, kind: boolean): Schema {
  const runtime = RUNTIME_DEFINITIONS.get(def);
  if (runtime !== undefined) return { kind: "ref", folder: undefined, alias: "", name: runtime, nullable, docs };
  const target = targets.get(def);
  if (target === undefined) throw new InputError(`${at}: $ref to ${def}, which the document does not define`, { file: source });
  const ref = { kind: "ref", folder: target.module.folder, alias: target.module === from ? "" : target.module.alias, name: target.name, nullable, docs } as const;
  // A kind inside another object (volumeClaimTemplates) need not carry apiVersion, kind and metadata.
  return kind ? { ...ref, embedded: true } : ref;
}

function asDeclaration(schema: Schema, name: string): NamedSchema {
  if (schema.kind === "object" || schema.kind === "enum") return schema;
  // A definition that is not an object with properties (a string alias, a free-form object): an
  // interface cannot express it, so it becomes an object type with what it holds documented.
  return { kind: "object", name, path: "", properties: [], openEnded: true, embedded: false, nullable: schema.nullable, docs: schema.docs };
}

function hasGvk(raw: JsonObject, group: string, version: string, kind: string): boolean {
  const gvks = raw["x-kubernetes-group-version-kind"];
  return Array.isArray(gvks) && gvks.some((g) => isJsonObject(g) && (g["group"] ?? "") === group && g["version"] === version && g["kind"] === kind);
}

function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

function packageOf(definition: string): string {
  return definition.replace(/\.[^.]+$/, "");
}

function shortName(definition: string): string {
  return definition.slice(definition.lastIndexOf(".") + 1);
}

function byFolder(a: Module, b: Module): number {
  return a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0;
}
