import { expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { SHARED } from "../support/paths.js";
import { inParallel, serverVerdict, yamlFiles } from "./corpus-crds.js";
import type { CorpusContext } from "./validator-differential.js";

/**
 * The upstream example objects in ../shared/fixtures/samples (645: 529 examples, 116 under
 * <project>/invalid/ that upstream expects refused), each validated by a validator made from the
 * corpus CRDs and sent to the real API server (dryRun create); the verdicts must be the same.
 */
const SAMPLES = join(SHARED, "fixtures/samples");
type Obj = Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: Record<string, unknown> };

/** Registers the example-objects test in the surrounding describe. */
export function samplesTest(context: () => CorpusContext): void {
  test("every example object gets the server's verdict", async () => {
    const { rest, ns, versions } = context();
    const objects: { file: string; obj: Obj }[] = [];
    for (const f of yamlFiles(SAMPLES)) {
      for (const d of parseAllDocuments(readFileSync(f, "utf8"))) {
        const obj = d.toJS() as Obj | null;
        if (obj?.apiVersion !== undefined) objects.push({ file: relative(SAMPLES, f), obj });
      }
    }
    expect(objects).toHaveLength(645);
    expect(objects.filter((o) => o.file.includes("/invalid/"))).toHaveLength(116);
    const differ: string[] = [];
    const skipped: string[] = [];
    const missing: string[] = [];
    let agree = 0;
    let refused = 0;
    await inParallel(objects, 8, async ({ file, obj }) => {
      const v = versions.get(`${obj.apiVersion}/${obj.kind}`);
      if (v === undefined) return void missing.push(`${file}: ${obj.apiVersion} ${obj.kind}`);
      if (v.unservable !== undefined) return void skipped.push(`${file}: ${obj.apiVersion} ${obj.kind} (${v.unservable})`);
      // As the server does on create: status is dropped where it is a subresource; the namespace is ours.
      const sent: Obj = { ...obj, metadata: { ...obj.metadata, ...(v.namespaced ? { namespace: ns } : {}) } };
      if (v.status) delete sent["status"];
      if (!v.namespaced && sent.metadata !== undefined) delete sent.metadata["namespace"];
      const asked = await serverVerdict(rest, v, ns, sent);
      const ours = v.validator.validate(sent);
      if (!asked.accepted) refused++;
      if (ours.valid === asked.accepted) agree++;
      else differ.push(`${file} ${obj.kind}/${String(obj.metadata?.["name"] ?? obj.metadata?.["generateName"])}: server ${asked.accepted ? "accepts" : `refuses (${asked.message.slice(0, 300)})`}, validator ${ours.valid ? "accepts" : `refuses (${ours.problems.map((p) => p.text).join("; ").slice(0, 300)})`}`);
    });
    process.stderr.write(`[samples] ${agree} of ${agree + differ.length} objects get the server's verdict (${refused} refused by the server); ${skipped.length} not sent (conversion webhook); ${missing.length} of kinds not served\n`);
    for (const line of [...skipped, ...missing]) process.stderr.write(`[samples]   ${line}\n`);
    expect(differ).toEqual([]);
    expect(missing).toEqual([]);
    // The versions that need a conversion webhook are the only ones not sent.
    expect(skipped.every((s) => s.endsWith("(conversion webhook)"))).toBe(true);
    expect(agree + skipped.length).toBe(645);
  }, 300_000);
}
