import type { ApiModel } from "./api.js";

/** A kind whose validator has CEL rules: what the "not checked" listing needs of it. */
export interface RuleKind {
  readonly crdName: string;
  readonly version: string;
  readonly kind: string;
  readonly schemaJson: string;
}

/** The kinds of a model whose validation schema holds `x-kubernetes-validations`, in model order. */
export function ruleKinds(model: ApiModel): RuleKind[] {
  const out: RuleKind[] = [];
  for (const g of model.groups) {
    for (const gv of g.versions) {
      for (const k of gv.kinds) {
        if (k.validationSchemaJson.includes('"x-kubernetes-validations"')) out.push({ crdName: k.crdName, version: gv.version, kind: k.kind, schemaJson: k.validationSchemaJson });
      }
    }
  }
  return out;
}

/**
 * A note per kind whose validator cannot evaluate some of its CEL rules: the runtime compiles them
 * to tell, as the generated validator will.
 */
export async function notCheckedNotes(kinds: readonly RuleKind[]): Promise<string[]> {
  if (kinds.length === 0) return [];
  // The validators' own module only: the runtime's index would load the REST client too.
  const { createValidator } = await import("@kube-codegen/runtime/validate");
  const notes: string[] = [];
  for (const k of kinds) {
    const missing = createValidator(k.kind, k.schemaJson).notChecked();
    if (missing.length === 0) continue;
    const list = missing.map((n) => `${n.path}: ${JSON.stringify(n.what)} (${n.reason})`).join("; ");
    notes.push(`${k.crdName} ${k.version}: the validator does not check ${missing.length === 1 ? "a CEL rule" : `${missing.length} CEL rules`} (the server still does; results list it as notChecked): ${list}`);
  }
  return notes;
}
