import { ApiStatusError, KubeError, type RequestInfo } from "../errors.js";
import type { KubeObject } from "../client/types.js";
import type { Status } from "../meta.js";
import { namespaceResource } from "../builtin.js";
import type { ResourceDescriptor } from "../resource.js";
import { queryString, type Query, type ResponseStream, type RestClient, type RestRequest } from "../rest/transport.js";
import { VERSION } from "../version.js";
import { wire, type WriteContext } from "./objects.js";
import { getScale, patchScale, updateScale } from "./scale.js";
import type { FakeResource, ServedResource } from "./schema.js";
import { FakeStatus, methodNotAllowed, noRoute, notFound } from "./status.js";
import { ObjectTracker, objectKey, resourceKey, type TrackerOptions } from "./tracker.js";
import { createObject, deleteCollection, deleteObject, expireContinueTokens, getObject, listObjects, patchObject, updateObject, type DeleteBody, type PatchType, type Target } from "./verbs.js";
import { openWatch } from "./watch.js";

/** One call the fake received, as reactors see it and `actions` records it (client-go's Action). */
export interface Action {
  /** get, list, watch, create, update, patch, delete, deletecollection. */
  readonly verb: string;
  readonly group: string;
  readonly version: string;
  /** The plural, such as `widgets`. */
  readonly resource: string;
  readonly subresource: string | undefined;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  /** The body: the object of create and update, the patch, the delete options. */
  readonly body: unknown;
  /** merge, json or apply, for patches. */
  readonly patchType: PatchType | undefined;
  readonly query: Readonly<Record<string, string>>;
}

/**
 * What a reactor answers: `undefined` to let the next reactor (and finally the tracker) handle the
 * call, `{ result }` to answer it, `{ error }` to fail it (a `Status` becomes the API error the
 * client would get from the server; an Error is thrown as it is).
 */
export type ReactorResult = { readonly result: unknown } | { readonly error: Status | Error } | undefined;

/** A function that may answer a call before the tracker does. */
export type Reactor = (action: Action) => ReactorResult | Promise<ReactorResult>;

/** Options of {@link createFakeRestClient}. */
export interface FakeOptions extends TrackerOptions {
  /** The resources served (the generated fake passes every kind's descriptor and validator). */
  readonly resources: readonly FakeResource[];
  /**
   * Objects the fake starts with, created in order as a client would (defaults, uid, versions;
   * namespaced ones without a namespace go to "default"), except that they keep their status.
   */
  readonly objects?: readonly KubeObject[] | undefined;
  /** Bookmarks on watches that allow them, every this many ms (default 1,000; 0: none). */
  readonly bookmarkIntervalMs?: number | undefined;
  /** The field manager of writes without one, as the server derives it from the User-Agent. */
  readonly userAgent?: string | undefined;
}

/** What a generated `createFakeClientsetWith` takes: the fake's options, with seeds of its kinds. */
export interface FakeClientsetOptions<T extends KubeObject> extends Omit<FakeOptions, "resources" | "objects"> {
  readonly objects?: readonly T[] | undefined;
}

/**
 * The fake API server behind the {@link RestClient} interface: typed clients, informers and
 * listers run on it unchanged. `tracker` holds the objects; reactors answer or fail calls first;
 * `actions` records every call.
 */
export interface FakeRestClient extends RestClient {
  readonly tracker: ObjectTracker;
  /** Every call so far, oldest first. */
  readonly actions: readonly Action[];
  clearActions(): void;
  /** Adds a reactor before the others for `verb` (or "*") on `resource` (a plural, or "*"). Returns its removal. */
  prependReactor(verb: string, resource: string, reactor: Reactor): () => void;
  /** Ends every open watch as a server would (cleanly, or with `error`). */
  closeWatches(error?: Error): void;
  /** Drops the watch history and continue tokens: older resourceVersions now answer 410 Expired. */
  compact(): void;
}

interface Route {
  readonly res: ServedResource;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

const PATCH_TYPES: Record<string, PatchType> = {
  "application/merge-patch+json": "merge",
  "application/json-patch+json": "json",
  "application/apply-patch+yaml": "apply",
};

/** Creates the fake API server. */
export function createFakeRestClient(options: FakeOptions): FakeRestClient {
  return new Fake(options);
}

class Fake implements FakeRestClient {
  readonly server = "fake://kube-codegen";
  readonly options = { timeoutMs: 30_000, watchInactivityTimeoutMs: 120_000, maxRetries: 0, maxRetryAfterSeconds: 0 };
  readonly tracker: ObjectTracker;
  readonly #actions: Action[] = [];
  readonly #reactors: { verb: string; resource: string; fn: Reactor }[] = [];
  readonly #watches = new Set<(err?: Error) => void>();
  readonly #bookmarkMs: number;
  readonly #defaultManager: string;

  constructor(o: FakeOptions) {
    const resources = [...o.resources];
    if (!resources.some((r) => resourceKey(r.descriptor) === resourceKey(namespaceResource))) resources.push({ descriptor: namespaceResource });
    this.tracker = new ObjectTracker(resources, o);
    this.#bookmarkMs = o.bookmarkIntervalMs ?? 1000;
    this.#defaultManager = (o.userAgent ?? `kube-codegen/${VERSION}`).split("/")[0] ?? "unknown";
    for (const obj of o.objects ?? []) this.#seed(obj);
  }

  get actions(): readonly Action[] {
    return this.#actions;
  }

  clearActions(): void {
    this.#actions.length = 0;
  }

  prependReactor(verb: string, resource: string, fn: Reactor): () => void {
    const r = { verb, resource, fn };
    this.#reactors.unshift(r);
    return () => {
      const i = this.#reactors.indexOf(r);
      if (i >= 0) this.#reactors.splice(i, 1);
    };
  }

  closeWatches(error?: Error): void {
    for (const finish of [...this.#watches]) finish(error);
  }

  compact(): void {
    this.tracker.compact();
    expireContinueTokens(this.tracker);
  }

  close(): void {
    this.closeWatches();
  }

  #seed(obj: KubeObject): void {
    const res = this.tracker.resourceOf(obj);
    if (res === undefined) throw new KubeError(`the fake serves no ${obj.kind} in ${obj.apiVersion}: generate it, or pass its resource`);
    const copy = wire(obj);
    delete copy.metadata.resourceVersion;
    const ns = res.descriptor.scope === "Namespaced" ? (copy.metadata.namespace ?? "default") : undefined;
    try {
      createObject(this.tracker, { res, namespace: ns }, copy, { dryRun: false, fieldManager: this.#defaultManager, fieldValidation: "Ignore" }, true);
    } catch (err) {
      if (!(err instanceof FakeStatus)) throw err;
      throw new KubeError(`the fake cannot start with ${obj.kind} ${JSON.stringify(objectKey(ns, obj.metadata.name ?? ""))}: ${err.status.message ?? err.status.reason ?? ""}`);
    }
  }

  async request<T>(req: RestRequest): Promise<T> {
    const info: RequestInfo = { verb: req.verb, method: req.method, url: req.path + queryString(req.query) };
    const { route, action } = this.#resolve(req, info);
    const reacted = await this.#react(action, info);
    if (reacted !== undefined) return wire(reacted.result) as T;
    try {
      return wire(this.#serve(route, action, req)) as T;
    } catch (err) {
      if (err instanceof FakeStatus) throw err.toError(info);
      throw err;
    }
  }

  async stream(req: RestRequest): Promise<ResponseStream> {
    const info: RequestInfo = { verb: req.verb, method: req.method, url: req.path + queryString(req.query) };
    const { route, action } = this.#resolve(req, info);
    const reacted = await this.#react(action, info);
    if (reacted !== undefined) throw new KubeError(`a reactor answered watch ${route.res.descriptor.plural} with a result; answer watches with { error } only`);
    const q = action.query;
    try {
      return openWatch(
        this.tracker,
        route.res,
        route.namespace,
        {
          resourceVersion: q["resourceVersion"],
          resourceVersionMatch: q["resourceVersionMatch"],
          labelSelector: q["labelSelector"],
          fieldSelector: q["fieldSelector"],
          allowWatchBookmarks: q["allowWatchBookmarks"] === "true",
          sendInitialEvents: q["sendInitialEvents"] === "true",
          timeoutSeconds: q["timeoutSeconds"] === undefined ? undefined : Number(q["timeoutSeconds"]),
        },
        { bookmarkIntervalMs: this.#bookmarkMs },
        info,
        this.#watches,
      );
    } catch (err) {
      if (err instanceof FakeStatus) throw err.toError(info);
      throw err;
    }
  }

  async #react(action: Action, info: RequestInfo): Promise<{ result: unknown } | undefined> {
    for (const r of [...this.#reactors]) {
      if ((r.verb !== "*" && r.verb !== action.verb) || (r.resource !== "*" && r.resource !== action.resource)) continue;
      const answer = await r.fn(action);
      if (answer === undefined) continue;
      if ("error" in answer) {
        const e = answer.error;
        if (e instanceof Error) throw e;
        throw new ApiStatusError(info, { kind: "Status", apiVersion: "v1", status: "Failure", ...e }, e.code ?? 500);
      }
      return answer;
    }
    return undefined;
  }

  #resolve(req: RestRequest, info: RequestInfo): { route: Route; action: Action } {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query ?? ({} as Query))) if (v !== undefined) query[k] = String(v);
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))((?:\/[^/]+)*)$/.exec(req.path);
    const fail = (s: FakeStatus): never => {
      throw s.toError(info);
    };
    if (m === null) return fail(noRoute());
    const group = m[2] ?? "";
    const version = m[1] ?? m[3] ?? "";
    const seg = (m[4] ?? "").split("/").slice(1).map(decodeURIComponent);
    let namespace: string | undefined;
    if (seg[0] === "namespaces" && seg.length >= 3 && !(group === "" && seg.length === 3 && (seg[2] === "status" || seg[2] === "finalize"))) {
      namespace = seg[1];
      seg.splice(0, 2);
    }
    const [plural = "", name, subresource, extra] = seg;
    const res = this.tracker.resource(group, version, plural);
    if (res === undefined || extra !== undefined) return fail(noRoute());
    const d: ResourceDescriptor = res.descriptor;
    if (d.scope === "Cluster" && namespace !== undefined) return fail(noRoute());
    // A subresource the CRD does not declare: the server answers as if the object were missing.
    if (subresource !== undefined && !(subresource === "status" && d.subresources.status === true) && !(subresource === "scale" && d.subresources.scale !== undefined)) return fail(notFound(d, name ?? ""));
    if (d.scope === "Namespaced" && namespace === undefined && (name !== undefined || req.method !== "GET")) return fail(noRoute());
    const patchType = req.method === "PATCH" ? PATCH_TYPES[req.contentType ?? ""] : undefined;
    if (req.method === "PATCH" && patchType === undefined) return fail(new FakeStatus({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `the server does not support the patch type ${req.contentType ?? ""}`, reason: "UnsupportedMediaType", code: 415 }));
    const verb = verbOf(req, name, query);
    const action: Action = { verb, group, version, resource: plural, subresource, namespace, name, body: wire(req.body), patchType, query };
    this.#actions.push(action);
    return { route: { res, namespace, name, subresource }, action };
  }

  #serve(route: Route, action: Action, req: RestRequest): unknown {
    const q = action.query;
    const ctx: WriteContext = {
      dryRun: q["dryRun"] === "All" || (Array.isArray((req.body as DeleteBody | undefined)?.dryRun) && ((req.body as DeleteBody).dryRun ?? []).includes("All")),
      fieldManager: q["fieldManager"] ?? this.#defaultManager,
      fieldValidation: (q["fieldValidation"] as WriteContext["fieldValidation"] | undefined) ?? "Warn",
    };
    const t: Target = { res: route.res, namespace: route.namespace, name: route.name ?? "", subresource: route.subresource };
    const list = { labelSelector: q["labelSelector"], fieldSelector: q["fieldSelector"], limit: q["limit"] === undefined ? undefined : Number(q["limit"]), continue: q["continue"], resourceVersion: q["resourceVersion"] };
    const scale = route.subresource === "scale";
    switch (action.verb) {
      case "get":
        return scale ? getScale(this.tracker, t) : getObject(this.tracker, t);
      case "list":
        return listObjects(this.tracker, t, list);
      case "create":
        if (route.subresource !== undefined) throw methodNotAllowed(`the server does not allow this method on the requested resource`);
        return createObject(this.tracker, t, req.body, ctx);
      case "update":
        return scale ? updateScale(this.tracker, t, req.body, ctx) : updateObject(this.tracker, t, req.body, ctx);
      case "patch": {
        const type = action.patchType ?? "merge";
        if (scale) {
          if (type === "apply") throw new FakeStatus({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "apply is not supported on scale", reason: "UnsupportedMediaType", code: 415 });
          return patchScale(this.tracker, t, type, req.body, ctx);
        }
        return patchObject(this.tracker, t, type, req.body, ctx, q["force"] === "true");
      }
      case "delete":
        return deleteObject(this.tracker, t, (wire(req.body) ?? {}) as DeleteBody, ctx);
      case "deletecollection":
        return deleteCollection(this.tracker, t, list, (wire(req.body) ?? {}) as DeleteBody, ctx);
      default:
        throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
  }
}

function verbOf(req: RestRequest, name: string | undefined, query: Record<string, string>): string {
  switch (req.method) {
    case "GET":
      return name === undefined ? (query["watch"] === "true" || query["watch"] === "1" ? "watch" : "list") : "get";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return name === undefined ? "deletecollection" : "delete";
  }
}
