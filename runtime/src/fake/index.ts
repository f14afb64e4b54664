/**
 * `@kube-codegen/runtime/fake`: an in-memory API server for unit tests, behind the same
 * `RestClient` interface the real connection has, so generated clients, informers and listers run
 * on it unchanged. Production code never imports this module.
 */
export { createFakeRestClient, type Action, type FakeClientsetOptions, type FakeOptions, type FakeRestClient, type Reactor, type ReactorResult } from "./rest.js";
export { ObjectTracker, type Change, type TrackerOptions } from "./tracker.js";
export { fakeResourcesFromCrd, type FakeResource, type StructuralSchema } from "./schema.js";
export { statusErrors } from "./errors.js";
