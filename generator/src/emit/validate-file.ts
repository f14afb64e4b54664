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
    const head = `export const ${kind.validatorName} = createValidator<${kind.typeName}>(`;
    if (!fitsLine(head)) exact = false;
    body.push(
      "",
      ...jsdoc("", `Checks a value against the schema of ${kind.kind} in ${gv.apiVersion} as the API server would (CEL rules\nand formats aside): \`parse(value)\` answers a typed ${kind.typeName} or throws a ValidationError.`, []),
      head,
      `  ${stringLiteral(`${kind.kind} (${gv.apiVersion})`)},`,
      `  ${stringLiteral(JSON.stringify(kind.validationSchema))},`,
      ");",
    );
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
