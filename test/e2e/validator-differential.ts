import { expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as fc from "fast-check";
import { parseAllDocuments } from "yaml";
import type { RestClient } from "@kube-codegen/runtime";
import { SHARED } from "../support/paths.js";
import { minimalOf, mutantOf, objectAlong, ruleNodes, valueAt, valueOf, variantsOf, type Step } from "../support/schema-arbitrary.js";
import { inParallel, serverVerdict, yamlFiles, type ServedVersion } from "./corpus-crds.js";

/**
 * Differential test of the validators against the real API server. For every served version of
 * the corpus CRDs (and the repo's validation fixture) with CEL rules: objects generated from the
 * schema with fast-check (fixed seeds) that reach each rule's node, steered to both sides of the
 * rule by the validator's own verdict (one it accepts, one its rule refuses, one refused for another
 * reason, where the samples hold them); mutations of the upstream example objects; and for
 * transition rules, updates of a stored object. Each goes to the validator and, with dryRun, to the
 * server. Agreement is reported per CRD and in total (BENCHMARKS.md).
 */

type Obj = Record<string, unknown>;
interface Trial {
  readonly v: ServedVersion;
  readonly obj: Obj;
  readonly source: "generated" | "mutant" | "update";
  readonly old?: Obj;
}
const CANDIDATES = 24;
const MUTANTS_PER_EXAMPLE = 2;
const VARIANTS = 30;

/** What the corpus suite hands its tests once its apiserver holds the CRDs. */
export interface CorpusContext {
  readonly rest: RestClient;
  readonly ns: string;
  readonly versions: ReadonlyMap<string, ServedVersion>;
}

/** Registers the differential test in the surrounding describe. */
export function differentialTest(context: () => CorpusContext): void {

  const named = (v: ServedVersion, value: unknown, seed: number): Obj => {
    const obj: Obj = { ...(value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : {}), apiVersion: v.apiVersion, kind: v.kind, metadata: { name: `d-${seed.toString(36)}-${Math.random().toString(36).slice(2, 8)}` } };
    if (v.status) delete obj["status"];
    return obj;
  };
  const ruleProblem = (v: ServedVersion, obj: Obj, rules: { rule: string; message?: string }[]): boolean => {
    const r = v.validator.validate(obj);
    return !r.valid && r.problems.some((p) => rules.some((rule) => p.message === (rule.message ?? `failed rule: ${rule.rule}`)));
  };

  /** An object that `rule` refuses, made from `base` by changing the value at the rule's node. */
  const steerToFalse = (v: ServedVersion, bases: readonly Obj[], steps: readonly Step[], rule: { rule: string; message?: string }, at: number): Obj | undefined => {
    for (const base of bases) {
      const start = valueAt(base, steps);
      if (start === undefined) continue;
      for (const variant of variantsOf(start.get(), at * 1000, VARIANTS)) {
        const copy = structuredClone(base);
        valueAt(copy, steps)?.set(variant);
        if (ruleProblem(v, copy, [rule])) return named(v, copy, at);
      }
    }
    return undefined;
  };

  test("generated objects on both sides of every rule, mutants of the examples, updates for transition rules", async () => {
    const { rest, ns, versions } = context();
    const trials: Trial[] = [];
    let seed = 1;
    let sides = { nodes: 0, rules: 0, accepted: 0, ruleRefused: 0, otherRefused: 0 };
    const transitionNodes: { v: ServedVersion; arb: fc.Arbitrary<unknown> }[] = [];
    // The upstream examples the validator accepts, by kind: bases to steer rules from, and to mutate.
    const examples = new Map<string, Obj[]>();
    for (const f of yamlFiles(join(SHARED, "fixtures/samples"))) {
      if (f.includes("/invalid/")) continue;
      for (const d of parseAllDocuments(readFileSync(f, "utf8"))) {
        const obj = d.toJS() as Obj | null;
        const key = `${String(obj?.["apiVersion"])}/${String(obj?.["kind"])}`;
        const v = versions.get(key);
        if (obj === null || v === undefined || v.unservable !== undefined) continue;
        const sent = named(v, obj, 0);
        if (v.validator.validate(sent).valid) examples.set(key, [...(examples.get(key) ?? []), sent]);
      }
    }
    for (const v of versions.values()) {
      if (v.unservable !== undefined) continue;
      for (const node of ruleNodes(v.schema)) {
        // Half the candidates carry only required fields at the node: fewer other rules to trip over.
        const arb = objectAlong(v.schema, node.steps, fc.oneof(valueOf(node.node, node.steps.length), minimalOf(node.node)));
        const candidates = fc.sample(arb, { seed: seed++, numRuns: CANDIDATES }).map((x, i) => named(v, x, seed * 100 + i));
        const accepted = candidates.find((c) => v.validator.validate(c).valid);
        // One object per rule that the rule refuses (its false side): from the candidates, else from
        // variants of an accepted object's value at the node (a property dropped, a mutant).
        const bases = [...(accepted === undefined ? [] : [accepted]), ...(examples.get(`${v.apiVersion}/${v.kind}`) ?? []).filter((e) => valueAt(e, node.steps) !== undefined).slice(0, 3)];
        const ruleRefused = node.rules.map((rule) => candidates.find((c) => ruleProblem(v, c, [rule])) ?? steerToFalse(v, bases, node.steps, rule, seed++));
        const otherRefused = candidates.find((c) => !ruleRefused.includes(c) && !v.validator.validate(c).valid);
        for (const c of new Set([accepted, ...ruleRefused, otherRefused])) if (c !== undefined) trials.push({ v, obj: c, source: "generated" });
        sides = { nodes: sides.nodes + 1, rules: sides.rules + node.rules.length, accepted: sides.accepted + (accepted ? 1 : 0), ruleRefused: sides.ruleRefused + ruleRefused.filter((c) => c !== undefined).length, otherRefused: sides.otherRefused + (otherRefused ? 1 : 0) };
        if (node.rules.some((r) => /\boldSelf\b/.test(r.rule))) transitionNodes.push({ v, arb });
      }
    }
    // Mutants of the upstream examples.
    for (const [key, objs] of examples) {
      const v = versions.get(key);
      if (v === undefined) continue;
      for (const obj of objs) for (let i = 0; i < MUTANTS_PER_EXAMPLE; i++) trials.push({ v, obj: named(v, mutantOf(obj, seed++), seed), source: "mutant" });
    }
    // Transition rules: store an object the validator accepts, then update it (changed and unchanged).
    await inParallel(transitionNodes, 4, async ({ v, arb }) => {
      const candidates = fc.sample(arb, { seed: seed++, numRuns: CANDIDATES }).map((x, i) => named(v, x, seed * 100 + i));
      for (const c of candidates.filter((x) => v.validator.validate(x).valid).slice(0, 1)) {
        const created = await serverVerdict(rest, v, ns, { ...c, metadata: { ...(c["metadata"] as Obj), namespace: ns } }, { persist: true });
        if (!created.accepted) continue;
        const stored = created.stored as Obj;
        const others = fc.sample(arb, { seed: seed++, numRuns: 3 });
        for (const next of [stored, mutantOf(stored, seed++), ...others.map((o) => ({ ...(o as Obj), apiVersion: v.apiVersion, kind: v.kind, metadata: stored["metadata"] }))]) {
          trials.push({ v, obj: next as Obj, source: "update", old: stored });
        }
      }
    });

    const perCrd = new Map<string, { agree: number; total: number }>();
    const disagreements: { crd: string; source: string; cel: boolean; line: string }[] = [];
    await inParallel(trials, 8, async (t) => {
      const name = String((t.obj["metadata"] as Obj | undefined)?.["name"] ?? "");
      const sent = t.v.namespaced ? { ...t.obj, metadata: { ...(t.obj["metadata"] as Obj), namespace: ns } } : t.obj;
      const asked = await serverVerdict(rest, t.v, ns, sent, t.old !== undefined ? { update: name } : {});
      const ours = t.v.validator.validate(sent, t.old !== undefined ? { old: t.old } : {});
      const c = perCrd.get(t.v.crd) ?? { agree: 0, total: 0 };
      c.total++;
      if (ours.valid === asked.accepted) c.agree++;
      else {
        const oursText = ours.valid ? "" : ours.problems.map((p) => p.text).join("; ");
        // A CEL disagreement: our refusal comes from a rule, or the server's names one of the CRD's rules.
        const messages = ruleNodes(t.v.schema).flatMap((n) => n.rules.map((r) => r.message ?? r.rule));
        const cel = (!ours.valid && ours.problems.some((p) => p.rule !== undefined)) || /failed rule|evaluating rule|validation rules were not checked/.test(asked.message) || messages.some((m) => asked.message.includes(m));
        disagreements.push({ crd: t.v.crd, source: t.source, cel, line: `server ${asked.accepted ? "accepts" : `refuses: ${asked.message.slice(0, 240)}`} | validator ${ours.valid ? "accepts" : `refuses: ${oursText.slice(0, 240)}`}` });
      }
      perCrd.set(t.v.crd, c);
    });
    const total = [...perCrd.values()].reduce((a, c) => ({ agree: a.agree + c.agree, total: a.total + c.total }), { agree: 0, total: 0 });
    const bySource = (s: string): number => trials.filter((t) => t.source === s).length;
    process.stderr.write(`[differential] ${total.agree} of ${total.total} agree (${((100 * total.agree) / total.total).toFixed(2)} %): ${bySource("generated")} generated (${sides.nodes} rule nodes, ${sides.rules} rules: ${sides.accepted} nodes with an object accepted (every rule there true), ${sides.ruleRefused} rules with an object they refuse, ${sides.otherRefused} nodes with one refused otherwise), ${bySource("mutant")} mutants, ${bySource("update")} updates over ${transitionNodes.length} transition-rule nodes\n`);
    process.stderr.write(`[differential] per CRD: ${[...perCrd].sort().map(([crd, c]) => `${crd} ${c.agree}/${c.total}`).join(", ")}\n`);
    for (const d of disagreements) process.stderr.write(`[differential]   ${d.cel ? "CEL" : "structural"} ${d.source} ${d.crd}: ${d.line}\n`);
    expect(total.total).toBeGreaterThan(1000);
    expect(disagreements.filter((d) => !d.cel)).toEqual([]);
    expect(total.agree / total.total).toBeGreaterThanOrEqual(0.995);
  }, 600_000);
}
