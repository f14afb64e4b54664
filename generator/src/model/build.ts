import { InputError } from "../errors.js";
import { errorAt, isJsonObject, type JsonObject, type JsonValue } from "../load/documents.js";
import type { LoadedCrd } from "../load/crds.js";
import { formatPath, type DocPath } from "../load/locate.js";
import type { ApiModel, GroupModel, GroupVersionModel, KindModel, NamedSchema, ScaleModel } from "./api.js";
import {
  FileNameRegistry,
  NameRegistry,
  groupAccessorBases,
  kebabCase,
  kindTypeName,
  resourceAccessor,
  versionSuffix,
} from "./naming.js";
import { convertRootSchema } from "./schema.js";
import { validationSchema } from "./validation.js";
import { fakeSchema, selectableFields } from "./fake-schema.js";

/** Options of the model stage. */
export interface ModelOptions {
  /** Prepare each kind's validator schema, for `validate.ts` (default false). */
  readonly validators?: boolean | undefined;
  /** Clientset accessor base per group, overriding the derived one: `{ "monitoring.coreos.com": "prometheus" }`. */
  readonly groupAliases?: Readonly<Record<string, string>>;
  /** Accessors already taken (by the built-in package the output composes with): accessor → what owns it. */
  readonly reservedAccessors?: ReadonlyMap<string, string> | undefined;
}

/** What the model stage tells the user besides the model. */
export interface ModelResult {
  readonly model: ApiModel;
  readonly notes: readonly string[];
}

interface PendingKind {
  readonly crd: LoadedCrd;
  readonly group: string;
  readonly version: string;
  readonly versionIndex: number;
  readonly names: Names;
  readonly scope: "Namespaced" | "Cluster";
  readonly versionObject: JsonObject;
}

interface Names {
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
}

/**
 * Builds the {@link ApiModel} from loaded CRDs: every served version of every kind. A pure
 * function: the result depends on the CRDs' content only, not on the order they came in.
 */
export function buildModel(crds: readonly LoadedCrd[], options: ModelOptions = {}): ModelResult {
  return buildModelTaking([...crds], options);
}

/**
 * {@link buildModel} that takes the CRDs out of `crds` (the array is left empty) and lets each
 * group's CRDs go once the group is modelled: when nothing else holds them, a large input's
 * documents are freed as the model grows instead of both being held whole at the end.
 */
export function buildModelTaking(crds: LoadedCrd[], options: ModelOptions = {}): ModelResult {
  const notes: string[] = [];
  const sorted = crds.splice(0).sort((a, b) => cmp(a.name, b.name));
  const byGroupVersion = new Map<string, Map<string, PendingKind[]>>();
  for (const crd of sorted) {
    for (const pending of readCrd(crd, notes)) {
      const versions = byGroupVersion.get(pending.group) ?? new Map<string, PendingKind[]>();
      byGroupVersion.set(pending.group, versions);
      versions.set(pending.version, [...(versions.get(pending.version) ?? []), pending]);
    }
  }
  sorted.length = 0;
  const groupNames = [...byGroupVersion.keys()].sort(cmp);
  const aliases = new Map(Object.entries(options.groupAliases ?? {}));
  for (const [group, alias] of aliases) {
    if (!/^[a-z][A-Za-z0-9]*$/.test(alias)) {
      throw new InputError(`group alias ${JSON.stringify(alias)} for ${group} must be a camelCase identifier starting with a lowercase letter`);
    }
  }
  const bases = groupAccessorBases(groupNames, aliases);
  const seenAccessors = new Map<string, string>(options.reservedAccessors ?? []);
  const groups: GroupModel[] = groupNames.map((group) => {
    const versions = byGroupVersion.get(group) ?? new Map<string, PendingKind[]>();
    const gvs = [...versions.keys()].sort(compareVersions).map((version): GroupVersionModel => {
      const accessor = `${bases.get(group) ?? group}${versionSuffix(version)}`;
      const clash = seenAccessors.get(accessor);
      if (clash !== undefined) {
        throw new InputError(`groups ${clash} and ${group} both get the clientset accessor ${accessor}; set groupAliases in the config to tell them apart`);
      }
      seenAccessors.set(accessor, group);
      const gv = buildGroupVersion(group, version, accessor, versions.get(version) ?? [], options);
      versions.delete(version);
      return gv;
    });
    return { name: group, versions: gvs };
  });
  for (const g of groups) {
    for (const gv of g.versions) {
      for (const k of gv.kinds) {
        if (k.uncheckedPatterns.length > 0) notes.push(`${k.crdName} ${gv.version}: the validator does not check ${k.uncheckedPatterns.length === 1 ? "a pattern that is not an RE2 regular expression" : "patterns that are not RE2 regular expressions"} (the server still does): ${k.uncheckedPatterns.join(", ")}`);
      }
    }
  }
  return { model: { groups }, notes };
}

function buildGroupVersion(group: string, version: string, accessor: string, pending: readonly PendingKind[], options: ModelOptions): GroupVersionModel {
  const kinds = [...pending].sort((a, b) => cmp(a.names.kind, b.names.kind) || cmp(a.crd.name, b.crd.name));
  for (let i = 1; i < kinds.length; i++) {
    const [a, b] = [kinds[i - 1], kinds[i]];
    if (a !== undefined && b !== undefined && a.names.kind === b.names.kind) {
      throw new InputError(`kind ${a.names.kind} of ${group}/${version} is defined by two CRDs: ${a.crd.name} (${a.crd.document.source.name}) and ${b.crd.name} (${b.crd.document.source.name})`);
    }
  }
  const registry = new NameRegistry();
  const files = new FileNameRegistry();
  const typeNames = kinds.map((k) => registry.claim(kindTypeName(k.names.kind)));
  const listNames = kinds.map((_k, i) => registry.claim(`${typeNames[i] ?? ""}List`));
  const gvName = `${accessor.charAt(0).toUpperCase()}${accessor.slice(1)}`;
  const clientTypeName = registry.claim(`${gvName}Client`);
  const informersTypeName = registry.claim(`${gvName}Informers`);
  const companions = kinds.map((_k, i) => {
    const t = typeNames[i] ?? "";
    return {
      kindTypes: registry.claim(`${t}Kind`),
      client: registry.claim(`${t}Client`),
      informer: registry.claim(`${t}Informer`),
      lister: registry.claim(`${t}Lister`),
    };
  });
  const accessors = new Set<string>();
  const models = kinds.map((k, i): KindModel => {
    const typeName = typeNames[i] ?? k.names.kind;
    const at: DocPath = [...k.crd.pathInDocument, "spec", "versions", k.versionIndex];
    const fail = (path: DocPath, message: string): never => {
      const full = [...at, ...path];
      throw errorAt(k.crd.document, full, `CustomResourceDefinition ${k.crd.name}: ${message}`, formatPath(full.slice(k.crd.pathInDocument.length)));
    };
    const declarations: NamedSchema[] = [];
    const schemaRoot = (k.versionObject["schema"] as JsonObject)["openAPIV3Schema"] as JsonObject;
    const root = convertRootSchema(schemaRoot, typeName, ["schema", "openAPIV3Schema"], { registry, declarations, fail });
    const validation = options.validators === true ? validationSchema(schemaRoot, { apiVersion: `${group}/${version}`, kind: k.names.kind }) : undefined;
    let accessor = resourceAccessor(k.names.kind, k.names.plural);
    while (accessors.has(accessor)) accessor = `${accessor}_`;
    accessors.add(accessor);
    const deprecated = k.versionObject["deprecated"] === true;
    const warning = k.versionObject["deprecationWarning"];
    return {
      crdName: k.crd.name,
      origin: { file: k.crd.document.source.name, document: k.crd.document.index },
      kind: k.names.kind,
      listKind: k.names.listKind,
      plural: k.names.plural,
      singular: k.names.singular,
      shortNames: k.names.shortNames,
      categories: k.names.categories,
      scope: k.scope,
      storage: k.versionObject["storage"] === true,
      deprecated,
      deprecationWarning: deprecated && typeof warning === "string" ? warning : undefined,
      subresources: readSubresources(k.versionObject, fail),
      typeName,
      listTypeName: listNames[i] ?? `${typeName}List`,
      companionNames: companions[i] ?? { kindTypes: `${typeName}Kind`, client: `${typeName}Client`, informer: `${typeName}Informer`, lister: `${typeName}Lister` },
      resourceAccessor: accessor,
      fileName: files.claim(kebabCase(k.names.kind)),
      root,
      declarations,
      validationSchemaJson: validation === undefined ? "" : JSON.stringify(validation.schema),
      uncheckedPatterns: validation?.unchecked ?? [],
      validatorName: `validate${typeName}`,
      fakeSchemaJson: JSON.stringify(fakeSchema(schemaRoot)),
      selectableFields: selectableFields(k.versionObject),
    };
  });
  return { group, version, apiVersion: `${group}/${version}`, accessor, clientTypeName, informersTypeName, folder: `${group}/${version}`, kinds: models };
}

function readCrd(crd: LoadedCrd, notes: string[]): PendingKind[] {
  const fail = (path: DocPath, message: string): never => {
    const full = [...crd.pathInDocument, ...path];
    throw errorAt(crd.document, full, `CustomResourceDefinition ${crd.name}: ${message}`, formatPath(path));
  };
  const spec = crd.object["spec"];
  if (!isJsonObject(spec)) return fail(["spec"], "spec is missing or not a mapping");
  const group = requireString(spec, "group", ["spec"], fail);
  const namesRaw = spec["names"];
  if (!isJsonObject(namesRaw)) return fail(["spec", "names"], "spec.names is missing");
  const kind = requireString(namesRaw, "kind", ["spec", "names"], fail);
  const plural = requireString(namesRaw, "plural", ["spec", "names"], fail);
  const names: Names = {
    kind,
    plural,
    listKind: optionalString(namesRaw["listKind"]) ?? `${kind}List`,
    singular: optionalString(namesRaw["singular"]) ?? kind.toLowerCase(),
    shortNames: stringList(namesRaw["shortNames"]),
    categories: stringList(namesRaw["categories"]),
  };
  const scope = spec["scope"];
  if (scope !== "Namespaced" && scope !== "Cluster") return fail(["spec", "scope"], `spec.scope must be Namespaced or Cluster, got ${JSON.stringify(scope)}`);
  const versions = spec["versions"];
  if (!Array.isArray(versions) || versions.length === 0) return fail(["spec", "versions"], "spec.versions must list at least one version");
  const out: PendingKind[] = [];
  versions.forEach((v: JsonValue, i) => {
    if (!isJsonObject(v)) fail(["spec", "versions", i], "a version must be a mapping");
    const version = v as JsonObject;
    const name = requireString(version, "name", ["spec", "versions", i], fail);
    const schema = version["schema"];
    if (!isJsonObject(schema) || !isJsonObject(schema["openAPIV3Schema"])) {
      fail(["spec", "versions", i, "schema"], `version ${name} has no schema.openAPIV3Schema (apiextensions.k8s.io/v1 requires a structural schema per version)`);
    }
    const root = (schema as JsonObject)["openAPIV3Schema"] as JsonObject;
    if (root["type"] !== undefined && root["type"] !== "object") {
      fail(["spec", "versions", i, "schema", "openAPIV3Schema", "type"], `the root schema of version ${name} must be of type object`);
    }
    if (version["served"] !== true) {
      notes.push(`${crd.name}: version ${name} is not served; no types generated for it`);
      return;
    }
    out.push({ crd, group, version: name, versionIndex: i, names, scope, versionObject: version });
  });
  return out;
}

function readSubresources(version: JsonObject, fail: (path: DocPath, message: string) => never): { status: boolean; scale: ScaleModel | undefined } {
  const sub = version["subresources"];
  if (sub === undefined) return { status: false, scale: undefined };
  if (!isJsonObject(sub)) return fail(["subresources"], "subresources must be a mapping");
  const scaleRaw = sub["scale"];
  let scale: ScaleModel | undefined;
  if (scaleRaw !== undefined) {
    if (!isJsonObject(scaleRaw)) return fail(["subresources", "scale"], "subresources.scale must be a mapping");
    scale = {
      specReplicasPath: requireString(scaleRaw, "specReplicasPath", ["subresources", "scale"], fail),
      statusReplicasPath: requireString(scaleRaw, "statusReplicasPath", ["subresources", "scale"], fail),
      labelSelectorPath: optionalString(scaleRaw["labelSelectorPath"]),
    };
  }
  return { status: sub["status"] !== undefined && sub["status"] !== null, scale };
}

function requireString(obj: JsonObject, key: string, at: DocPath, fail: (path: DocPath, message: string) => never): string {
  const v = obj[key];
  if (typeof v !== "string" || v === "") return fail([...at, key], `${formatPath([...at, key])} must be a non-empty string`);
  return v;
}

function optionalString(v: JsonValue | undefined): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function stringList(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first; others alphabetically after. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (m === null) return undefined;
    const level = m[2] === undefined ? 3 : m[2] === "beta" ? 2 : 1;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa !== undefined && pb !== undefined) {
    return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2];
  }
  if (pa !== undefined) return -1;
  if (pb !== undefined) return 1;
  return cmp(a, b);
}
