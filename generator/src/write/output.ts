import { mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, rmdirSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { CodegenError } from "../errors.js";

/** The file in the output directory that lists what the generator wrote there. */
export const MANIFEST = ".kube-codegen-manifest.json";

/** What `--check` found. */
export interface CheckResult {
  readonly differ: string[];
  readonly missing: string[];
  readonly stale: string[];
}

/** The longest file or folder name most file systems take, in UTF-8 bytes. */
const MAX_NAME_BYTES = 255;

/**
 * Why a generated path may not be written, or undefined when it may: it must be relative,
 * `/`-separated, without `.`, `..` or empty segments, backslashes or NUL, and each segment short
 * enough for the file system. The model never makes such paths from validated input; this is the
 * writer's own guard, in case it ever does (defence in depth).
 */
export function unsafePathReason(path: string): string | undefined {
  if (path === "") return "an empty path";
  if (path.includes("\\") || path.includes("\0")) return "a backslash or NUL in the path";
  if (path.startsWith("/") || isAbsolute(path)) return "an absolute path";
  for (const seg of path.split("/")) {
    if (seg === "" || seg === "." || seg === "..") return `a ${seg === "" ? "empty" : JSON.stringify(seg)} path segment`;
    if (Buffer.byteLength(seg) > MAX_NAME_BYTES) return `a name longer than ${MAX_NAME_BYTES} bytes`;
  }
  return undefined;
}

function assertSafe(path: string, what: string): void {
  const reason = unsafePathReason(path);
  if (reason !== undefined) throw new CodegenError(`refusing to ${what} ${JSON.stringify(path)}: ${reason} would reach outside the output directory`);
}

/**
 * Refuses to write through a symbolic link that leads out of the output directory: the nearest
 * existing ancestor of every target must resolve inside the root.
 */
function assertInside(root: string, abs: string): void {
  const realRoot = realpathSync(root);
  let d = dirname(abs);
  while (!existsSync(d)) d = dirname(d);
  const rel = relative(realRoot, realpathSync(d));
  if (rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel)) {
    throw new CodegenError(`refusing to write ${abs}: ${d} resolves outside the output directory ${root} (a symbolic link?)`);
  }
}

/** Paths (relative, `/`-separated) → content, sorted by path; the manifest is added here. */
export function withManifest(files: ReadonlyMap<string, string>): Map<string, string> {
  const paths = [...files.keys()].sort();
  for (const p of paths) assertSafe(p, "write");
  const out = new Map<string, string>();
  for (const p of paths) out.set(p, files.get(p) ?? "");
  out.set(MANIFEST, `${JSON.stringify({ generator: "kube-codegen", files: paths }, null, 2)}\n`);
  return out;
}

/**
 * The files a previous run wrote, from its manifest; empty when there is none or it is not a
 * manifest of ours (nothing is removed then). A manifest that names a path outside the output
 * directory was not written by us: it is refused, and nothing is written or removed.
 */
export function previousFiles(outDir: string): string[] {
  const p = join(outDir, MANIFEST);
  if (!existsSync(p)) return [];
  let parsed: { files?: unknown };
  try {
    parsed = JSON.parse(readFileSync(p, "utf8")) as { files?: unknown };
  } catch {
    return []; // A broken manifest: remove nothing.
  }
  if (!Array.isArray(parsed.files)) return [];
  const files = parsed.files.filter((f): f is string => typeof f === "string");
  for (const f of files) {
    const reason = unsafePathReason(f);
    if (reason !== undefined) {
      throw new CodegenError(`${p} lists ${JSON.stringify(f)}, ${reason}; refusing to remove or write anything (kube-codegen never writes such a manifest: delete it if it was edited)`);
    }
  }
  return files;
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
  for (const path of files.keys()) assertSafe(path, "write");
  const created = !existsSync(root);
  // A new root holds nothing yet, so no link inside it can lead out.
  if (!created) for (const path of [...files.keys(), ...previous]) assertInside(root, join(root, path));
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
    if (created) rmSync(root, { recursive: true, force: true });
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
