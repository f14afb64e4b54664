import { readSources } from "../../generator/src/load/sources.js";
import { loadCrds } from "../../generator/src/load/crds.js";
import { diffCrds, type DiffOptions, type DiffResult, type DiffSide } from "../../generator/src/diff/diff.js";

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
