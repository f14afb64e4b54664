import jsonpatch from "fast-json-patch";
import type { KubeObject } from "../client/types.js";
import type { Logger } from "../controller/logger.js";
import { apiVersionOf, type ResourceDescriptor } from "../resource.js";
import type { AdmissionOperation, AdmissionRequest, AdmissionResponse } from "./review-types.js";

/** What a validation answers: allowed (with warnings), or denied with the reason the client sees. */
export type AdmissionVerdict =
  | { readonly allowed: true; readonly warnings?: readonly string[] | undefined }
  | { readonly allowed: false; readonly reason: string; readonly code?: number | undefined; readonly warnings?: readonly string[] | undefined };

/** Admits the request; the warnings reach the client as `Warning` headers. */
export function allowed(...warnings: string[]): AdmissionVerdict {
  return warnings.length === 0 ? { allowed: true } : { allowed: true, warnings };
}

/** Refuses the request: the client sees `admission webhook "<name>" denied the request: <reason>`. */
export function denied(reason: string, options: { readonly code?: number; readonly warnings?: readonly string[] } = {}): AdmissionVerdict {
  return { allowed: false, reason, code: options.code, warnings: options.warnings };
}

/**
 * Thrown from a handler to refuse the request with this message (the same as returning
 * `denied(message)`). Any other error refuses it with a generic message and is logged, never sent.
 */
export class AdmissionDenied extends Error {
  override name = "AdmissionDenied";
  /** The HTTP status the client gets (403 unless set). */
  readonly code: number;
  constructor(message: string, code = 403) {
    super(message);
    this.code = code;
  }
}

/** What a handler gets besides the objects. */
export interface AdmissionContext {
  /** The whole request (user, options, subresource...). */
  readonly request: AdmissionRequest;
  readonly operation: AdmissionOperation;
  /**
   * True when nothing will be persisted (`dryRun`): a handler declared `sideEffects:
   * "NoneOnDryRun"` must then skip its side effects.
   */
  readonly dryRun: boolean;
  /** The webhook's logger, with the request's uid, kind, namespace and name bound. */
  readonly log: Logger;
}

/** What a validation handler returns: a verdict, or nothing for allowed. */
export type AdmissionAnswer = AdmissionVerdict | void;

/** The validations of one kind; an operation without a handler is allowed. */
export interface ValidatingHandlers<T extends KubeObject> {
  /** A new object. */
  validateCreate?(obj: T, ctx: AdmissionContext): AdmissionAnswer | Promise<AdmissionAnswer>;
  /** A change: the stored object and the new one. */
  validateUpdate?(oldObj: T, obj: T, ctx: AdmissionContext): AdmissionAnswer | Promise<AdmissionAnswer>;
  /** A deletion of the stored object. */
  validateDelete?(oldObj: T, ctx: AdmissionContext): AdmissionAnswer | Promise<AdmissionAnswer>;
}

/** The defaulting of one kind: `default` changes the object it is given (a copy) in place. */
export interface MutatingHandlers<T extends KubeObject> {
  /** Sets defaults on `obj` (a private copy); the changes become the JSON patch. */
  default(obj: T, ctx: AdmissionContext): void | Promise<void>;
}

/** `meta/v1.LabelSelector` as it is written in objects (not the parsed selector of the cache). */
export interface WireLabelSelector {
  readonly matchLabels?: { readonly [key: string]: string };
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; readonly values?: readonly string[] }[];
}

/** How the API server calls the webhook: the fields of its entry in the webhook configuration. */
export interface AdmissionWebhookOptions {
  /** The webhook's name in its configuration, fully qualified (`vwidget.shop.example.com`). */
  readonly name: string;
  /** The URL path it is served on (default `/validate-<group>-<version>-<kind>` or `/mutate-…`). */
  readonly path?: string | undefined;
  /** What the server does when the webhook cannot be reached or fails: `Fail` (default) or `Ignore`. */
  readonly failurePolicy?: "Fail" | "Ignore" | undefined;
  /** `None` (default) or `NoneOnDryRun` (the handler checks `ctx.dryRun`). */
  readonly sideEffects?: "None" | "NoneOnDryRun" | undefined;
  /** Seconds the server waits (1-30, default 10). */
  readonly timeoutSeconds?: number | undefined;
  /** Which operations it is called for (default: those with a handler; CREATE and UPDATE for defaulting). */
  readonly operations?: readonly AdmissionOperation[] | undefined;
  /** `Equivalent` (default: also called for the kind's other versions, converted) or `Exact`. */
  readonly matchPolicy?: "Equivalent" | "Exact" | undefined;
  /** The namespaces it applies to, by their labels. */
  readonly namespaceSelector?: WireLabelSelector | undefined;
  /** The objects it applies to, by their labels. */
  readonly objectSelector?: WireLabelSelector | undefined;
  /** Mutating only: `IfNeeded` calls it again when a later webhook changed the object (default `Never`). */
  readonly reinvocationPolicy?: "Never" | "IfNeeded" | undefined;
}

/** A declared admission webhook: served by a `WebhookServer`, described by the configuration helpers. */
export interface AdmissionWebhook {
  readonly type: "validating" | "mutating";
  readonly resource: ResourceDescriptor;
  readonly options: AdmissionWebhookOptions;
  /** The URL path it is served on. */
  readonly path: string;
  /** The operations in its rule. */
  readonly operations: readonly AdmissionOperation[];
  /** Answers one request; never throws (a failing handler is a denial with a safe message). */
  review(request: AdmissionRequest, log: Logger): Promise<AdmissionResponse>;
}

const defaultPath = (prefix: string, r: ResourceDescriptor): string =>
  `/${prefix}-${[r.group === "" ? "core" : r.group, r.version, r.kind].join("-").replaceAll(".", "-").toLowerCase()}`;

/**
 * A validating webhook for one kind and version (`widgetResource` from the generated code): the
 * handlers get typed objects and answer `allowed()`, `denied(reason)` or nothing (allowed).
 */
export function validatingWebhook<T extends KubeObject>(resource: ResourceDescriptor, handlers: ValidatingHandlers<T>, options: AdmissionWebhookOptions): AdmissionWebhook {
  const operations = options.operations ?? (["CREATE", "UPDATE", "DELETE"] as const).filter((op) => handlers[opHandler[op]] !== undefined);
  if (operations.length === 0) throw new Error(`validating webhook ${options.name}: no handler and no operations (the API server refuses a rule without operations)`);
  return {
    type: "validating",
    resource,
    options,
    path: options.path ?? defaultPath("validate", resource),
    operations,
    review: (request, log) =>
      answer(resource, options, request, log, async (ctx) => {
        const obj = request.object as T;
        const old = request.oldObject as T;
        switch (request.operation) {
          case "CREATE":
            return { verdict: (await handlers.validateCreate?.(obj, ctx)) ?? undefined };
          case "UPDATE":
            return { verdict: (await handlers.validateUpdate?.(old, obj, ctx)) ?? undefined };
          case "DELETE":
            return { verdict: (await handlers.validateDelete?.(old, ctx)) ?? undefined };
          default:
            return { verdict: undefined };
        }
      }),
  };
}

const opHandler = { CREATE: "validateCreate", UPDATE: "validateUpdate", DELETE: "validateDelete" } as const;

/**
 * A mutating (defaulting) webhook for one kind and version: `default(obj)` changes a copy of the
 * object, and the difference is sent back as an RFC 6902 JSON patch.
 */
export function mutatingWebhook<T extends KubeObject>(resource: ResourceDescriptor, handlers: MutatingHandlers<T>, options: AdmissionWebhookOptions): AdmissionWebhook {
  return {
    type: "mutating",
    resource,
    options,
    path: options.path ?? defaultPath("mutate", resource),
    operations: options.operations ?? ["CREATE", "UPDATE"],
    review: (request, log) =>
      answer(resource, options, request, log, async (ctx) => {
        if (request.object == null) return { verdict: undefined };
        const copy = structuredClone(request.object) as T;
        await handlers.default(copy, ctx);
        // Through JSON, as the server will see it: undefined members vanish, Dates become strings.
        const after = JSON.parse(JSON.stringify(copy)) as object;
        const patch = jsonpatch.compare(request.object as object, after);
        return { verdict: undefined, patch };
      }),
  };
}

interface Outcome {
  readonly verdict: AdmissionVerdict | undefined;
  readonly patch?: readonly unknown[];
}

async function answer(resource: ResourceDescriptor, options: AdmissionWebhookOptions, request: AdmissionRequest, baseLog: Logger, run: (ctx: AdmissionContext) => Promise<Outcome>): Promise<AdmissionResponse> {
  const uid = request.uid;
  const log = baseLog.with({ webhook: options.name, uid, operation: request.operation, namespace: request.namespace, name: request.name });
  const want = `${apiVersionOf(resource)} ${resource.kind}`;
  const got = `${apiVersionOf(request.kind)} ${request.kind.kind}`;
  if (want !== got) {
    log.error("admission request of another kind", new Error(`got ${got}`), {});
    return { uid, allowed: false, status: { code: 400, message: `webhook ${options.name} serves ${want}, not ${got}` } };
  }
  try {
    const ctx: AdmissionContext = { request, operation: request.operation, dryRun: request.dryRun === true, log };
    const { verdict, patch } = await run(ctx);
    if (verdict !== undefined && !verdict.allowed) {
      return withWarnings({ uid, allowed: false, status: deniedStatus(verdict.code ?? 403, verdict.reason) }, verdict.warnings);
    }
    const response: AdmissionResponse = { uid, allowed: true };
    if (patch !== undefined && patch.length > 0) {
      response.patchType = "JSONPatch";
      response.patch = Buffer.from(JSON.stringify(patch)).toString("base64");
    }
    return withWarnings(response, verdict?.warnings);
  } catch (err) {
    if (err instanceof AdmissionDenied) return { uid, allowed: false, status: deniedStatus(err.code, err.message) };
    log.error("admission handler failed", err, {});
    return { uid, allowed: false, status: { code: 500, reason: "InternalError", message: `internal error in webhook ${options.name} (request ${uid}; see its log)` } };
  }
}

const REASONS: Readonly<Record<number, string>> = { 400: "BadRequest", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 422: "Invalid", 429: "TooManyRequests" };

/** A denial's Status: the code, Kubernetes' reason for it (when it has one) and the message. */
function deniedStatus(code: number, message: string): AdmissionResponse["status"] & object {
  const reason = REASONS[code];
  return reason === undefined ? { code, message } : { code, reason, message };
}

function withWarnings(response: AdmissionResponse, warnings: readonly string[] | undefined): AdmissionResponse {
  if (warnings !== undefined && warnings.length > 0) response.warnings = [...warnings];
  return response;
}
