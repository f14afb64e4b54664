import type { MicroTime, ObjectMeta } from "../meta.js";
import type { ResourceDescriptor } from "../resource.js";

/** The object an event is about (`regarding`) or related to: a `core/v1.ObjectReference`. */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** `events.k8s.io/v1` EventSeries: how often an event repeated, and when last. */
export interface EventSeries {
  count: number;
  lastObservedTime: MicroTime;
}

/** The parts of an `events.k8s.io/v1` Event the recorder writes (the built-in package's `eventsV1.Event` fits). */
export interface EventObject {
  apiVersion: "events.k8s.io/v1";
  kind: "Event";
  metadata: ObjectMeta;
  eventTime: MicroTime;
  series?: EventSeries;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  regarding: ObjectReference;
  related?: ObjectReference;
  note?: string;
  type: "Normal" | "Warning";
}

/** `events.k8s.io/v1` Events, for a client made with `createResourceClient`. */
export const eventResource = {
  group: "events.k8s.io",
  version: "v1",
  kind: "Event",
  listKind: "EventList",
  plural: "events",
  singular: "event",
  shortNames: ["ev"],
  categories: [],
  scope: "Namespaced",
  subresources: {},
} as const satisfies ResourceDescriptor;

/** What the broadcaster writes through (client-go's `EventSink`). */
export interface EventSink {
  /** Creates the Event; rejects with the API error. */
  create(event: EventObject, signal: AbortSignal): Promise<unknown>;
  /** Sets the series of an existing Event; rejects with 404 when it is gone. */
  patchSeries(namespace: string, name: string, series: EventSeries, signal: AbortSignal): Promise<unknown>;
}
