import type { ApiModel, GroupVersionModel } from "../model/api.js";
import { stringLiteral } from "./print.js";
import { GENERATED_HEADER, type EmittedFile } from "./types-file.js";

/** `<group>/<version>/index.ts`: re-exports the types and every kind's file. */
export function emitGroupVersionIndex(gv: GroupVersionModel): EmittedFile {
  const lines = [
    GENERATED_HEADER,
    "",
    'export type * from "./types.js";',
    ...gv.kinds.map((k) => `export * from ${stringLiteral(`./${k.fileName}.js`)};`),
    "",
  ];
  return { text: lines.join("\n"), exact: true };
}

/** Root `index.ts`: one namespace per group version, named by its clientset accessor. */
export function emitRootIndex(api: ApiModel): EmittedFile {
  const gvs: GroupVersionModel[] = api.groups.flatMap((g) => g.versions);
  const lines = [
    GENERATED_HEADER,
    "",
    ...gvs.map((gv) => `export * as ${gv.accessor} from ${stringLiteral(`./${gv.folder}/index.js`)};`),
    "",
  ];
  return { text: lines.join("\n"), exact: true };
}
