// Loaded before anything else by the CLI, on whatever Node runs it: only syntax and APIs that old
// Node versions have (no node:fs globSync, no import attributes).

/** A `>=MAJOR.MINOR[.PATCH]` requirement, as in package.json `engines.node`. */
interface Requirement {
  readonly text: string;
  readonly min: readonly [number, number, number];
}

function parseRequirement(range: string): Requirement {
  const m = /^\s*>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range);
  if (m === null) throw new Error(`engines.node must be ">=MAJOR.MINOR[.PATCH]", not ${JSON.stringify(range)}`);
  return { text: `>=${m.slice(1).filter((p) => p !== undefined).join(".")}`, min: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] };
}

function parseVersion(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, "").split(".").map((p) => Number.parseInt(p, 10) || 0);
  return [major, minor, patch];
}

/**
 * Why this Node cannot run kube-codegen, in one line naming the version found and the version
 * needed, or undefined when it can. `range` is package.json's `engines.node` (`>=22.19`).
 */
export function unsupportedNode(version: string, range: string, execPath: string): string | undefined {
  const need = parseRequirement(range);
  const found = parseVersion(version);
  for (let i = 0; i < 3; i++) {
    const f = found[i] ?? 0;
    const n = need.min[i] ?? 0;
    if (f > n) return undefined;
    if (f < n) return `kube-codegen: error: Node.js ${version.replace(/^v/, "")} (${execPath}) is too old: kube-codegen needs Node.js ${need.text}`;
  }
  return undefined;
}
