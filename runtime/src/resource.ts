/** Where the scale subresource reads and writes replicas in a custom resource. */
export interface ScaleSubresource {
  /** JSON path of the desired replicas, such as `.spec.replicas`. */
  readonly specReplicasPath: string;
  /** JSON path of the observed replicas, such as `.status.replicas`. */
  readonly statusReplicasPath: string;
  /** JSON path of the label selector in serialized form, when the CRD declares one. */
  readonly labelSelectorPath?: string;
}

/**
 * The subresources a resource has: those a custom resource version declares (status, scale), and
 * those of built-in resources that the typed clients expose (`pods/log`, `pods/eviction`,
 * `serviceaccounts/token`).
 */
export interface Subresources {
  readonly status?: true;
  readonly scale?: ScaleSubresource;
  /** `pods/log`: the container log as text, or a follow stream. */
  readonly log?: true;
  /** `pods/eviction`: an eviction that respects PodDisruptionBudgets. */
  readonly eviction?: true;
  /** `serviceaccounts/token`: a TokenRequest for a bound service account token. */
  readonly token?: true;
}

/** The verbs of a resource, as the API server names them. */
export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

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
  /**
   * The verbs the server serves for the resource (from its OpenAPI paths or discovery); absent for
   * custom resources, which have all of them. The typed client offers only these.
   */
  readonly verbs?: readonly Verb[];
  /** Whether the resource accepts strategic merge patches: built-in kinds do, custom resources never. */
  readonly strategicMergePatch?: true;
}

/** `group/version`, or `version` alone for the core group. */
export function apiVersionOf(resource: Pick<ResourceDescriptor, "group" | "version">): string {
  return resource.group === "" ? resource.version : `${resource.group}/${resource.version}`;
}
