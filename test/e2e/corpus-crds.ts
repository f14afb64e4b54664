import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { ApiStatusError, createValidator, type RestClient, type Validator } from "@kube-codegen/runtime";
import { validationSchema } from "../../generator/src/model/validation.js";
import { SHARED_CRDS } from "../support/paths.js";
import type { Schema } from "../support/schema-arbitrary.js";

/** YAML files under a folder, recursively. */
export const yamlFiles = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [join(d, e.name)] : []));

/** One served version of a corpus CRD: its schema, a validator from it, and how to reach it. */
export interface ServedVersion {
  readonly crd: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly schema: Schema;
  readonly validator: Validator<unknown>;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly status: boolean;
  /** Why the server cannot take objects of this version here (a conversion webhook it lacks). */
  readonly unservable?: string;
}

/**
 * The union's CRDs, then those of other variants the union leaves out (argo-workflows' minimal
 * kinds), then `extraTexts`: their texts, and every served version by `apiVersion/kind`.
 */
export function corpusCrds(extraTexts: readonly string[] = []): { texts: string[]; versions: Map<string, ServedVersion> } {
  const unionFiles = readFileSync(join(SHARED_CRDS, "UNION.txt"), "utf8").trim().split("\n");
  const crdName = (f: string): string => String((parseAllDocuments(readFileSync(join(SHARED_CRDS, f), "utf8"))[0]?.toJS() as { metadata?: { name?: string } } | null)?.metadata?.name);
  const inUnion = new Set(unionFiles.map(crdName));
  const others = yamlFiles(SHARED_CRDS).map((f) => relative(SHARED_CRDS, f)).filter((f) => !unionFiles.includes(f) && !inUnion.has(crdName(f)));
  const extra = [...new Map(others.map((f) => [crdName(f), f])).values()];
  const texts = [...[...unionFiles, ...extra].map((f) => readFileSync(join(SHARED_CRDS, f), "utf8")), ...extraTexts];
  const versions = new Map<string, ServedVersion>();
  for (const text of texts) {
    for (const d of parseAllDocuments(text)) {
      const crd = d.toJS() as { kind?: string; metadata: { name: string }; spec: { group: string; scope: string; names: { kind: string; plural: string }; conversion?: { strategy?: string }; versions: { name: string; served?: boolean; storage?: boolean; schema?: { openAPIV3Schema?: Schema }; subresources?: { status?: unknown } }[] } };
      if (crd?.kind !== "CustomResourceDefinition") continue;
      for (const v of crd.spec.versions) {
        if (v.served === false) continue;
        const apiVersion = `${crd.spec.group}/${v.name}`;
        const raw = v.schema?.openAPIV3Schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true };
        const { schema } = validationSchema(raw as never, { apiVersion, kind: crd.spec.names.kind });
        const webhook = crd.spec.conversion?.strategy === "Webhook" && v.storage !== true;
        versions.set(`${apiVersion}/${crd.spec.names.kind}`, {
          crd: crd.metadata.name,
          apiVersion,
          kind: crd.spec.names.kind,
          schema: raw,
          validator: createValidator(`${crd.spec.names.kind} (${apiVersion})`, JSON.stringify(schema)),
          plural: crd.spec.names.plural,
          namespaced: crd.spec.scope === "Namespaced",
          status: v.subresources?.status !== undefined,
          ...(webhook ? { unservable: "conversion webhook" } : {}),
        });
      }
    }
  }
  return { texts, versions };
}

/** The collection path of a served version (in `ns` when namespaced). */
export const collectionPath = (v: ServedVersion, ns: string): string => `/apis/${v.apiVersion}/${v.namespaced ? `namespaces/${ns}/` : ""}${v.plural}`;

/** The server's verdict on a create (dryRun unless `persist`) or an update of `name` (always dryRun). */
export async function serverVerdict(rest: RestClient, v: ServedVersion, ns: string, obj: unknown, how: { readonly update?: string; readonly persist?: boolean } = {}): Promise<{ accepted: boolean; message: string; stored?: unknown }> {
  try {
    const stored =
      how.update !== undefined
        ? await rest.request({ verb: "update", method: "PUT", path: `${collectionPath(v, ns)}/${how.update}`, query: { dryRun: "All" }, body: obj })
        : await rest.request({ verb: "create", method: "POST", path: collectionPath(v, ns), query: how.persist === true ? {} : { dryRun: "All" }, body: obj });
    return { accepted: true, message: "", stored };
  } catch (err) {
    if (err instanceof ApiStatusError && (err.code === 422 || err.code === 400)) return { accepted: false, message: err.message.replace(/^.*? is invalid: /, "") };
    throw err;
  }
}

/** Runs `fn` over the items, `n` at a time. */
export async function inParallel<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await fn(next);
  };
  await Promise.all(Array.from({ length: n }, worker));
}
