export type {
  EmbeddedResource,
  IntOrString,
  ListMeta,
  ManagedFieldsEntry,
  ObjectList,
  ObjectMeta,
  OwnerReference,
  Status,
  StatusCause,
  StatusDetails,
} from "./meta.js";
export type { ResourceDescriptor, ScaleSubresource, Subresources } from "./resource.js";
export { apiVersionOf } from "./resource.js";
