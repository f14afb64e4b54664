import type { ResourceDescriptor } from "./resource.js";

/** `apiextensions.k8s.io/v1` CustomResourceDefinitions: for tools that read or install CRDs. */
export const customResourceDefinitionResource = {
  group: "apiextensions.k8s.io",
  version: "v1",
  kind: "CustomResourceDefinition",
  listKind: "CustomResourceDefinitionList",
  plural: "customresourcedefinitions",
  singular: "customresourcedefinition",
  shortNames: ["crd", "crds"],
  categories: [],
  scope: "Cluster",
  subresources: { status: true },
} as const satisfies ResourceDescriptor;

/** Core `v1` Namespaces. */
export const namespaceResource = {
  group: "",
  version: "v1",
  kind: "Namespace",
  listKind: "NamespaceList",
  plural: "namespaces",
  singular: "namespace",
  shortNames: ["ns"],
  categories: [],
  scope: "Cluster",
  subresources: { status: true },
} as const satisfies ResourceDescriptor;
