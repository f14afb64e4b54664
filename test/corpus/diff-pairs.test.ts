import { describe, expect, test } from "@jest/globals";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as yaml from "js-yaml";
import type { DiffResult } from "../../generator/src/diff/diff.js";
import { diffPaths, reportSchemaErrors } from "../support/diff.js";
import { IN_CI, REPO, SHARED_PAIRS } from "../support/paths.js";

// The real before/after pairs from ../shared/fixtures/crd-pairs (never copied here). Their findings
// were reviewed and are pinned in diff-pairs.expected.yaml: every breaking finding by rule, CRD,
// version and path, and the count of every rule at every severity, so that a regression in any
// rule shows up. After a deliberate rule change: KUBE_CODEGEN_UPDATE_PINS=1, then review the diff.

const EXPECTED = join(REPO, "test/corpus/diff-pairs.expected.yaml");
const available = existsSync(SHARED_PAIRS);

interface PinnedPair {
  summary: DiffResult["summary"];
  breaking: string[];
  counts: Record<string, number>;
}

function pinPair(result: DiffResult): PinnedPair {
  const counts: Record<string, number> = {};
  for (const f of result.findings) counts[`${f.rule} ${f.severity}`] = (counts[`${f.rule} ${f.severity}`] ?? 0) + 1;
  return {
    summary: result.summary,
    breaking: result.findings.filter((f) => f.severity === "breaking").map((f) => `${f.rule} ${f.crd} ${f.version ?? "-"} ${f.path}`),
    counts: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

describe("diff of the shared real-world CRD pairs", () => {
  if (!available) {
    test(IN_CI ? "the shared CRD pairs are present (required under CI=true)" : "shared CRD pairs missing: skipped", () => {
      if (IN_CI) throw new Error(`shared CRD pairs not found at ${SHARED_PAIRS} (set KUBE_CODEGEN_SHARED)`);
    });
    return;
  }
  const pairs = readdirSync(SHARED_PAIRS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const expected = (existsSync(EXPECTED) ? yaml.load(readFileSync(EXPECTED, "utf8")) : {}) as Record<string, PinnedPair>;
  const actual: Record<string, PinnedPair> = {};

  test("every pair has pinned findings", () => {
    expect(pairs.length).toBeGreaterThanOrEqual(6);
    if (process.env["KUBE_CODEGEN_UPDATE_PINS"] === undefined) expect(Object.keys(expected).sort()).toEqual(pairs);
  });

  test.each(pairs)("%s: findings match the pinned ones", (pair) => {
    const result = diffPaths(join(SHARED_PAIRS, pair, "old"), join(SHARED_PAIRS, pair, "new"));
    actual[pair] = pinPair(result);
    // The JSON report of every real pair follows the report's published JSON Schema.
    expect(reportSchemaErrors(result)).toEqual([]);
    // Every finding carries what a reader needs: a path, a message, a TypeScript effect, a line in the new file.
    for (const f of result.findings) {
      expect(f.message.length).toBeLessThanOrEqual(600);
      expect(f.typescript.text).not.toBe("");
      expect(f.file).toBeDefined();
      expect(f.line).toBeGreaterThan(0);
    }
    if (process.env["KUBE_CODEGEN_UPDATE_PINS"] !== undefined) {
      writeFileSync(EXPECTED, yaml.dump({ ...expected, ...actual }, { lineWidth: -1, sortKeys: true }));
      return;
    }
    expect(actual[pair]).toEqual(expected[pair]);
  });
});
