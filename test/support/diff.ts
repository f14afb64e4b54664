import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { jsonReport } from "../../generator/src/diff/report.js";
import { readSources } from "../../generator/src/load/sources.js";
import { loadCrds } from "../../generator/src/load/crds.js";
import { diffCrds, type DiffOptions, type DiffResult, type DiffSide } from "../../generator/src/diff/diff.js";
import { REPO } from "./paths.js";

const validateReport = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(REPO, "generator/schema/diff-report.schema.json"), "utf8")) as object);

/** What is wrong with the JSON report of a result by its published JSON Schema; empty when nothing. */
export function reportSchemaErrors(result: DiffResult): string[] {
  // The report as a consumer parses it: through JSON text, as `--format json` writes it.
  const report = JSON.parse(JSON.stringify(jsonReport(result, { failOn: "breaking" }))) as unknown;
  return validateReport(report) ? [] : (validateReport.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}

/** One side of a diff read from files or directories, as the CLI reads a path. */
export function side(path: string, cwd = process.cwd()): DiffSide {
  return { label: path, crds: loadCrds(readSources([path], { cwd, readStdin: () => "" })).crds, hasFiles: true };
}

/** Diffs two paths (files or directories). */
export function diffPaths(before: string, after: string, options: DiffOptions = {}): DiffResult {
  return diffCrds(side(before), side(after), options);
}

/** A finding reduced to what the fixtures pin. */
export interface Pinned {
  rule: string;
  severity: string;
  path: string;
  version?: string;
  crd?: string;
}

export function pin(result: DiffResult, defaultCrd?: string): Pinned[] {
  return result.findings.map((f) => ({
    rule: f.rule,
    severity: f.severity,
    path: f.path,
    ...(f.version !== undefined ? { version: f.version } : {}),
    ...(f.crd !== defaultCrd ? { crd: f.crd } : {}),
  }));
}
