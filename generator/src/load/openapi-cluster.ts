import { ApiStatusError, TransportError, createRestClient, isForbidden, isUnauthorized, type RestClient } from "@kube-codegen/runtime";
import { CodegenError, InputError } from "../errors.js";
import type { SourceText } from "./sources.js";

/** Where to read OpenAPI v3 from, and which group versions. */
export interface OpenApiClusterSelection {
  readonly kubeconfig?: string | undefined;
  readonly context?: string | undefined;
}

interface OpenApiIndex {
  paths?: Record<string, { serverRelativeURL?: string }>;
}

/**
 * Reads the cluster's OpenAPI v3 documents: the index (`GET /openapi/v3`), then every
 * group-version document it lists (`api/v1`, `apis/<group>/<version>`) at its
 * `serverRelativeURL`. Each comes back as a source named `cluster:/openapi/v3/<path>`, sorted.
 * (All of them: a group version's types may be used by another's; `--group` narrows the clients.)
 */
export async function readClusterOpenApi(selection: OpenApiClusterSelection, progress: (message: string) => void): Promise<SourceText[]> {
  let rest: RestClient;
  try {
    rest = createRestClient({ kubeconfigPath: selection.kubeconfig, context: selection.context, timeoutMs: 30_000 });
  } catch (err) {
    throw new CodegenError(`cannot load the kubeconfig${selection.kubeconfig !== undefined ? ` ${selection.kubeconfig}` : ""}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  progress(`connecting to ${rest.server}${selection.context !== undefined ? ` (context ${selection.context})` : ""}`);
  try {
    const index = await rest.request<OpenApiIndex>({ verb: "get", method: "GET", path: "/openapi/v3" });
    const entries = Object.entries(index.paths ?? {})
      .filter(([p]) => /^api\/v[^/]+$|^apis\/[^/]+\/[^/]+$/.test(p))
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (entries.length === 0) throw new InputError(`${rest.server}/openapi/v3 lists no group-version documents (is this a Kubernetes API server of 1.27 or later?)`);
    const sources: SourceText[] = [];
    for (const [path, entry] of entries) {
      const url = entry.serverRelativeURL ?? `/openapi/v3/${path}`;
      const [urlPath, query] = url.split("?", 2);
      const params = Object.fromEntries(new URLSearchParams(query ?? ""));
      const text = await rest.request<string>({ verb: "get", method: "GET", path: urlPath ?? url, query: params, responseType: "text" });
      sources.push({ name: `cluster:/openapi/v3/${path}`, text });
    }
    progress(`read ${sources.length} OpenAPI v3 documents`);
    return sources;
  } catch (err) {
    throw openApiError(err, rest.server);
  } finally {
    rest.close();
  }
}

function openApiError(err: unknown, server: string): Error {
  if (err instanceof CodegenError) return err;
  if (isForbidden(err)) return new CodegenError(`forbidden: the kubeconfig's user may not read /openapi/v3 on ${server} (it needs the nonResourceURLs "/openapi", "/openapi/*" with verb get; system:discovery grants it)`);
  if (isUnauthorized(err)) return new CodegenError(`unauthorized (401) at ${server}: the kubeconfig's credentials were refused (expired token or wrong user?)`);
  if (err instanceof TransportError) return new CodegenError(`cannot reach the cluster: ${err.message.replace(/^\S+ \S+: /, "")}`);
  if (err instanceof ApiStatusError) return new CodegenError(`reading OpenAPI v3 from ${server} failed: ${err.message}`);
  return new CodegenError(`reading OpenAPI v3 from ${server} failed: ${err instanceof Error ? err.message : String(err)}`);
}
