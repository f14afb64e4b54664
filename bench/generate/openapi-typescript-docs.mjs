// openapi-typescript over a directory of OpenAPI v3 documents, in one process (no process start-up
// per document): `node openapi-typescript-docs.mjs <openapi-typescript module dir> <docs dir> <out dir>`.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [moduleDir, docs, out] = process.argv.slice(2);
const { default: openapiTS, astToString } = await import(pathToFileURL(join(moduleDir, "dist/index.mjs")).href);
for (const f of readdirSync(docs).sort()) {
  const ast = await openapiTS(JSON.parse(readFileSync(join(docs, f), "utf8")));
  writeFileSync(join(out, f.replace(/\.json$/, ".ts")), astToString(ast));
}
