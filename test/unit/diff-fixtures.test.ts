import { describe, expect, test } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { RULE_IDS } from "../../generator/src/diff/rules/index.js";
import { diffPaths, pin, reportSchemaErrors, type Pinned } from "../support/diff.js";
import { REPO } from "../support/paths.js";

// One hand-written pair per rule under fixtures/diff/<rule>/: old.yaml, new.yaml and expect.yaml,
// which lists every finding of the diff both ways. Exact: an extra or a missing finding fails.

const ROOT = join(REPO, "fixtures/diff");
const CRD = "widgets.diff.example.com";
const pairs = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe("hand-written diff fixture pairs", () => {
  test("every rule has its pair, and every pair is named after a rule", () => {
    expect(pairs).toEqual([...RULE_IDS].sort());
  });

  describe.each(pairs)("%s", (rule) => {
    const dir = join(ROOT, rule);
    const expected = yaml.load(readFileSync(join(dir, "expect.yaml"), "utf8")) as { forward: Pinned[]; reverse: Pinned[] };

    test("old → new gives exactly the expected findings, and the rule itself is among them", () => {
      const result = diffPaths(join(dir, "old.yaml"), join(dir, "new.yaml"));
      expect(reportSchemaErrors(result)).toEqual([]);
      const got = pin(result, CRD);
      expect(got).toEqual(expected.forward);
      expect(got.map((f) => f.rule)).toContain(rule);
    });

    test("new → old (the same pair reversed) gives exactly the expected findings", () => {
      const result = diffPaths(join(dir, "new.yaml"), join(dir, "old.yaml"));
      expect(reportSchemaErrors(result)).toEqual([]);
      expect(pin(result, CRD)).toEqual(expected.reverse);
    });
  });
});
