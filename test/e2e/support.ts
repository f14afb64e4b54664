import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as yaml from "js-yaml";
import {
  createResourceClient,
  createRestClient,
  customResourceDefinitionResource as crdResource,
  isAlreadyExists,
  namespaceResource,
  type KubeObject,
  type ResourceDescriptor,
  type RestClient,
} from "@kube-codegen/runtime";
import { REPO } from "../support/paths.js";

interface Dyn {
  object: KubeObject & { status?: { conditions?: { type: string; status: string }[] } };
  list: { metadata: { resourceVersion?: string }; items: (KubeObject & { status?: { conditions?: { type: string; status: string }[] } })[] };
  descriptor: ResourceDescriptor;
}

/** Installs CRDs (from YAML texts), ignoring ones that exist, and waits until all are Established. */
export async function installCrds(rest: RestClient, texts: readonly string[]): Promise<string[]> {
  const crds = createResourceClient<Dyn>(rest, crdResource);
  const names: string[] = [];
  for (const text of texts) {
    for (const doc of yaml.loadAll(text)) {
      const obj = doc as KubeObject;
      if (obj?.kind !== "CustomResourceDefinition") continue;
      names.push(obj.metadata.name ?? "");
      try {
        await crds.create(obj);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
  }
  const deadline = Date.now() + 30_000;
  for (const name of names) {
    for (;;) {
      const crd = await crds.get(name);
      if (crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} not Established after 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // Discovery of a just-established CRD may lag a little behind.
  await new Promise((r) => setTimeout(r, 300));
  return names;
}

/** The fixture CRD files' texts. */
export function fixtureCrds(...files: string[]): string[] {
  return files.map((f) => readFileSync(join(REPO, "fixtures/crds", f), "utf8"));
}

/** A fresh namespace with a unique name. */
export async function freshNamespace(rest: RestClient, prefix: string): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
  await createResourceClient<Dyn>(rest, namespaceResource).create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  return name;
}

/** A REST client for the admin context of a kubeconfig. */
export const adminRest = (kubeconfigPath: string): RestClient => createRestClient({ kubeconfigPath, context: "admin" });
