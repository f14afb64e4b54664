import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, rmdirSync, writeFileSync, existsSync, readdirSync } from "node:fs";
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

/** Throws a {@link CodegenError} for a path {@link unsafePathReason} refuses. */
export function assertSafe(path: string, what: string): void {
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

/** Where the files of a run go, one at a time, as they are made. */
export interface OutputSink {
  /** One file (a relative, `/`-separated path); each path once. Throws to stop the run. */
  file(path: string, text: string): void;
}

/** The manifest's text for the files of a run. */
export function manifestText(paths: Iterable<string>): string {
  return `${JSON.stringify({ generator: "kube-codegen", files: [...paths].sort() }, null, 2)}\n`;
}

/** Paths (relative, `/`-separated) → content, sorted by path; the manifest is added here. */
export function withManifest(files: ReadonlyMap<string, string>): Map<string, string> {
  const paths = [...files.keys()].sort();
  for (const p of paths) assertSafe(p, "write");
  const out = new Map<string, string>();
  for (const p of paths) out.set(p, files.get(p) ?? "");
  out.set(MANIFEST, manifestText(paths));
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

/** Whether `abs` holds exactly `text`. */
function holds(abs: string, text: string): boolean {
  return existsSync(abs) && readFileSync(abs, "utf8") === text;
}

/**
 * `--check`: compares each file with what is on disk as it comes, writes nothing. {@link finish}
 * adds the files a previous run wrote that this one no longer makes.
 */
export class OutputCheck implements OutputSink {
  readonly #root: string;
  readonly #seen = new Set<string>();
  readonly #result: { differ: string[]; missing: string[]; stale: string[] } = { differ: [], missing: [], stale: [] };

  constructor(outDir: string) {
    this.#root = outDir;
  }

  file(path: string, text: string): void {
    this.#seen.add(path);
    const abs = join(this.#root, path);
    if (!existsSync(abs)) this.#result.missing.push(path);
    else if (readFileSync(abs, "utf8") !== text) this.#result.differ.push(path);
  }

  /** What differs, is missing or is stale, once every file was given. */
  finish(): CheckResult {
    for (const path of previousFiles(this.#root)) {
      if (!this.#seen.has(path) && existsSync(join(this.#root, path))) this.#result.stale.push(path);
    }
    return this.#result;
  }
}

/** Compares what would be written with what is on disk; writes nothing. */
export function checkOutput(outDir: string, files: ReadonlyMap<string, string>): CheckResult {
  const check = new OutputCheck(outDir);
  for (const [path, text] of files) check.file(path, text);
  return check.finish();
}

/**
 * Writes a run's files as they come, atomically: each changed file goes to a temporary directory
 * beside the output, and only {@link commit} renames them all into place, so an error on the way
 * (bad input found late, a full disk) leaves the output as it was after {@link abort}. Unchanged
 * files are not touched. Files listed in the previous manifest and no longer produced are removed
 * at commit (and their folders, when left empty); nothing else in the output directory is touched.
 */
export class StagedOutput implements OutputSink {
  readonly #root: string;
  readonly #outDir: string;
  readonly #previous: string[];
  readonly #created: boolean;
  /** Made with the first changed file: a run that fails before it touches nothing. */
  #staging: string | undefined;
  readonly #paths = new Set<string>();
  readonly #changed: string[] = [];
  /** Folders known to exist (made once each, not once per file). */
  readonly #made = new Set<string>();

  constructor(outDir: string) {
    this.#outDir = outDir;
    this.#root = resolve(outDir);
    this.#previous = previousFiles(this.#root);
    this.#created = !existsSync(this.#root);
    // A new root holds nothing yet, so no link inside it can lead out.
    if (!this.#created) for (const path of this.#previous) assertInside(this.#root, join(this.#root, path));
  }

  file(path: string, text: string): void {
    assertSafe(path, "write");
    if (this.#paths.has(path)) throw new CodegenError(`refusing to write ${JSON.stringify(path)} twice in one run`);
    this.#paths.add(path);
    const abs = join(this.#root, path);
    if (!this.#created) assertInside(this.#root, abs);
    try {
      // A new output directory holds nothing to compare with.
      if (!this.#created && holds(abs, text)) return;
      this.#staging ??= this.#makeStaging();
      const tmp = join(this.#staging, path);
      this.#mkdir(dirname(tmp));
      writeFileSync(tmp, text);
    } catch (err) {
      throw this.#failed(err);
    }
    this.#changed.push(path);
  }

  /**
   * Moves the changed files into place and removes the stale ones. A new output directory is the
   * staging folder itself, renamed: one rename instead of one per file and folder.
   */
  commit(): { written: number; removed: number } {
    try {
      if (this.#created && this.#staging !== undefined && !existsSync(this.#root)) {
        renameSync(this.#staging, this.#root);
        this.#staging = undefined;
        return { written: this.#changed.length, removed: 0 };
      }
      mkdirSync(this.#root, { recursive: true });
      for (const path of this.#changed) {
        const abs = join(this.#root, path);
        this.#mkdir(dirname(abs));
        renameSync(join(this.#staging ?? "", path), abs);
      }
    } catch (err) {
      this.abort();
      throw this.#failed(err);
    }
    this.#dropStaging();
    let removed = 0;
    for (const path of this.#previous) {
      if (this.#paths.has(path)) continue;
      const abs = join(this.#root, path);
      if (existsSync(abs)) {
        rmSync(abs);
        removed++;
        removeEmptyParents(dirname(abs), this.#root);
      }
    }
    return { written: this.#changed.length, removed };
  }

  /** Drops what was staged; an output directory this run created is removed again. */
  abort(): void {
    this.#dropStaging();
    if (this.#created) rmSync(this.#root, { recursive: true, force: true });
  }

  #mkdir(dir: string): void {
    if (this.#made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.#made.add(dir);
  }

  #makeStaging(): string {
    const parent = dirname(this.#root);
    mkdirSync(parent, { recursive: true });
    // Not mkdtemp, whose folders are private (0700): a new output directory is this folder renamed,
    // and gets the mode any folder made here gets.
    for (;;) {
      const dir = join(parent, `.kube-codegen-tmp-${randomBytes(6).toString("hex")}`);
      try {
        mkdirSync(dir);
        return dir;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
    }
  }

  #dropStaging(): void {
    if (this.#staging !== undefined) rmSync(this.#staging, { recursive: true, force: true });
    this.#staging = undefined;
  }

  #failed(err: unknown): CodegenError {
    if (err instanceof CodegenError) return err;
    const message = typeof (err as { message?: unknown } | null)?.message === "string" ? (err as Error).message : String(err);
    return new CodegenError(`cannot write the output to ${this.#outDir}: ${message}`, { cause: err });
  }
}

/** Writes a whole set of files through {@link StagedOutput}. */
export function writeOutput(outDir: string, files: ReadonlyMap<string, string>): { written: number; removed: number } {
  const out = new StagedOutput(outDir);
  try {
    for (const [path, text] of files) out.file(path, text);
  } catch (err) {
    out.abort();
    throw err;
  }
  return out.commit();
}

function removeEmptyParents(dir: string, root: string): void {
  let d = dir;
  while (d.startsWith(root) && d !== root) {
    if (readdirSync(d).length > 0) return;
    rmdirSync(d);
    d = dirname(d);
  }
}
