import jsonpatch from "fast-json-patch";
import type { KubeObject } from "../client/types.js";
import type { Logger } from "../controller/logger.js";
import { apiVersionOf, type ResourceDescriptor } from "../resource.js";
import type { ConversionRequest, ConversionResponse } from "./review-types.js";

/**
 * Thrown from `toHub` or `fromHub` when an object cannot be converted: its message reaches the
 * client (`conversion webhook for … failed: …`). Any other error is logged and reported as an
 * internal error, without its message.
 */
export class ConversionError extends Error {
  override name = "ConversionError";
}

/** How one spoke version converts to the hub version and back. */
export interface SpokeConversion<Hub extends KubeObject, Spoke extends KubeObject> {
  /** The spoke object as the hub version; every required field of the hub type must be set. */
  toHub(spoke: Spoke): Hub;
  /** The hub object as this spoke version. */
  fromHub(hub: Hub): Spoke;
}

/** A hub-and-spoke conversion of one kind, served by a `WebhookServer` (built with `conversion`). */
export interface ConversionWebhook<Hub extends KubeObject = KubeObject> {
  /** The hub version's descriptor: every conversion goes through it. */
  readonly hub: ResourceDescriptor;
  /** The spoke versions (`v1beta1`, ...). */
  readonly spokeVersions: readonly string[];
  /** The URL path it is served on (default `/convert-<group>-<kind>`). */
  readonly path: string;
  /** Adds a spoke version: `toHub` and `fromHub`, typed with the generated types of both versions. */
  spoke<Spoke extends KubeObject>(resource: ResourceDescriptor, conversion: SpokeConversion<Hub, Spoke>): ConversionWebhook<Hub>;
  /** Converts one object to `apiVersion` (through the hub); throws a `ConversionError` when it cannot. */
  convert(obj: KubeObject, apiVersion: string): KubeObject;
  /** Answers one review: all objects converted in order, or a failure naming each object that failed. */
  review(request: ConversionRequest, log: Logger): ConversionResponse;
}

/**
 * A conversion webhook for the kind of `hub` (the hub version, usually the storage version):
 * `conversion<shopV1.Widget>(shopV1.widgetResource).spoke(shopV1beta1.widgetResource, { toHub, fromHub })`.
 */
export function conversion<Hub extends KubeObject>(hub: ResourceDescriptor, options: { readonly path?: string } = {}): ConversionWebhook<Hub> {
  const spokes = new Map<string, SpokeConversion<Hub, KubeObject>>();
  const hubVersion = apiVersionOf(hub);
  const toHub = (obj: KubeObject): Hub => {
    if (obj.apiVersion === hubVersion) return obj as Hub;
    const spoke = spokes.get(obj.apiVersion);
    if (spoke === undefined) throw new ConversionError(`no conversion from ${obj.apiVersion} (this webhook converts ${[hubVersion, ...spokes.keys()].join(", ")})`);
    return spoke.toHub(obj);
  };
  const fromHub = (obj: Hub, apiVersion: string): KubeObject => {
    if (apiVersion === hubVersion) return obj;
    const spoke = spokes.get(apiVersion);
    if (spoke === undefined) throw new ConversionError(`no conversion to ${apiVersion} (this webhook converts ${[hubVersion, ...spokes.keys()].join(", ")})`);
    return spoke.fromHub(obj);
  };
  const webhook: ConversionWebhook<Hub> = {
    hub,
    get spokeVersions() {
      return [...spokes.keys()].map((v) => v.slice(v.indexOf("/") + 1));
    },
    path: options.path ?? `/convert-${hub.group.replaceAll(".", "-")}-${hub.kind.toLowerCase()}`,
    spoke(resource, c) {
      if (resource.group !== hub.group || resource.kind !== hub.kind) throw new Error(`spoke ${apiVersionOf(resource)} ${resource.kind} is not a version of ${hub.group} ${hub.kind}`);
      if (resource.version === hub.version || spokes.has(apiVersionOf(resource))) throw new Error(`version ${resource.version} of ${hub.kind} declared twice`);
      spokes.set(apiVersionOf(resource), c as unknown as SpokeConversion<Hub, KubeObject>);
      return webhook;
    },
    convert(obj, apiVersion) {
      if (obj.kind !== hub.kind) throw new ConversionError(`kind ${String(obj.kind)} is not ${hub.kind}`);
      if (obj.apiVersion === apiVersion) return obj;
      // Copies: a conversion that mutates its input cannot damage the caller's object.
      const converted = fromHub(toHub(structuredClone(obj)), apiVersion);
      return settle(obj, converted, apiVersion);
    },
    review(request, log) {
      const failures: string[] = [];
      const convertedObjects: unknown[] = [];
      request.objects.forEach((raw, i) => {
        const obj = raw as KubeObject;
        const which = `object ${i} (${describe(obj)})`;
        try {
          convertedObjects.push(webhook.convert(obj, request.desiredAPIVersion));
        } catch (err) {
          if (err instanceof ConversionError) {
            failures.push(`${which}: ${err.message}`);
          } else {
            log.error("conversion failed", err, { uid: request.uid, object: which, to: request.desiredAPIVersion });
            failures.push(`${which}: internal error (see the webhook's log)`);
          }
        }
      });
      if (failures.length > 0) return { uid: request.uid, convertedObjects: [], result: { status: "Failure", message: `converting to ${request.desiredAPIVersion}: ${failures.join("; ")}` } };
      return { uid: request.uid, convertedObjects, result: { status: "Success" } };
    },
  };
  return webhook;
}

const describe = (obj: KubeObject): string => {
  const m = obj.metadata ?? {};
  return `${String(obj.apiVersion)} ${m.namespace !== undefined ? `${m.namespace}/` : ""}${m.name ?? "?"}`;
};

/**
 * The converted object as the API server accepts it: the desired apiVersion, the input's kind and
 * metadata (the server refuses changed names or uids and ignores the rest), but the converted
 * labels and annotations (the only metadata a conversion may change, e.g. to keep lossy fields).
 */
function settle(input: KubeObject, converted: KubeObject, apiVersion: string): KubeObject {
  const metadata = { ...input.metadata };
  delete metadata.labels;
  delete metadata.annotations;
  if (converted.metadata?.labels !== undefined && Object.keys(converted.metadata.labels).length > 0) metadata.labels = converted.metadata.labels;
  if (converted.metadata?.annotations !== undefined && Object.keys(converted.metadata.annotations).length > 0) metadata.annotations = converted.metadata.annotations;
  return { ...converted, apiVersion, kind: input.kind, metadata };
}

/** One field that did not survive a round trip. */
export interface RoundTripDifference {
  /** JSON Pointer of the field (`/spec/color`). */
  readonly path: string;
  /** What the round trip did to it: `remove` (lost), `replace` (changed) or `add` (appeared). */
  readonly op: string;
}

/**
 * Converts `obj` to `apiVersion` and back and lists what changed, as JSON Pointers. `lossy` names
 * the fields the conversion is allowed to lose (a pointer covers what is below it). An empty list
 * means every field survived; in a test: `expect(roundTrip(widgets, obj, "shop.example.com/v1")).toEqual([])`.
 */
export function roundTrip(webhook: Pick<ConversionWebhook, "convert">, obj: KubeObject, apiVersion: string, options: { readonly lossy?: readonly string[] } = {}): RoundTripDifference[] {
  const there = webhook.convert(obj, apiVersion);
  const back = webhook.convert(JSON.parse(JSON.stringify(there)) as KubeObject, obj.apiVersion);
  const lossy = options.lossy ?? [];
  return jsonpatch
    .compare(JSON.parse(JSON.stringify(obj)) as object, JSON.parse(JSON.stringify(back)) as object)
    .map((op) => ({ path: op.path, op: op.op }))
    .filter((d) => !lossy.some((p) => d.path === p || d.path.startsWith(`${p}/`)));
}
