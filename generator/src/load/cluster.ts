import {
  ApiStatusError,
  TransportError,
  createResourceClient,
  createRestClient,
  customResourceDefinitionResource,
  isForbidden,
  isUnauthorized,
  type KubeObject,
} from "@kube-codegen/runtime";
import { CodegenError, InputError } from "../errors.js";
import { nameGlob } from "../glob.js";
import type { SourceText } from "./sources.js";

/** Where and what to read from a cluster. */
export interface ClusterSelection {
  readonly kubeconfig?: string | undefined;
  readonly context?: string | undefined;
  /** Group names or globs (`*.cert-manager.io`); none = every group. */
  readonly groups?: readonly string[] | undefined;
  /** CRD names or globs (`certificates.*`); none = every CRD. */
  readonly crds?: readonly string[] | undefined;
}

const CRD_RESOURCE = customResourceDefinitionResource;

interface CrdObject extends KubeObject {
  spec?: { group?: string };
  status?: unknown;
}

interface CrdKind {
  object: CrdObject;
  list: { metadata: { resourceVersion?: string }; items: CrdObject[] };
  descriptor: typeof CRD_RESOURCE;
}

/** Annotations the server or kubectl put on objects, not the CRD author. */
const NOISE_ANNOTATIONS = new Set(["kubectl.kubernetes.io/last-applied-configuration"]);

/**
 * Reads the selected CustomResourceDefinitions from a cluster (paginated list), without the
 * fields the server fills in (status, uid, resourceVersion, managedFields, timestamps). Each one
 * comes back as a source named `cluster:<name>`, sorted by name, for the usual pipeline.
 */
export async function readClusterCrds(
  selection: ClusterSelection,
  progress: (message: string) => void,
): Promise<{ sources: SourceText[]; objects: KubeObject[]; storedVersions: Map<string, string[]> }> {
  let rest;
  try {
    rest = createRestClient({ kubeconfigPath: selection.kubeconfig, context: selection.context, timeoutMs: 15_000 } as Parameters<typeof createRestClient>[0]);
  } catch (err) {
    throw new CodegenError(`cannot load the kubeconfig${selection.kubeconfig !== undefined ? ` ${selection.kubeconfig}` : ""}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  progress(`connecting to ${rest.server}${selection.context !== undefined ? ` (context ${selection.context})` : ""}`);
  const all: CrdObject[] = [];
  try {
    const client = createResourceClient<CrdKind>(rest, CRD_RESOURCE);
    for await (const page of client.listAll({ limit: 100 })) {
      if (page.restarted) all.length = 0;
      all.push(...page.items);
    }
  } catch (err) {
    throw clusterError(err, rest.server);
  } finally {
    rest.close();
  }
  const groups = (selection.groups ?? []).map(nameGlob);
  const names = (selection.crds ?? []).map(nameGlob);
  const kept = all
    .filter((c) => groups.length === 0 || groups.some((g) => g.test(c.spec?.group ?? "")))
    .filter((c) => names.length === 0 || names.some((n) => n.test(c.metadata.name ?? "")))
    .sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1));
  progress(`read ${all.length} CustomResourceDefinitions, kept ${kept.length}`);
  if (kept.length === 0) {
    const existing = [...new Set(all.map((c) => c.spec?.group ?? ""))].sort();
    const filter = [...(selection.groups ?? []).map((g) => `--group ${g}`), ...(selection.crds ?? []).map((n) => `--crd ${n}`)].join(" ");
    throw new InputError(
      `no CustomResourceDefinition on ${rest.server} matches ${filter || "(no filter)"}; the groups there are: ${existing.length > 0 ? existing.join(", ") : "(none)"}`,
    );
  }
  const objects = kept.map(cleanCrd);
  const storedVersions = new Map(kept.map((c) => [c.metadata.name ?? "", storedVersionsOf(c)]));
  return { sources: objects.map((o) => ({ name: `cluster:${o.metadata.name ?? ""}`, text: JSON.stringify(o) })), objects, storedVersions };
}

function storedVersionsOf(crd: CrdObject): string[] {
  const status = crd.status;
  if (typeof status !== "object" || status === null || !("storedVersions" in status)) return [];
  const list = (status as { storedVersions?: unknown }).storedVersions;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === "string") : [];
}

/** The CRD as its author wrote it: no status and none of the fields the server fills in. */
export function cleanCrd(crd: CrdObject): KubeObject {
  const meta = crd.metadata;
  const metadata: Record<string, unknown> = { name: meta.name };
  if (meta.labels !== undefined && Object.keys(meta.labels).length > 0) metadata["labels"] = meta.labels;
  const annotations = Object.fromEntries(Object.entries(meta.annotations ?? {}).filter(([k]) => !NOISE_ANNOTATIONS.has(k)));
  if (Object.keys(annotations).length > 0) metadata["annotations"] = annotations;
  return { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata, spec: crd.spec } as KubeObject;
}

function clusterError(err: unknown, server: string): CodegenError {
  if (isForbidden(err)) {
    const who = err instanceof ApiStatusError ? err.status.message ?? "" : "";
    return new CodegenError(
      `forbidden: the kubeconfig's user may not list customresourcedefinitions.apiextensions.k8s.io at cluster scope on ${server}. ` +
        `It needs the RBAC permission: verbs [list] on resource customresourcedefinitions in apiGroup apiextensions.k8s.io (a ClusterRole). Server said: ${who}`,
    );
  }
  if (isUnauthorized(err)) return new CodegenError(`unauthorized (401) at ${server}: the kubeconfig's credentials were refused (expired token or wrong user?)`);
  if (err instanceof TransportError) return new CodegenError(`cannot reach the cluster: ${err.message.replace(/^\S+ \S+: /, "")}`);
  if (err instanceof ApiStatusError) return new CodegenError(`listing CustomResourceDefinitions on ${server} failed: ${err.message}`);
  return new CodegenError(`listing CustomResourceDefinitions on ${server} failed: ${err instanceof Error ? err.message : String(err)}`);
}
