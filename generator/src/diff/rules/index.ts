import type { Rule } from "../types.js";
import { CRD_RULES } from "./crd.js";
import { SCHEMA_RULES } from "./schema.js";

export { CRD_RULES } from "./crd.js";
export { SCHEMA_KEYWORDS, SCHEMA_RULES } from "./schema.js";

/** Every rule of `kube-codegen diff`, by stable id: CRD-level rules first, then schema rules. */
export const RULES: readonly Rule[] = [...CRD_RULES, ...SCHEMA_RULES];

/** Rule ids in report order. */
export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** The rule with that id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
