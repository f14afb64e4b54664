import { isJsonObject, type JsonObject } from "../load/documents.js";
import type { OpenApiDocument } from "../load/openapi.js";

/** A resource of a group version as its OpenAPI paths describe it. */
export interface PathResource {
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Kubernetes verbs, in {@link VERB_ORDER}. */
  readonly verbs: readonly string[];
  readonly strategicMergePatch: boolean;
  /** Subresource name → the kind its operations take or return (`scale` → autoscaling/v1 Scale). */
  readonly subresources: ReadonlyMap<string, { readonly group: string; readonly version: string; readonly kind: string }>;
}

/** The order verbs are listed in. */
export const VERB_ORDER = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"] as const;

const METHODS = ["get", "put", "post", "patch", "delete"] as const;

interface Pending {
  kind: string | undefined;
  namespaced: boolean;
  verbs: Set<string>;
  strategic: boolean;
  subresources: Map<string, { group: string; version: string; kind: string }>;
}

/**
 * Reads the resources of a group-version document from its paths: plural, kind (the operations'
 * `x-kubernetes-group-version-kind`), scope (a path with `{namespace}`), verbs (the operations'
 * `x-kubernetes-action`, with watch from the list operation's `watch` parameter or the
 * `/watch/` paths), strategic merge patch (the patch operation's request content types) and
 * subresources. Sorted by plural.
 */
export function resourcesOf(doc: OpenApiDocument): PathResource[] {
  const pending = new Map<string, Pending>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith(`${doc.prefix}/`) || !isJsonObject(item)) continue;
    let segments = path.slice(doc.prefix.length + 1).split("/");
    let watchPath = false;
    if (segments[0] === "watch") {
      watchPath = true;
      segments = segments.slice(1);
    }
    let namespaced = false;
    if (segments[0] === "namespaces" && segments[1] === "{namespace}" && segments.length > 2) {
      namespaced = true;
      segments = segments.slice(2);
    }
    const [plural, name, subresource] = segments;
    if (plural === undefined || plural === "" || plural.includes("{")) continue;
    if (name !== undefined && !/^\{[^}]+\}$/.test(name)) continue;
    const r = pending.get(plural) ?? { kind: undefined, namespaced: false, verbs: new Set<string>(), strategic: false, subresources: new Map() };
    pending.set(plural, r);
    r.namespaced ||= namespaced;
    for (const method of METHODS) {
      const op = item[method];
      if (!isJsonObject(op)) continue;
      const action = op["x-kubernetes-action"];
      const gvk = op["x-kubernetes-group-version-kind"];
      if (typeof action !== "string" || !isJsonObject(gvk)) continue;
      const g = { group: String(gvk["group"] ?? ""), version: String(gvk["version"] ?? ""), kind: String(gvk["kind"] ?? "") };
      if (subresource !== undefined) {
        if (action !== "connect") r.subresources.set(subresource, g);
        continue;
      }
      r.kind ??= g.kind;
      if (watchPath) {
        r.verbs.add("watch");
        continue;
      }
      const verb = verbOf(action, name !== undefined);
      if (verb !== undefined) r.verbs.add(verb);
      if (action === "list" && hasParameter(op, item, "watch")) r.verbs.add("watch");
      if (action === "patch" && acceptsStrategic(op)) r.strategic = true;
    }
  }
  const out: PathResource[] = [];
  for (const [plural, r] of pending) {
    if (r.kind === undefined) continue;
    out.push({
      plural,
      kind: r.kind,
      namespaced: r.namespaced,
      verbs: VERB_ORDER.filter((v) => r.verbs.has(v)),
      strategicMergePatch: r.strategic,
      subresources: r.subresources,
    });
  }
  return out.sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0));
}

function verbOf(action: string, item: boolean): string | undefined {
  switch (action) {
    case "get":
      return item ? "get" : undefined;
    case "list":
      return "list";
    case "post":
      return "create";
    case "put":
      return "update";
    case "patch":
      return "patch";
    case "delete":
      return "delete";
    case "deletecollection":
      return "deletecollection";
    default:
      return undefined;
  }
}

function hasParameter(op: JsonObject, item: JsonObject, name: string): boolean {
  const params = [...(Array.isArray(op["parameters"]) ? op["parameters"] : []), ...(Array.isArray(item["parameters"]) ? item["parameters"] : [])];
  return params.some((p) => isJsonObject(p) && p["name"] === name && p["in"] === "query");
}

function acceptsStrategic(op: JsonObject): boolean {
  const body = op["requestBody"];
  const content = isJsonObject(body) ? body["content"] : undefined;
  return isJsonObject(content) && Object.keys(content).includes("application/strategic-merge-patch+json");
}
