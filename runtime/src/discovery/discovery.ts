import { KubeError } from "../errors.js";
import type { ResourceDescriptor, Subresources, Verb } from "../resource.js";
import type { RestClient } from "../rest/transport.js";

/** One group version as the server serves it, its resources in the server's order. */
export interface DiscoveredGroupVersion {
  readonly group: string;
  readonly version: string;
  /** Whether it is the group's preferred version (the first the server lists). */
  readonly preferred: boolean;
  readonly resources: readonly ResourceDescriptor[];
}

/** Options of {@link discover}. */
export interface DiscoverOptions {
  readonly signal?: AbortSignal | undefined;
  /**
   * Ask for aggregated discovery (`/api` and `/apis` as `apidiscovery.k8s.io/v2`, two requests in
   * all; default true). Servers before 1.26, or with it off, answer the legacy documents instead,
   * and then every group version's resource list is fetched (false forces that path).
   */
  readonly aggregated?: boolean | undefined;
}

/** A kind or resource that discovery does not know: names what was asked for and what there is. */
export class DiscoveryError extends KubeError {
  override name = "DiscoveryError";
}

/** The Accept header of aggregated discovery, with the legacy documents as the fallback. */
export const AGGREGATED_DISCOVERY_ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

const VERBS: ReadonlySet<string> = new Set(["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]);
const TYPED_SUBRESOURCES = new Set(["status", "log", "eviction", "token"]);

/**
 * What the server serves, from discovery: client-go's discovery client and RESTMapper in one. A
 * snapshot: call {@link discover} again to see CRDs installed later.
 */
export class Discovery {
  readonly groupVersions: readonly DiscoveredGroupVersion[];

  constructor(groupVersions: readonly DiscoveredGroupVersion[]) {
    this.groupVersions = groupVersions;
  }

  /**
   * The descriptor of a kind (`Deployment`), plural (`deployments`), singular or short name
   * (`deploy`) in `apiVersion` (`apps/v1`, `v1`), or in a group's preferred version when
   * `apiVersion` is a group alone (`apps`). Throws a {@link DiscoveryError} naming what is missing.
   */
  descriptorFor(apiVersion: string, kindOrResource: string): ResourceDescriptor {
    const gv = this.#groupVersion(apiVersion);
    const lower = kindOrResource.toLowerCase();
    const found =
      gv.resources.find((r) => r.kind === kindOrResource) ??
      gv.resources.find((r) => r.plural === lower || r.singular === lower) ??
      gv.resources.find((r) => r.shortNames.includes(lower)) ??
      gv.resources.find((r) => r.kind.toLowerCase() === lower);
    if (found !== undefined) return found;
    const apiv = gv.group === "" ? gv.version : `${gv.group}/${gv.version}`;
    throw new DiscoveryError(`no kind or resource ${JSON.stringify(kindOrResource)} in ${apiv}; it serves: ${gv.resources.map((r) => r.kind).join(", ") || "(nothing)"}`);
  }

  #groupVersion(apiVersion: string): DiscoveredGroupVersion {
    const slash = apiVersion.indexOf("/");
    const [group, version] = slash < 0 ? (/^v\d/.test(apiVersion) ? ["", apiVersion] : [apiVersion, undefined]) : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
    const inGroup = this.groupVersions.filter((g) => g.group === group);
    const gv = version === undefined ? inGroup.find((g) => g.preferred) : inGroup.find((g) => g.version === version);
    if (gv !== undefined) return gv;
    if (inGroup.length > 0) throw new DiscoveryError(`the server serves ${group === "" ? "the core group" : `group ${group}`} in ${inGroup.map((g) => g.version).join(", ")}, not ${JSON.stringify(version)}`);
    const groups = [...new Set(this.groupVersions.map((g) => g.group || "core"))];
    throw new DiscoveryError(`no group version ${JSON.stringify(apiVersion)} on the server; its groups: ${groups.join(", ")}`);
  }
}

/** Reads the server's discovery documents (aggregated, with the legacy fallback). */
export async function discover(rest: RestClient, options: DiscoverOptions = {}): Promise<Discovery> {
  const aggregated = options.aggregated ?? true;
  const accept = aggregated ? AGGREGATED_DISCOVERY_ACCEPT : "application/json";
  const get = <T>(path: string, acceptHeader = accept): Promise<T> => rest.request<T>({ verb: "get", method: "GET", path, accept: acceptHeader, signal: options.signal });
  const [core, groups] = await Promise.all([get<Document>("/api"), get<Document>("/apis")]);
  const out: DiscoveredGroupVersion[] = [];
  for (const doc of [core, groups]) {
    if (doc.kind === "APIGroupDiscoveryList") out.push(...fromAggregated(doc as AggregatedList));
    else out.push(...(await fromLegacy(doc as LegacyDocument, (p) => get<LegacyResourceList>(p, "application/json"))));
  }
  return new Discovery(out);
}

/** One-shot {@link Discovery.descriptorFor}: discovers, then looks up (discover once for many lookups). */
export async function descriptorFor(rest: RestClient, apiVersion: string, kindOrResource: string, options: DiscoverOptions = {}): Promise<ResourceDescriptor> {
  return (await discover(rest, options)).descriptorFor(apiVersion, kindOrResource);
}

interface Document {
  kind?: string;
}

interface AggregatedList {
  items?: {
    metadata?: { name?: string };
    versions?: {
      version: string;
      resources?: {
        resource: string;
        responseKind?: { kind?: string };
        scope?: "Namespaced" | "Cluster";
        singularResource?: string;
        verbs?: string[];
        shortNames?: string[];
        categories?: string[];
        subresources?: { subresource: string }[];
      }[];
    }[];
  }[];
}

function fromAggregated(list: AggregatedList): DiscoveredGroupVersion[] {
  const out: DiscoveredGroupVersion[] = [];
  for (const group of list.items ?? []) {
    const name = group.metadata?.name ?? "";
    (group.versions ?? []).forEach((v, i) => {
      const resources = (v.resources ?? []).map((r) =>
        descriptor(name, v.version, {
          plural: r.resource,
          kind: r.responseKind?.kind ?? "",
          namespaced: r.scope === "Namespaced",
          singular: r.singularResource,
          verbs: r.verbs,
          shortNames: r.shortNames,
          categories: r.categories,
          subresources: (r.subresources ?? []).map((s) => s.subresource),
        }),
      );
      out.push({ group: name, version: v.version, preferred: i === 0, resources });
    });
  }
  return out;
}

interface LegacyDocument extends Document {
  /** APIVersions (`/api`). */
  versions?: string[];
  /** APIGroupList (`/apis`). */
  groups?: { name: string; versions: { version: string }[]; preferredVersion?: { version: string } }[];
}

interface LegacyResourceList {
  resources?: { name: string; singularName?: string; namespaced: boolean; kind: string; verbs?: string[]; shortNames?: string[]; categories?: string[] }[];
}

async function fromLegacy(doc: LegacyDocument, get: (path: string) => Promise<LegacyResourceList>): Promise<DiscoveredGroupVersion[]> {
  const wanted: { group: string; version: string; preferred: boolean; path: string }[] = [];
  if (doc.kind === "APIVersions") {
    (doc.versions ?? []).forEach((v, i) => wanted.push({ group: "", version: v, preferred: i === 0, path: `/api/${v}` }));
  } else {
    for (const g of doc.groups ?? []) {
      const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
      for (const v of g.versions) wanted.push({ group: g.name, version: v.version, preferred: v.version === preferred, path: `/apis/${g.name}/${v.version}` });
    }
  }
  const lists = await Promise.all(wanted.map((w) => get(w.path)));
  return wanted.map((w, i) => {
    const all = lists[i]?.resources ?? [];
    const main = all.filter((r) => !r.name.includes("/"));
    const resources = main.map((r) =>
      descriptor(w.group, w.version, {
        plural: r.name,
        kind: r.kind,
        namespaced: r.namespaced,
        singular: r.singularName,
        verbs: r.verbs,
        shortNames: r.shortNames,
        categories: r.categories,
        subresources: all.filter((s) => s.name.startsWith(`${r.name}/`)).map((s) => s.name.slice(r.name.length + 1)),
      }),
    );
    return { group: w.group, version: w.version, preferred: w.preferred, resources };
  });
}

interface Found {
  plural: string;
  kind: string;
  namespaced: boolean;
  singular: string | undefined;
  verbs: string[] | undefined;
  shortNames: string[] | undefined;
  categories: string[] | undefined;
  subresources: string[];
}

/**
 * A descriptor from discovery. Discovery says which subresources exist but not the replica paths
 * of `scale`, nor whether strategic merge patches are accepted: those descriptors leave them out
 * (use the generated ones for scale and strategic patches).
 */
function descriptor(group: string, version: string, r: Found): ResourceDescriptor {
  const subresources: { -readonly [K in keyof Subresources]: Subresources[K] } = {};
  for (const s of r.subresources) if (TYPED_SUBRESOURCES.has(s)) subresources[s as "status" | "log" | "eviction" | "token"] = true;
  return {
    group,
    version,
    kind: r.kind,
    listKind: `${r.kind}List`,
    plural: r.plural,
    singular: r.singular !== undefined && r.singular !== "" ? r.singular : r.kind.toLowerCase(),
    shortNames: r.shortNames ?? [],
    categories: r.categories ?? [],
    scope: r.namespaced ? "Namespaced" : "Cluster",
    subresources,
    verbs: (r.verbs ?? []).filter((v): v is Verb => VERBS.has(v)).sort((a, b) => VERB_RANK.indexOf(a) - VERB_RANK.indexOf(b)),
  };
}

const VERB_RANK: readonly string[] = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
