import type { JsonObject } from "../load/documents.js";
import type { DocPath } from "../load/locate.js";

/** How bad a change is for the people who use the CRD. */
export type Severity = "breaking" | "warning" | "info";
/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ["breaking", "warning", "info"];

/** Who writes a field: users (`spec`, and anything outside `status`) or controllers (`status`). */
export type Direction = "spec" | "status";

/**
 * What a change does to the generated TypeScript: nothing but JSDoc (`none`), new members only
 * (`added`), or existing types altered or removed (`changed`).
 */
export type TsChange = "none" | "added" | "changed";

/** A change's effect on the generated TypeScript, as a class and a one-line description. */
export interface TsEffect {
  readonly change: TsChange;
  readonly text: string;
}

/** The suggested semver bump for a package of generated clients. */
export type SemverBump = "major" | "minor" | "patch" | "none";

/** What a rule reports, before the CRD, version and place are filled in. */
export interface RawFinding {
  readonly severity: Severity;
  readonly message: string;
  /** The old and new values, printed readably (absent when there is none on that side). */
  readonly old?: string;
  readonly new?: string;
  readonly typescript: TsEffect;
  /** Why the severity is what it is, when the rule alone does not say (e.g. the API server refuses it). */
  readonly reason?: string;
  /** Schema path of the finding when it is not the node's own (a property of the node). */
  readonly path?: string;
  /** Where to point in the document: relative to the node for schema rules, absolute for CRD rules. */
  readonly at?: DocPath;
  /** For CRD rules: the version the finding is about. */
  readonly version?: string;
  /** For CRD rules: point at the old document (the thing is gone from the new one). */
  readonly inOld?: boolean;
}

/** One finding of a diff run. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly crd: string;
  readonly version?: string;
  /** `.spec.foo[*].bar` for schema findings; a CRD field such as `spec.scope` for CRD findings. */
  readonly path: string;
  readonly message: string;
  readonly old?: string;
  readonly new?: string;
  readonly typescript: TsEffect;
  readonly reason?: string;
  /** The file and 1-based line the finding points at, when the CRD came from a file. */
  readonly file?: string;
  readonly line?: number;
  /** Set when a waiver from the config covers the finding. */
  readonly waived?: { readonly reason: string; readonly expires?: string };
}

/** A schema node on each side of a comparison, and where it is. */
export interface SchemaPair {
  readonly old: JsonObject;
  readonly new: JsonObject;
  /** `.spec.foo`, `""` for the root. */
  readonly path: string;
  readonly direction: Direction;
  /** The node's key in its parent object and whether the parent requires it (absent for the root, items, map values). */
  readonly property?: { readonly key: string; readonly requiredOld: boolean; readonly requiredNew: boolean };
}

/** Both sides of one CRD; one side is missing when the CRD was added or removed. */
export interface CrdPair {
  readonly name: string;
  readonly old: JsonObject | undefined;
  readonly new: JsonObject | undefined;
  /** `status.storedVersions` of the old CRD, when it came from a cluster. */
  readonly storedVersions?: readonly string[];
}

/** A rule over one pair of schema nodes; called for every node present on both sides. */
export interface SchemaRule {
  readonly id: string;
  readonly scope: "schema";
  /** One line for reports (SARIF rule descriptions, `--list-rules`). */
  readonly summary: string;
  /** The JSON-Schema keywords this rule looks at. */
  readonly keywords: readonly string[];
  /** The findings of the rule on one schema node and its counterpart. */
  readonly check: (pair: SchemaPair) => RawFinding[];
}

/** A rule over a CRD as a whole (names, scope, versions, subresources). */
export interface CrdRule {
  readonly id: string;
  readonly scope: "crd";
  readonly summary: string;
  /** The CRD fields this rule looks at (`spec.scope`, `spec.versions[*].served`). */
  readonly fields: readonly string[];
  /** The findings of the rule on one CRD and its counterpart. */
  readonly check: (pair: CrdPair) => RawFinding[];
}

/** A diff rule: on schema nodes or on CRD fields. */
export type Rule = SchemaRule | CrdRule;
