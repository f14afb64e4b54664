export { generate, generateFromSources, type GenerateOptions, type GeneratedOutput } from "./generate.js";
export { CodegenError, InputError, type Origin } from "./errors.js";
export type * from "./model/api.js";
export { buildModel, type ModelOptions } from "./model/build.js";
export { loadCrds, type LoadedCrd } from "./load/crds.js";
export { readSources, type SourceText } from "./load/sources.js";
export { checkOutput, writeOutput, MANIFEST, type CheckResult } from "./write/output.js";
export { runCli, type CliIo } from "./cli/run.js";
