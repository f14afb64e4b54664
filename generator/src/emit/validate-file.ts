import type { GroupVersionModel } from "../model/api.js";
import { fitsLine, importLine, jsdoc, stringLiteral } from "./print.js";
import { GENERATED_HEADER, type EmittedFile } from "./types-file.js";

/**
 * `<group>/<version>/validate.ts`: one validator per kind (`validateWidget`), from the runtime's
 * `createValidator` and the kind's schema in the form `model/validation.ts` makes. The schema is a
 * JSON string: nothing for the TypeScript compiler to check, parsed and compiled on first use.
 */
export function emitValidateFile(gv: GroupVersionModel): EmittedFile {
  let exact = true;
  const body: string[] = [];
  for (const kind of gv.kinds) {
    const call = `createValidator<${kind.typeName}>(`;
    const args = [stringLiteral(`${kind.kind} (${gv.apiVersion})`), stringLiteral(kind.validationSchemaJson)];
    const doc = jsdoc("", `Checks a value against the schema of ${kind.kind} in ${gv.apiVersion} as the API server would (defaults,\nformats, CEL rules): \`parse(value)\` answers a typed ${kind.typeName} or throws a ValidationError.`, []);
    const head = `export const ${kind.validatorName} = ${call}`;
    if (fitsLine(head)) {
      body.push("", ...doc, head, ...args.map((a) => `  ${a},`), ");");
    } else {
      // prettier breaks after `=` when the call's head does not fit; past that it is not known here.
      if (!fitsLine(`  ${call}`)) exact = false;
      body.push("", ...doc, `export const ${kind.validatorName} =`, `  ${call}`, ...args.map((a) => `    ${a},`), "  );");
    }
  }
  const lines = [
    GENERATED_HEADER,
    "",
    ...importLine(["createValidator"], "@kube-codegen/runtime", false),
    ...importLine(gv.kinds.map((k) => k.typeName), "./types.js", true),
    ...body,
    "",
  ];
  return { text: lines.join("\n"), exact };
}
