import { beforeAll, expect, test } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { ApiStatusError, createRestClient, createValidator, loadKubeConfig, type RestClient, type Validator } from "@kube-codegen/runtime";
import { validationSchema } from "../../generator/src/model/validation.js";
import { IN_CI, SHARED, SHARED_CRDS, sharedFixtures } from "../support/paths.js";
import { describeE2E } from "../support/e2e.js";
import { freshNamespace, installCrds } from "./support.js";

/**
 * The upstream example objects in ../shared/fixtures/samples (645: 529 examples, 116 under
 * <project>/invalid/ that upstream expects refused), each validated by a validator made from the
 * union's CRDs and sent to the real API server (dryRun create); the verdicts must be the same.
 */
const SAMPLES = join(SHARED, "fixtures/samples");
const shared = sharedFixtures();
const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [join(d, e.name)] : []));
type Obj = Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: Record<string, unknown> };
interface Served {
  readonly validator: Validator<unknown>;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly status: boolean;
  /** Why the server cannot take objects of this version here (a conversion webhook it lacks). */
  readonly unservable?: string;
}

if (!shared.available && !IN_CI) process.stderr.write(`validator samples suite skipped: ${shared.reason}\n`);

describeE2E("validators agree with the API server on the upstream example objects", (server) => {
  let rest: RestClient;
  let ns: string;
  const served = new Map<string, Served>();
  // The union, then the CRDs of other variants that the union leaves out (argo-workflows' minimal kinds).
  const unionFiles = shared.available ? readFileSync(join(SHARED_CRDS, "UNION.txt"), "utf8").trim().split("\n") : [];
  const crdName = (f: string): string => String((parseAllDocuments(readFileSync(join(SHARED_CRDS, f), "utf8"))[0]?.toJS() as { metadata?: { name?: string } } | null)?.metadata?.name);
  const inUnion = new Set(unionFiles.map(crdName));
  const others = shared.available ? files(SHARED_CRDS).map((f) => relative(SHARED_CRDS, f)).filter((f) => !unionFiles.includes(f) && !inUnion.has(crdName(f))) : [];
  const extra = [...new Map(others.map((f) => [crdName(f), f])).values()];
  const texts = [...unionFiles, ...extra].map((f) => readFileSync(join(SHARED_CRDS, f), "utf8"));
  beforeAll(async () => {
    rest = createRestClient(loadKubeConfig({ kubeconfigPath: server.kubeconfigPath }));
    for (const text of texts) {
      for (const d of parseAllDocuments(text)) {
        const crd = d.toJS() as { kind?: string; spec: { group: string; scope: string; names: { kind: string; plural: string }; conversion?: { strategy?: string }; versions: { name: string; storage?: boolean; schema?: { openAPIV3Schema?: Record<string, unknown> }; subresources?: { status?: unknown } }[] } };
        if (crd?.kind !== "CustomResourceDefinition") continue;
        for (const v of crd.spec.versions) {
          const apiVersion = `${crd.spec.group}/${v.name}`;
          const { schema } = validationSchema((v.schema?.openAPIV3Schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true }) as never, { apiVersion, kind: crd.spec.names.kind });
          const webhook = crd.spec.conversion?.strategy === "Webhook" && v.storage !== true;
          served.set(`${apiVersion}/${crd.spec.names.kind}`, {
            validator: createValidator(`${crd.spec.names.kind} (${apiVersion})`, JSON.stringify(schema)),
            plural: crd.spec.names.plural,
            namespaced: crd.spec.scope === "Namespaced",
            status: v.subresources?.status !== undefined,
            ...(webhook ? { unservable: "conversion webhook" } : {}),
          });
        }
      }
    }
    await installCrds(rest, texts);
    ns = await freshNamespace(rest, "samples");
  }, 300_000);

  async function serverVerdict(s: Served, obj: Obj): Promise<{ accepted: boolean; message: string }> {
    const [group, version] = (obj.apiVersion ?? "").split("/");
    const path = `/apis/${group}/${version}/${s.namespaced ? `namespaces/${ns}/` : ""}${s.plural}`;
    try {
      await rest.request({ verb: "create", method: "POST", path, query: { dryRun: "All" }, body: obj });
      return { accepted: true, message: "" };
    } catch (err) {
      if (err instanceof ApiStatusError && (err.code === 422 || err.code === 400)) return { accepted: false, message: err.message };
      throw err;
    }
  }

  test("every example object gets the server's verdict", async () => {
    const objects: { file: string; invalid: boolean; obj: Obj }[] = [];
    for (const f of files(SAMPLES)) {
      for (const d of parseAllDocuments(readFileSync(f, "utf8"))) {
        const obj = d.toJS() as Obj | null;
        if (obj?.apiVersion !== undefined) objects.push({ file: relative(SAMPLES, f), invalid: f.includes("/invalid/"), obj });
      }
    }
    expect(objects).toHaveLength(645);
    const differ: string[] = [];
    const skipped: string[] = [];
    const missing: string[] = [];
    let agree = 0;
    let refused = 0;
    const queue = [...objects];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const { file, obj } = next;
        const s = served.get(`${obj.apiVersion}/${obj.kind}`);
        if (s === undefined) {
          missing.push(`${file}: ${obj.apiVersion} ${obj.kind}`);
          continue;
        }
        if (s.unservable !== undefined) {
          skipped.push(`${file}: ${obj.apiVersion} ${obj.kind} (${s.unservable})`);
          continue;
        }
        // As the server does on create: status is dropped where it is a subresource; the namespace is ours.
        const sent: Obj = { ...obj, metadata: { ...obj.metadata, ...(s.namespaced ? { namespace: ns } : {}) } };
        if (s.status) delete sent["status"];
        if (!s.namespaced && sent.metadata !== undefined) delete sent.metadata["namespace"];
        const asked = await serverVerdict(s, sent);
        const ours = s.validator.validate(sent);
        if (!asked.accepted) refused++;
        if (ours.valid === asked.accepted) agree++;
        else differ.push(`${file} ${obj.kind}/${String(obj.metadata?.["name"] ?? obj.metadata?.["generateName"])}: server ${asked.accepted ? "accepts" : `refuses (${asked.message.slice(0, 300)})`}, validator ${ours.valid ? "accepts" : `refuses (${ours.problems.map((p) => p.text).join("; ").slice(0, 300)})`}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    process.stderr.write(`[samples] ${agree} of ${agree + differ.length} objects get the server's verdict (${refused} refused by the server); ${skipped.length} not sent (conversion webhook); ${missing.length} of kinds the union does not serve\n`);
    for (const line of [...skipped, ...missing]) process.stderr.write(`[samples]   ${line}\n`);
    expect(differ).toEqual([]);
    expect(agree + skipped.length + missing.length).toBe(645);
  }, 300_000);
});
