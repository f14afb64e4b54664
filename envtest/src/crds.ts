import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import * as yaml from "js-yaml";
import {
  createResourceClient,
  customResourceDefinitionResource,
  isAlreadyExists,
  isNotFound,
  type KubeObject,
  type ResourceDescriptor,
  type RestClient,
} from "@kube-codegen/runtime";

/**
 * A CRD to install: a file or directory of YAML/JSON (multi-document, `List` wrappers), the YAML
 * text itself (a string of several lines), or an object.
 */
export type CrdSource = string | object;

interface Crd extends KubeObject {
  spec: { group: string; names: { plural: string }; versions: { name: string; served?: boolean }[] };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

interface CrdKind {
  object: Crd;
  list: { metadata: { resourceVersion?: string }; items: Crd[] };
  descriptor: ResourceDescriptor;
}

/** Options of {@link installCrds}. */
export interface InstallCrdsOptions {
  /** How long to wait for every CRD to be Established and served (default 30 s). */
  readonly timeoutMs?: number | undefined;
}

/** The error for a CRD source that cannot be read, or a CRD that does not become ready. */
export class EnvtestError extends Error {
  override name = "EnvtestError";
}

function filesOf(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new EnvtestError(`CRD source ${path} does not exist`);
  }
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => [".yaml", ".yml", ".json"].includes(extname(f)))
    .sort()
    .flatMap((f) => filesOf(join(path, f)));
}

/** The CRD objects of the sources, in order; other documents are skipped. */
export function readCrds(sources: readonly CrdSource[]): Crd[] {
  const out: Crd[] = [];
  const take = (doc: unknown, where: string): void => {
    if (typeof doc !== "object" || doc === null) return;
    const o = doc as { kind?: unknown; items?: unknown };
    if (o.kind === "List" && Array.isArray(o.items)) {
      for (const item of o.items) take(item, where);
      return;
    }
    if (o.kind !== "CustomResourceDefinition") return;
    const crd = doc as Crd;
    if (typeof crd.metadata?.name !== "string" || typeof crd.spec?.group !== "string") throw new EnvtestError(`${where}: a CustomResourceDefinition without metadata.name or spec.group`);
    out.push(crd);
  };
  for (const source of sources) {
    if (typeof source !== "string") {
      take(source, "a CRD object");
      continue;
    }
    // A path has no line breaks; text with them is the YAML itself (as read from a file by the caller).
    if (source.includes("\n")) {
      let docs: unknown[];
      try {
        docs = yaml.loadAll(source);
      } catch (err) {
        throw new EnvtestError(`CRD text: not YAML or JSON: ${(err as Error).message}`);
      }
      docs.forEach((d, i) => take(d, `CRD text (document ${i + 1})`));
      continue;
    }
    for (const file of filesOf(source)) {
      let docs: unknown[];
      try {
        docs = yaml.loadAll(readFileSync(file, "utf8"));
      } catch (err) {
        throw new EnvtestError(`${file}: not YAML or JSON: ${(err as Error).message}`);
      }
      docs.forEach((d, i) => take(d, `${file} (document ${i + 1})`));
    }
  }
  return out;
}

/**
 * Creates the CRDs (or replaces the spec of ones that exist), then waits until every one is
 * Established and its served versions are in discovery, so that clients can use them at once.
 * Returns the CRD names.
 */
export async function installCrds(rest: RestClient, sources: readonly CrdSource[], options: InstallCrdsOptions = {}): Promise<string[]> {
  const crds = createResourceClient<CrdKind>(rest, customResourceDefinitionResource);
  const wanted = readCrds(sources);
  for (const crd of wanted) {
    const { resourceVersion: _rv, ...metadata } = crd.metadata;
    try {
      const { status: _s, ...fresh } = crd;
      await crds.create({ ...fresh, metadata });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const live = await crds.get(crd.metadata.name ?? "");
      await crds.update({ ...live, spec: crd.spec });
    }
  }
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const wait = async (what: string, ready: () => Promise<boolean>): Promise<void> => {
    while (!(await ready())) {
      if (Date.now() > deadline) throw new EnvtestError(`${what} after ${options.timeoutMs ?? 30_000} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  for (const crd of wanted) {
    const name = crd.metadata.name ?? "";
    let last: Crd | undefined;
    await wait(`CRD ${name} is not Established`, async () => {
      last = await crds.get(name);
      const conditions = last.status?.conditions ?? [];
      const refused = conditions.find((c) => c.type === "NamesAccepted" && c.status === "False");
      if (refused !== undefined) throw new EnvtestError(`CRD ${name}: names not accepted: ${refused.message ?? refused.reason ?? ""}`);
      return conditions.some((c) => c.type === "Established" && c.status === "True");
    });
    for (const v of crd.spec.versions.filter((x) => x.served !== false)) {
      await wait(`${crd.spec.names.plural}.${crd.spec.group}/${v.name} is not in discovery`, async () => {
        try {
          const list = await rest.request<{ resources?: { name: string }[] }>({ verb: "get", method: "GET", path: `/apis/${crd.spec.group}/${v.name}` });
          return (list.resources ?? []).some((r) => r.name === crd.spec.names.plural);
        } catch (err) {
          if (isNotFound(err)) return false;
          throw err;
        }
      });
    }
  }
  return wanted.map((c) => c.metadata.name ?? "");
}
