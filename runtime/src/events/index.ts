export { EventBroadcaster, restEventSink, type EventBroadcasterOptions, type EventRecorder, type EventStats } from "./broadcaster.js";
export { eventResource, type EventObject, type EventSeries, type EventSink, type ObjectReference } from "./event.js";
export { TokenBucket } from "./token-bucket.js";
