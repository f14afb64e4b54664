/** Where the scale subresource reads and writes replicas in a custom resource. */
export interface ScaleSubresource {
  /** JSON path of the desired replicas, such as `.spec.replicas`. */
  readonly specReplicasPath: string;
  /** JSON path of the observed replicas, such as `.status.replicas`. */
  readonly statusReplicasPath: string;
  /** JSON path of the label selector in serialized form, when the CRD declares one. */
  readonly labelSelectorPath?: string;
}

/** The subresources a custom resource version declares. */
export interface Subresources {
  readonly status?: true;
  readonly scale?: ScaleSubresource;
}

/**
 * Everything the runtime needs to address one resource of one group version: the GVR, the kind,
 * the scope and the subresources. Generated code emits one per kind and version, `as const`, so
 * the subresources are known to the type checker.
 */
export interface ResourceDescriptor {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly scope: "Namespaced" | "Cluster";
  readonly subresources: Subresources;
}

/** `group/version`, or `version` alone for the core group. */
export function apiVersionOf(resource: Pick<ResourceDescriptor, "group" | "version">): string {
  return resource.group === "" ? resource.version : `${resource.group}/${resource.version}`;
}
