import { join } from "node:path";
import { installCrds } from "@kube-codegen/envtest";
import {
  createResourceClient,
  createRestClient,
  namespaceResource,
  type KubeObject,
  type ResourceDescriptor,
  type RestClient,
} from "@kube-codegen/runtime";
import { REPO } from "../support/paths.js";

interface Dyn {
  object: KubeObject;
  list: { metadata: { resourceVersion?: string }; items: KubeObject[] };
  descriptor: ResourceDescriptor;
}

/** The envtest package's: creates CRDs (files, directories or objects) and waits until they are served. */
export { installCrds };

/** Paths of fixture CRD files. */
export function fixtureCrds(...files: string[]): string[] {
  return files.map((f) => join(REPO, "fixtures/crds", f));
}

/** A fresh namespace with a unique name. */
export async function freshNamespace(rest: RestClient, prefix: string): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
  await createResourceClient<Dyn>(rest, namespaceResource).create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  return name;
}

/** A REST client for the admin context of a kubeconfig. */
export const adminRest = (kubeconfigPath: string): RestClient => createRestClient({ kubeconfigPath, context: "admin" });
