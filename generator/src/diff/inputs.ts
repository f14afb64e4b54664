import { execFileSync } from "node:child_process";
import { CodegenError, InputError } from "../errors.js";
import { loadCrds } from "../load/crds.js";
import { readSources, type SourceEnvironment, type SourceText } from "../load/sources.js";
import type { DiffSide } from "./diff.js";

/** How to reach files, git and the cluster for one side of a diff. */
export interface DiffInputEnvironment extends SourceEnvironment {
  readonly kubeconfig?: string | undefined;
  readonly context?: string | undefined;
  /** For a cluster side: only CRDs of these groups, or with these names (globs). */
  readonly groups?: readonly string[] | undefined;
  readonly crds?: readonly string[] | undefined;
  /** Told what a cluster read is doing (stderr in the CLI). */
  readonly progress: (message: string) => void;
}

const CRD_FILE = /\.(ya?ml|json)$/i;

/** True for the spec naming the cluster. */
export function isClusterSpec(spec: string): boolean {
  return spec === "cluster";
}

/** The API groups of a side's CRDs: what a cluster on the other side is narrowed to. */
export function groupsOf(side: DiffSide): string[] {
  const groups = new Set<string>();
  for (const c of side.crds) {
    const spec = c.object["spec"];
    const group = typeof spec === "object" && spec !== null && !Array.isArray(spec) ? spec["group"] : undefined;
    if (typeof group === "string") groups.add(group);
  }
  return [...groups].sort();
}

/**
 * Reads one side of a diff: `cluster` (the kubeconfig's current or `--context` cluster),
 * `git:REF:PATH` (a file or directory at a commit of the repository of the working directory, read
 * with `git ls-tree` and `git cat-file`, no checkout), `-` (stdin), or a file, directory or glob.
 */
export async function readDiffSide(spec: string, env: DiffInputEnvironment): Promise<DiffSide> {
  if (isClusterSpec(spec)) {
    // Imported here: the runtime and client-node cost start-up time that file inputs do not need.
    const { readClusterCrds } = await import("../load/cluster.js");
    const { sources, storedVersions } = await readClusterCrds({ kubeconfig: env.kubeconfig, context: env.context, groups: env.groups, crds: env.crds }, env.progress);
    return { label: env.context !== undefined ? `cluster (context ${env.context})` : "cluster", crds: loadCrds(sources).crds, hasFiles: false, storedVersions };
  }
  if (spec.startsWith("git:")) {
    return { label: spec, crds: loadCrds(readGitSources(spec, env.cwd)).crds, hasFiles: false };
  }
  const sources = readSources([spec], env);
  return { label: spec, crds: loadCrds(sources).crds, hasFiles: spec !== "-" };
}

/** The CRD files under `PATH` at `REF`, named `git:REF:path`. */
export function readGitSources(spec: string, cwd: string): SourceText[] {
  const rest = spec.slice("git:".length);
  const colon = rest.indexOf(":");
  // A ref name cannot contain ":" (git check-ref-format), so the first one ends it.
  if (colon <= 0 || colon === rest.length - 1) {
    throw new InputError(`expected git:REF:PATH (for example git:origin/main:config/crd), got ${JSON.stringify(spec)}`);
  }
  const ref = rest.slice(0, colon);
  const path = rest.slice(colon + 1);
  const commit = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd, spec, `unknown git revision ${JSON.stringify(ref)}`).trim();
  const listed = git(["ls-tree", "-r", "-z", "--name-only", commit, "--", path], cwd, spec).split("\0").filter((p) => p !== "");
  if (listed.length === 0) throw new InputError(`no such path at ${ref} (${commit.slice(0, 12)})`, { file: spec });
  const single = listed.length === 1 && listed[0] === path.replace(/^\.\//, "").replace(/\/$/, "");
  const files = (single ? listed : listed.filter((p) => CRD_FILE.test(p))).sort();
  if (files.length === 0) throw new InputError(`no .yaml, .yml or .json file under this path at ${ref}`, { file: spec });
  return files.map((file) => ({
    name: `git:${ref}:${file}`,
    text: git(["cat-file", "blob", `${commit}:./${file}`], cwd, `git:${ref}:${file}`),
  }));
}

function git(args: string[], cwd: string, spec: string, whenFails?: string): string {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer: 512 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; status?: number | null };
    if (e.code === "ENOENT") throw new CodegenError(`cannot read ${spec}: git is not installed (or not on PATH)`, { cause: err });
    const said = (e.stderr ?? "").trim().split("\n")[0] ?? "";
    if (/not a git repository/i.test(said)) throw new InputError(`${said.replace(/^fatal: /, "")} (git: inputs read the repository of the working directory)`, { file: spec }, undefined, { cause: err });
    throw new InputError(whenFails ?? (said !== "" ? `git ${args[0] ?? ""} failed: ${said}` : `git ${args[0] ?? ""} failed with exit code ${String(e.status)}`), { file: spec }, undefined, { cause: err });
  }
}
