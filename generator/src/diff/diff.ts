import type { LoadedCrd } from "../load/crds.js";
import { nameGlob, pathGlob } from "../glob.js";
import { buildModel } from "../model/build.js";
import { compareStrings } from "../load/sources.js";
import { compareCrd, LineFinder, type CrdSide } from "./compare.js";
import { RULE_IDS } from "./rules/index.js";
import { SEVERITIES, type Finding, type SemverBump, type Severity } from "./types.js";

/** The CRDs of one side of a diff and how to name it. */
export interface DiffSide {
  /** As the user wrote it: a path, `git:REF:PATH`, `cluster`. */
  readonly label: string;
  readonly crds: readonly LoadedCrd[];
  /** False when findings cannot point at a file a reader could open (cluster, git, stdin). */
  readonly hasFiles: boolean;
  /** `status.storedVersions` by CRD name, when read from a cluster. */
  readonly storedVersions?: ReadonlyMap<string, readonly string[]>;
}

/** A waiver from the config: findings of `rule` at paths matching `path` are accepted, for a reason. */
export interface Waiver {
  /** A rule id, or `*` for every rule. */
  readonly rule: string;
  /** A glob over finding paths: `*` within a segment, `**` across segments. */
  readonly path: string;
  /** A glob over CRD names, as `--crd` takes them (`*` crosses dots); every CRD when absent. */
  readonly crd?: string;
  readonly reason: string;
  /** `YYYY-MM-DD`: the last day the waiver applies. */
  readonly expires?: string;
}

/** A rule's severity as configured: one of the severities, or `off` to drop its findings. */
export type SeverityOverride = Severity | "off";

/** How a diff judges its findings: severity overrides, waivers, the date waivers expire against. */
export interface DiffOptions {
  /** Per-rule severity; `off` drops the rule's findings. */
  readonly severity?: Readonly<Record<string, SeverityOverride>>;
  readonly waivers?: readonly Waiver[];
  /** Today's date (`YYYY-MM-DD`, UTC) for waiver expiry; the clock's by default. */
  readonly today?: string;
}

/** The counts of a diff and the semver bump it suggests. */
export interface DiffSummary {
  /** Counts of findings not waived. */
  readonly breaking: number;
  readonly warning: number;
  readonly info: number;
  readonly waived: number;
  readonly crdsCompared: number;
  readonly crdsAdded: number;
  readonly crdsRemoved: number;
  /** For a package of clients generated from the new CRDs. */
  readonly semver: SemverBump;
}

/** What `diffCrds` finds: every finding, the CRDs added, removed and compared, and the summary. */
export interface DiffResult {
  readonly old: string;
  readonly new: string;
  readonly findings: readonly Finding[];
  readonly crds: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly compared: readonly string[] };
  readonly summary: DiffSummary;
  /** Waivers past their date (no longer applied) and waivers that matched nothing. */
  readonly waivers: { readonly expired: readonly Waiver[]; readonly unused: readonly Waiver[] };
}

/** Compares two sets of CRDs matched by name. Pure: no I/O besides reading the sources' texts for lines. */
export function diffCrds(before: DiffSide, after: DiffSide, options: DiffOptions = {}): DiffResult {
  const oldByName = new Map(before.crds.map((c) => [c.name, c]));
  const newByName = new Map(after.crds.map((c) => [c.name, c]));
  const crdNames = [...new Set([...oldByName.keys(), ...newByName.keys()])].sort(compareStrings);
  const lines = new LineFinder();
  const names = { old: typeNames(before.crds), new: typeNames(after.crds) };
  let findings: Finding[] = [];
  const side = (s: DiffSide, crd: LoadedCrd | undefined): CrdSide | undefined => {
    if (crd === undefined) return undefined;
    const stored = s.storedVersions?.get(crd.name);
    return { crd, hasFile: s.hasFiles, ...(stored !== undefined ? { storedVersions: stored } : {}) };
  };
  for (const name of crdNames) findings.push(...compareCrd(name, side(before, oldByName.get(name)), side(after, newByName.get(name)), lines).map((f) => withTypeName(f, names)));

  findings = applySeverity(findings, options.severity ?? {});
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const waivers = options.waivers ?? [];
  const expired = waivers.filter((w) => w.expires !== undefined && w.expires < today);
  const active = waivers.filter((w) => !expired.includes(w));
  const used = new Set<Waiver>();
  findings = findings.map((f) => {
    const w = active.find((x) => waiverMatches(x, f));
    if (w === undefined) return f;
    used.add(w);
    return { ...f, waived: { reason: w.reason, ...(w.expires !== undefined ? { expires: w.expires } : {}) } };
  });
  findings.sort(compareFindings);

  const count = (s: Severity): number => findings.filter((f) => f.severity === s && f.waived === undefined).length;
  const added = crdNames.filter((n) => !oldByName.has(n));
  const removed = crdNames.filter((n) => !newByName.has(n));
  const compared = crdNames.filter((n) => oldByName.has(n) && newByName.has(n));
  return {
    old: before.label,
    new: after.label,
    findings,
    crds: { added, removed, compared },
    summary: {
      breaking: count("breaking"),
      warning: count("warning"),
      info: count("info"),
      waived: findings.filter((f) => f.waived !== undefined).length,
      crdsCompared: compared.length,
      crdsAdded: added.length,
      crdsRemoved: removed.length,
      semver: semverBump(findings),
    },
    waivers: { expired, unused: active.filter((w) => !used.has(w)) },
  };
}

/** Generated interface names by CRD, version and schema path (`.spec.foo`), from the generator's own model. */
type TypeNames = ReadonlyMap<string, string>;

function typeNames(crds: readonly LoadedCrd[]): TypeNames {
  const out = new Map<string, string>();
  let model;
  try {
    model = buildModel(crds).model;
  } catch {
    return out; // a schema the generator refuses still gets diffed, only without type names
  }
  for (const g of model.groups) {
    for (const v of g.versions) {
      for (const k of v.kinds) {
        out.set(`${k.crdName}\u0000${v.version}\u0000`, k.typeName);
        for (const d of k.declarations) if (d.kind === "object") out.set(`${k.crdName}\u0000${v.version}\u0000${d.path}`, d.name);
      }
    }
  }
  return out;
}

/**
 * Names the generated interface a TypeScript effect lands in: the one holding the changed property
 * (new side first; the old side for what is gone).
 */
function withTypeName(f: Finding, names: { readonly old: TypeNames; readonly new: TypeNames }): Finding {
  if (f.typescript.change === "none" || f.version === undefined || !f.path.startsWith(".")) return f;
  const parent = f.path === "." ? "" : f.path.replace(/(\[\*\])+$/, "").replace(/(\.[A-Za-z_$][\w$]*|\["(?:[^"\\]|\\.)*"\])$/, "");
  const at = (path: string): string | undefined => {
    const key = `${f.crd}\u0000${f.version}\u0000${path}`;
    return f.rule === "property-removed" ? (names.old.get(key) ?? names.new.get(key)) : (names.new.get(key) ?? names.old.get(key));
  };
  // In an added or removed property, `{ … }` stands for its own interface (or its items' or
  // values'): name it. (Where a type changed, the two sides' `{ … }` are different interfaces.)
  const single = f.rule === "property-added" || f.rule === "property-removed";
  const own = !single || f.path === "." ? undefined : (at(f.path) ?? at(`${f.path}[*]`));
  let text = own === undefined ? f.typescript.text : f.typescript.text.replaceAll("{ … }", own);
  const name = at(parent);
  if (name !== undefined) text = `${text} (in \`${name}\`)`;
  return text === f.typescript.text ? f : { ...f, typescript: { ...f.typescript, text } };
}

/** The threshold of `--fail-on`. */
export type FailOn = Severity | "never";

/** True when a finding that is not waived is at or above the threshold. */
export function fails(result: DiffResult, failOn: FailOn): boolean {
  if (failOn === "never") return false;
  const limit = SEVERITIES.indexOf(failOn);
  return result.findings.some((f) => f.waived === undefined && SEVERITIES.indexOf(f.severity) <= limit);
}

/**
 * major: something breaks users or removes or changes generated types; minor: new types or members
 * only; patch: JSDoc and behaviour-only changes; none: nothing changed. Waived findings count: a
 * waiver accepts a change, it does not undo it.
 */
export function semverBump(findings: readonly Finding[]): SemverBump {
  if (findings.length === 0) return "none";
  if (findings.some((f) => f.severity === "breaking" || f.typescript.change === "changed")) return "major";
  if (findings.some((f) => f.typescript.change === "added")) return "minor";
  return "patch";
}

function applySeverity(findings: Finding[], overrides: Readonly<Record<string, SeverityOverride>>): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const o = overrides[f.rule];
    if (o === "off") continue;
    out.push(o === undefined ? f : { ...f, severity: o });
  }
  return out;
}

function waiverMatches(w: Waiver, f: Finding): boolean {
  if (w.rule !== "*" && w.rule !== f.rule) return false;
  if (w.crd !== undefined && !cached("name", w.crd).test(f.crd)) return false;
  return globMatch(w.path, f.path);
}

const globCache = new Map<string, RegExp>();

function cached(kind: "name" | "path", glob: string): RegExp {
  let re = globCache.get(`${kind}:${glob}`);
  if (re === undefined) {
    re = kind === "name" ? nameGlob(glob) : pathGlob(glob);
    globCache.set(`${kind}:${glob}`, re);
  }
  return re;
}

/** A waiver's path glob against a finding's path: `**` anything, `*` within a segment. */
export function globMatch(glob: string, text: string): boolean {
  return cached("path", glob).test(text);
}

const RULE_ORDER = new Map(RULE_IDS.map((id, i) => [id, i]));

function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.crd, b.crd) ||
    compareStrings(a.version ?? "", b.version ?? "") ||
    compareStrings(a.path, b.path) ||
    (RULE_ORDER.get(a.rule) ?? 0) - (RULE_ORDER.get(b.rule) ?? 0) ||
    compareStrings(a.message, b.message)
  );
}
