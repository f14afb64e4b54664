import { expect, test } from "@jest/globals";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import * as yaml from "js-yaml";
import { InputError } from "../../generator/src/errors.js";
import { generateFromSources } from "../../generator/src/generate.js";
import { httpsRequest } from "@kube-codegen/envtest";
import { mutantArbitrary, type Json, type Mutant } from "../support/crd-mutations.js";
import { describeE2E } from "../support/e2e.js";
import { IN_CI, REPO, SHARED_CRDS, sharedFixtures } from "../support/paths.js";

type Obj = { [key: string]: Json };

/** The apiserver's answer when it dropped the connection on every try (it crashed on the mutant). */
const CRASHED = "\u0000crashed";

/**
 * Where the generator deliberately says otherwise than the API server: each disagreement must be
 * of one of these classes, told apart by the server's answer.
 */
const DOCUMENTED: readonly { readonly why: string; readonly test: (mine: string | undefined, theirs: string | undefined) => boolean }[] = [
  {
    // CEL rules are compiled and costed by the server only: a schema change that makes a rule fail
    // to compile or exceed the cost budget (x-kubernetes-int-or-string turns a field into dyn) is
    // refused there and accepted here.
    why: "CEL compilation and cost budget are not modelled",
    test: (mine, theirs) => mine === undefined && theirs !== undefined && /estimated rule cost exceeds budget|compilation failed|undefined field|no matching overload/.test(theirs),
  },
];

/** The seed CRDs: our fixtures and every sixth union CRD of the shared corpus by size (small to large). */
function seeds(): Obj[] {
  const out: Obj[] = [];
  const add = (text: string): void => {
    for (const doc of yaml.loadAll(text)) if ((doc as Obj | null)?.["kind"] === "CustomResourceDefinition") out.push(doc as Obj);
  };
  const fixtures = join(REPO, "fixtures/crds");
  for (const f of readdirSync(fixtures).sort()) if (f.endsWith(".yaml")) add(readFileSync(join(fixtures, f), "utf8"));
  if (sharedFixtures().available) {
    const union = readFileSync(join(SHARED_CRDS, "UNION.txt"), "utf8").split("\n").filter((l) => l.trim() !== "");
    const bySize = union.map((f) => join(SHARED_CRDS, f)).sort((a, b) => statSync(a).size - statSync(b).size);
    bySize.filter((_f, i) => i % 6 === 0).forEach((f) => add(readFileSync(f, "utf8")));
  }
  return out;
}

/** The generator's verdict: undefined when it generates, else its message. */
async function ours(crd: Obj): Promise<string | undefined> {
  try {
    await generateFromSources([{ name: "mutant.json", text: JSON.stringify(crd) }], { out: "/nonexistent", format: "never" });
    return undefined;
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
}

describeE2E("CRD validation agrees with the API server (dryRun create)", (server) => {
  const post = async (crd: Obj, tries = 3): Promise<{ status: number; body: string }> => {
    try {
      return await httpsRequest(`${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All`, { caPem: server.caPem, token: server.adminToken, method: "POST", body: crd });
    } catch (err) {
      // A connection the busy apiserver dropped (one TLS connection per request here): try again.
      // Some mutants make this apiserver drop the connection every time (patternProperties deep
      // in cert-manager's Challenge does): that is a refusal too, though not a tidy one.
      if (tries <= 1) return { status: 0, body: `the API server dropped the connection: ${err instanceof Error ? err.message : String(err)}` };
      await new Promise((r) => setTimeout(r, 500));
      return post(crd, tries - 1);
    }
  };
  const create = async (crd: Obj): Promise<string | undefined> => {
    const r = await post(crd);
    // 409: valid, but a CRD of that name is installed already (validation runs before storage).
    if (r.status === 201 || r.status === 200 || r.status === 409) return undefined;
    if (r.status === 400 || r.status === 422) return (JSON.parse(r.body) as { message?: string }).message ?? r.body;
    if (r.status === 0) return CRASHED;
    throw new Error(`unexpected ${r.status} from the API server: ${r.body.slice(0, 300)}`);
  };

  test("every seed is accepted by both", async () => {
    if (IN_CI) expect(sharedFixtures().available).toBe(true);
    for (const s of seeds()) {
      expect([String((s["metadata"] as Obj)["name"]), await ours(s)]).toEqual([String((s["metadata"] as Obj)["name"]), undefined]);
      expect(await create(s)).toBeUndefined();
    }
  }, 300_000);

  test("mutants: the same verdict, or a documented difference", async () => {
    // A fixed seed keeps CI repeatable; KUBE_CODEGEN_MUTANTS and KUBE_CODEGEN_MUTANT_SEED explore further.
    const runs = Number(process.env["KUBE_CODEGEN_MUTANTS"] ?? 600);
    const seed = Number(process.env["KUBE_CODEGEN_MUTANT_SEED"] ?? 20261201);
    const mutants: Mutant[] = fc.sample(mutantArbitrary(seeds()), { numRuns: runs, seed });
    const disagreements: string[] = [];
    let agreed = 0;
    let refusedByBoth = 0;
    const crashed: string[] = [];
    const explained: string[] = [];
    for (const m of mutants) {
      const [mine, theirs] = [await ours(m.crd), await create(m.crd)];
      // A crash is no verdict: counted apart (it happened for a few mutants, e.g. patternProperties
      // deep in cert-manager's Challenge, or x-kubernetes-int-or-string on an array).
      if (theirs === CRASHED) {
        crashed.push(`${m.what} (generator: ${mine === undefined ? "accepted" : "refused"})`);
        continue;
      }
      if ((mine === undefined) === (theirs === undefined)) {
        agreed++;
        if (mine !== undefined) refusedByBoth++;
        continue;
      }
      const documented = DOCUMENTED.find((d) => d.test(mine, theirs));
      if (documented !== undefined) {
        explained.push(`${documented.why}: ${m.what}`);
        continue;
      }
      disagreements.push(`${m.what}\n    generator: ${mine ?? "accepted"}\n    apiserver: ${theirs ?? "accepted"}`);
    }
    const judged = mutants.length - crashed.length;
    process.stderr.write(`[crd-validation] ${mutants.length} mutants: ${agreed} of ${judged} judged got the same verdict (${refusedByBoth} refused by both), ${((100 * agreed) / judged).toFixed(2)} % agreement; ${disagreements.length} undocumented disagreements, ${explained.length} documented ones${explained.length > 0 ? ` (${explained.join("; ")})` : ""}; the apiserver dropped the connection on ${crashed.length}${crashed.length > 0 ? `:\n  ${crashed.join("\n  ")}` : ""}\n`);
    expect(disagreements).toEqual([]);
  }, 600_000);
});
