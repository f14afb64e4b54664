import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, rmdirSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CodegenError } from "../errors.js";

/** The file in the output directory that lists what the generator wrote there. */
export const MANIFEST = ".kube-codegen-manifest.json";

/** What `--check` found. */
export interface CheckResult {
  readonly differ: string[];
  readonly missing: string[];
  readonly stale: string[];
}

/** Paths (relative, `/`-separated) → content, sorted by path; the manifest is added here. */
export function withManifest(files: ReadonlyMap<string, string>): Map<string, string> {
  const paths = [...files.keys()].sort();
  const out = new Map<string, string>();
  for (const p of paths) out.set(p, files.get(p) ?? "");
  out.set(MANIFEST, `${JSON.stringify({ generator: "kube-codegen", files: paths }, null, 2)}\n`);
  return out;
}

/** The files a previous run wrote, from its manifest; empty when there is none. */
export function previousFiles(outDir: string): string[] {
  const p = join(outDir, MANIFEST);
  if (!existsSync(p)) return [];
  try {
    const parsed = JSON.parse(readFileSync(p, "utf8")) as { files?: unknown };
    if (Array.isArray(parsed.files)) return parsed.files.filter((f): f is string => typeof f === "string" && isSafeRelative(f));
  } catch {
    // A broken manifest: remove nothing.
  }
  return [];
}

/** Compares what would be written with what is on disk; writes nothing. */
export function checkOutput(outDir: string, files: ReadonlyMap<string, string>): CheckResult {
  const result: CheckResult = { differ: [], missing: [], stale: [] };
  for (const [path, text] of files) {
    const abs = join(outDir, path);
    if (!existsSync(abs)) result.missing.push(path);
    else if (readFileSync(abs, "utf8") !== text) result.differ.push(path);
  }
  for (const path of previousFiles(outDir)) {
    if (!files.has(path) && existsSync(join(outDir, path))) result.stale.push(path);
  }
  return result;
}

/**
 * Writes the files: each is first written under a temporary directory beside the output, then all
 * are renamed into place, so an error while writing leaves no half-written file. Unchanged files
 * are not touched. Files listed in the previous manifest and no longer produced are removed (and
 * their folders, when left empty); nothing else in the output directory is touched.
 */
export function writeOutput(outDir: string, files: ReadonlyMap<string, string>): { written: number; removed: number } {
  const root = resolve(outDir);
  const previous = previousFiles(root);
  mkdirSync(root, { recursive: true });
  const changed = [...files].filter(([path, text]) => {
    const abs = join(root, path);
    return !existsSync(abs) || readFileSync(abs, "utf8") !== text;
  });
  const staging = mkdtempSync(join(dirname(root), ".kube-codegen-tmp-"));
  try {
    for (const [path, text] of changed) {
      const tmp = join(staging, path);
      mkdirSync(dirname(tmp), { recursive: true });
      writeFileSync(tmp, text);
    }
    for (const [path] of changed) {
      const abs = join(root, path);
      mkdirSync(dirname(abs), { recursive: true });
      renameSync(join(staging, path), abs);
    }
  } catch (err) {
    throw new CodegenError(`cannot write the output to ${outDir}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  let removed = 0;
  for (const path of previous) {
    if (files.has(path)) continue;
    const abs = join(root, path);
    if (existsSync(abs)) {
      rmSync(abs);
      removed++;
      removeEmptyParents(dirname(abs), root);
    }
  }
  return { written: changed.length, removed };
}

function removeEmptyParents(dir: string, root: string): void {
  let d = dir;
  while (d.startsWith(root) && d !== root) {
    if (readdirSync(d).length > 0) return;
    rmdirSync(d);
    d = dirname(d);
  }
}

function isSafeRelative(p: string): boolean {
  return p !== "" && !p.startsWith("/") && !p.split("/").includes("..");
}
