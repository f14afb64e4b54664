import { accessSync, constants, globSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { InputError } from "../errors.js";

/** One input file's text and the name it is reported under. */
export interface SourceText {
  /** Display name: relative to the working directory when inside it, `<stdin>` for stdin. */
  readonly name: string;
  readonly text: string;
  /**
   * Lets the text go once it is parsed (the load calls it), for sources that can read it again
   * when an error needs a line number: files on disk. Others keep their text.
   */
  release?(): void;
}

/**
 * A file's text, read when first asked for and let go by {@link release}: a run then holds one
 * file's text at a time, not the whole input. Read again later (for an error's line), a file whose
 * length changed in the meantime gives an empty text, so that no error names a wrong line.
 */
class FileSource implements SourceText {
  readonly name: string;
  readonly #path: string;
  #text: string | undefined;
  #length: number | undefined;

  constructor(path: string, name: string) {
    this.#path = path;
    this.name = name;
  }

  get text(): string {
    if (this.#text !== undefined) return this.#text;
    let text: string;
    try {
      text = readFileSync(this.#path, "utf8");
    } catch (err) {
      if (this.#length !== undefined) return "";
      throw new InputError(`cannot read the file: ${describeFsError(err)}`, { file: this.name }, undefined, { cause: err });
    }
    if (this.#length !== undefined && text.length !== this.#length) return "";
    this.#length = text.length;
    this.#text = text;
    return text;
  }

  release(): void {
    this.#text = undefined;
  }
}

/** How to reach the outside world; the CLI passes the real ones, tests their own. */
export interface SourceEnvironment {
  readonly cwd: string;
  /** Reads all of standard input (only called when an input is `-`). */
  readonly readStdin: () => string;
}

const CRD_FILE = /\.(ya?ml|json)$/i;
const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Expands input specs (files, directories searched recursively for .yaml/.yml/.json, globs, `-`
 * for stdin) into texts, in a stable order, each file once. Throws an {@link InputError} for a
 * path that does not exist or cannot be read, a glob that matches nothing, or an empty set. A
 * file's text is read when it is first needed (see {@link SourceText.release}).
 */
export function readSources(specs: readonly string[], env: SourceEnvironment): SourceText[] {
  if (specs.length === 0) throw new InputError("no CRD inputs given (use --crds or the config file's crds)");
  const files = new Map<string, string>(); // absolute path -> display name
  const out: SourceText[] = [];
  let stdinRead = false;
  for (const spec of specs) {
    if (spec === "-") {
      if (!stdinRead) out.push({ name: "<stdin>", text: env.readStdin() });
      stdinRead = true;
      continue;
    }
    for (const abs of expandSpec(spec, env.cwd)) {
      if (!files.has(abs)) files.set(abs, displayName(abs, env.cwd));
    }
  }
  const sorted = [...files.entries()].sort((a, b) => compareStrings(a[1], b[1]));
  for (const [abs, name] of sorted) {
    try {
      accessSync(abs, constants.R_OK);
    } catch (err) {
      throw new InputError(`cannot read the file: ${describeFsError(err)}`, { file: name }, undefined, { cause: err });
    }
    out.push(new FileSource(abs, name));
  }
  if (out.length === 0) throw new InputError(`no CRD files found in ${specs.join(", ")}`);
  return out;
}

function expandSpec(spec: string, cwd: string): string[] {
  const abs = resolve(cwd, spec);
  let stat;
  try {
    stat = statSync(abs);
  } catch (err) {
    if (GLOB_CHARS.test(spec)) return expandGlob(spec, cwd);
    throw new InputError(`cannot read the input: ${describeFsError(err)}`, { file: spec }, undefined, { cause: err });
  }
  if (stat.isDirectory()) return walkDirectory(abs);
  return [abs];
}

function expandGlob(pattern: string, cwd: string): string[] {
  const matches = globSync(pattern, { cwd })
    .map((p) => resolve(cwd, p))
    .filter((p) => CRD_FILE.test(p) && statSync(p).isFile());
  if (matches.length === 0) throw new InputError(`no .yaml, .yml or .json file matches the pattern`, { file: pattern });
  return matches;
}

/** All CRD files below a directory, skipping hidden entries and node_modules. */
function walkDirectory(dir: string): string[] {
  const found: string[] = [];
  const visit = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      throw new InputError(`cannot list the directory: ${describeFsError(err)}`, { file: d }, undefined, { cause: err });
    }
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (CRD_FILE.test(e.name) && (e.isFile() || e.isSymbolicLink())) found.push(p);
    }
  };
  visit(dir);
  return found;
}

function displayName(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return abs;
  return sep === "/" ? rel : rel.split(sep).join("/");
}

/** Code-unit order, independent of locale: the order every output of ours uses. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describeFsError(err: unknown): string {
  if (typeof err === "object" && err !== null && "code" in err) {
    const code = String((err as NodeJS.ErrnoException).code);
    if (code === "ENOENT") return "no such file or directory";
    if (code === "EACCES") return "permission denied";
    if (code === "EISDIR") return "is a directory";
    return `${code}`;
  }
  return String(err);
}
