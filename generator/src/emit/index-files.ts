import type { GroupVersionModel } from "../model/api.js";
import { stringLiteral } from "./print.js";
import { GENERATED_HEADER, type EmittedFile } from "./types-file.js";

/** `<group>/<version>/index.ts`: re-exports the types, every kind's file, the client and the validators. */
export function emitGroupVersionIndex(gv: GroupVersionModel, validators: boolean): EmittedFile {
  const lines = [
    GENERATED_HEADER,
    "",
    'export type * from "./types.js";',
    ...gv.kinds.map((k) => `export * from ${stringLiteral(`./${k.fileName}.js`)};`),
    'export * from "./client.js";',
    ...(validators ? ['export * from "./validate.js";'] : []),
    "",
  ];
  return { text: lines.join("\n"), exact: true };
}

