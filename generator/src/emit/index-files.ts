import type { GroupVersionModel } from "../model/api.js";
import { stringLiteral } from "./print.js";
import { GENERATED_HEADER, type EmittedFile } from "./types-file.js";

/** `<group>/<version>/index.ts`: re-exports the types and every kind's file. */
export function emitGroupVersionIndex(gv: GroupVersionModel): EmittedFile {
  const lines = [
    GENERATED_HEADER,
    "",
    'export type * from "./types.js";',
    ...gv.kinds.map((k) => `export * from ${stringLiteral(`./${k.fileName}.js`)};`),
    'export * from "./client.js";',
    "",
  ];
  return { text: lines.join("\n"), exact: true };
}

