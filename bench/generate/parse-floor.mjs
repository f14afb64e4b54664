// The generation bench's floor: js-yaml (the generator's own copy) parses every file given, on one
// thread, and keeps nothing. `node bench/generate/parse-floor.mjs <files...>`
import { readFileSync } from "node:fs";
import yaml from "../../generator/node_modules/js-yaml/index.js";

for (const file of process.argv.slice(2)) yaml.loadAll(readFileSync(file, "utf8"));
