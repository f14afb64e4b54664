import { builtinAccessors } from "./load/builtins.js";
import { loadCrds } from "./load/crds.js";
import { readSources, type SourceEnvironment, type SourceText } from "./load/sources.js";
import { validateCrds } from "./load/validate-crd.js";
import { parseInParallel } from "./load/parallel.js";
import { notCheckedNotes, ruleKinds } from "./model/not-checked.js";
import { WorkerPool } from "./threads/pool.js";
import { buildModel, type ModelOptions } from "./model/build.js";
import type { ApiModel } from "./model/api.js";
import { planFiles } from "./emit/plan.js";
import { formatFiles, type FormatMode } from "./format/prettier.js";
import { withManifest } from "./write/output.js";

/** Options of one generation run (the CLI and the config file map onto these). */
export interface GenerateOptions extends ModelOptions {
  /** Files, directories, globs, `-` for stdin. */
  readonly crds: readonly string[];
  /** Output directory (used to find the user's prettier config). */
  readonly out: string;
  readonly format?: FormatMode;
  /** Compose the root index with a package of built-in clients (`@kube-codegen/api`). */
  readonly builtins?: string | undefined;
  /** Threads that parse and check large inputs (default 1: this thread only). */
  readonly threads?: number | undefined;
}

/** The result of a run, in memory: nothing is written yet. */
export interface GeneratedOutput {
  readonly model: ApiModel;
  /** Relative path → content, including the manifest. */
  readonly files: Map<string, string>;
  /** Things the user should know (skipped documents, unserved versions), for stderr. */
  readonly notes: string[];
}

/** Loads, models, emits and formats; writes nothing. Throws {@link InputError} on bad input. */
export async function generate(options: GenerateOptions, env: SourceEnvironment): Promise<GeneratedOutput> {
  return generateFromSources(readSources(options.crds, env), options);
}

/** Like {@link generate}, from texts already read (a cluster, tests). */
export async function generateFromSources(sources: readonly SourceText[], options: Omit<GenerateOptions, "crds">): Promise<GeneratedOutput> {
  const reserved = options.builtins === undefined ? undefined : builtinAccessors(options.builtins, options.out);
  const { model, notes, rulesWorker } = await modelOf(sources, options, reserved !== undefined && "accessors" in reserved ? reserved.accessors : undefined);
  try {
    if (reserved !== undefined && "missing" in reserved) notes.push(reserved.missing);
    const rules = options.validators === true ? ruleKinds(model) : [];
    // On a worker when there is one, while this thread emits the files.
    const notChecked = rulesWorker !== undefined ? rulesWorker.run<string[]>(0, { type: "not-checked", kinds: rules }) : notCheckedNotes(rules);
    // Settled below; until then a failure must not be an unhandled rejection.
    notChecked.catch(() => undefined);
    const emitted = planFiles(model, { validators: options.validators === true, builtins: options.builtins }).map((t) => ({ path: t.path, ...t.emit() }));
    const formatted = await formatFiles(emitted, options.out, options.format ?? "auto");
    notes.push(...(await notChecked));
    return { model, files: withManifest(formatted), notes };
  } finally {
    await rulesWorker?.close();
  }
}

/**
 * Loads, checks and models the CRDs. With `threads` above 1, large inputs are parsed and checked
 * on worker threads, which end with the load (their heaps with them); with validators, a fresh worker then
 * starts loading the CEL engine while this thread builds the model.
 */
async function modelOf(sources: readonly SourceText[], options: Omit<GenerateOptions, "crds">, reservedAccessors: ModelOptions["reservedAccessors"]): Promise<{ model: ApiModel; notes: string[]; rulesWorker: WorkerPool | undefined }> {
  const pool = WorkerPool.forInput(sources, options.threads);
  let parallel;
  try {
    parallel = pool === undefined ? undefined : await parseInParallel(sources, pool.size, (w, share) => pool.parse(w, share));
  } finally {
    await pool?.close();
  }
  const rulesWorker = pool !== undefined && options.validators === true ? WorkerPool.forRules() : undefined;
  try {
    const loaded = loadCrds(sources, parallel?.documents);
    // Nothing is generated for a CRD the API server would refuse.
    const checked = validateCrds(loaded.crds, parallel?.checks);
    const built = buildModel(loaded.crds, { ...options, reservedAccessors });
    return { model: built.model, notes: [...loaded.notes.map((n) => n.message), ...checked, ...built.notes], rulesWorker };
  } catch (err) {
    await rulesWorker?.close();
    throw err;
  }
}
