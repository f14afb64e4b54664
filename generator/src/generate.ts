import { builtinAccessors } from "./load/builtins.js";
import { loadCrds } from "./load/crds.js";
import { readSources, type SourceEnvironment, type SourceText } from "./load/sources.js";
import { validateCrds } from "./load/validate-crd.js";
import { parseInParallel } from "./load/parallel.js";
import { notCheckedNotes, ruleKinds } from "./model/not-checked.js";
import { WorkerPool } from "./threads/pool.js";
import { buildModelTaking, type ModelOptions } from "./model/build.js";
import { kindCount, type ApiModel } from "./model/api.js";
import { planFiles } from "./emit/plan.js";
import { createFormatter, type FormatMode } from "./format/prettier.js";
import { assertSafe, MANIFEST, manifestText, type OutputSink } from "./write/output.js";

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

/** What a run into a sink reports besides its files. */
export interface RunSummary {
  readonly kinds: number;
  /** Files given to the sink, the manifest included. */
  readonly files: number;
  readonly notes: string[];
}

/** The sources of a run, read when the run needs them (a cluster's come asynchronously). */
export type ReadSources = () => readonly SourceText[] | Promise<readonly SourceText[]>;

/** Loads, models, emits and formats; writes nothing. Throws {@link InputError} on bad input. */
export function generate(options: GenerateOptions, env: SourceEnvironment): Promise<GeneratedOutput> {
  return collect(() => readSources(options.crds, env), options);
}

/** Like {@link generate}, from texts already read (a cluster, tests). */
export function generateFromSources(sources: readonly SourceText[], options: Omit<GenerateOptions, "crds">): Promise<GeneratedOutput> {
  return collect(() => sources, options);
}

/** A run whose files are kept in memory. */
async function collect(read: ReadSources, options: Omit<GenerateOptions, "crds">): Promise<GeneratedOutput> {
  const files = new Map<string, string>();
  // In path order, the manifest last: the order withManifest gives any set of files.
  const { model, notes } = await run(read, options, { file: (path, text) => (assertSafe(path, "write"), void files.set(path, text)) });
  return { model, files, notes };
}

/**
 * Loads, models, emits and formats into `sink`, one file at a time in path order (the manifest
 * last), so that a run holds the model and one file's text, never the whole output. `read` is
 * called once; the sources' texts and documents are let go once the model is built.
 */
export async function generateInto(read: ReadSources, options: Omit<GenerateOptions, "crds">, sink: OutputSink): Promise<RunSummary> {
  const { model: _model, ...summary } = await run(read, options, sink);
  return summary;
}

async function run(read: ReadSources, options: Omit<GenerateOptions, "crds">, sink: OutputSink): Promise<RunSummary & { model: ApiModel }> {
  const reserved = options.builtins === undefined ? undefined : builtinAccessors(options.builtins, options.out);
  const { model, notes, rulesWorker } = await modelOf(read, options, reserved !== undefined && "accessors" in reserved ? reserved.accessors : undefined);
  try {
    if (reserved !== undefined && "missing" in reserved) notes.push(reserved.missing);
    const rules = options.validators === true ? ruleKinds(model) : [];
    // On a worker when there is one, while this thread emits the files.
    const notChecked = rulesWorker !== undefined ? rulesWorker.run<string[]>(0, { type: "not-checked", kinds: rules }) : notCheckedNotes(rules);
    // Settled below; until then a failure must not be an unhandled rejection.
    notChecked.catch(() => undefined);
    const format = await createFormatter(options.out, options.format ?? "auto");
    const paths: string[] = [];
    for (const target of planFiles(model, { validators: options.validators === true, builtins: options.builtins })) {
      sink.file(target.path, await format({ path: target.path, ...target.emit() }));
      paths.push(target.path);
    }
    notes.push(...(await notChecked));
    sink.file(MANIFEST, manifestText(paths));
    return { model, kinds: kindCount(model), files: paths.length + 1, notes };
  } finally {
    await rulesWorker?.close();
  }
}

/**
 * Loads, checks and models the CRDs. With `threads` above 1, large inputs are parsed and checked
 * on worker threads, which end with the load (their heaps with them); with validators, a fresh worker then
 * starts loading the CEL engine while this thread builds the model.
 */
async function modelOf(read: ReadSources, options: Omit<GenerateOptions, "crds">, reservedAccessors: ModelOptions["reservedAccessors"]): Promise<{ model: ApiModel; notes: string[]; rulesWorker: WorkerPool | undefined }> {
  // Only this frame holds the sources: they go when the model is built.
  const sources = await read();
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
    const notes = [...loaded.notes.map((n) => n.message), ...validateCrds(loaded.crds, parallel?.checks)];
    parallel = undefined;
    // The model takes the CRDs: their documents go group by group as it is built.
    const built = buildModelTaking(loaded.crds, { ...options, reservedAccessors });
    return { model: built.model, notes: [...notes, ...built.notes], rulesWorker };
  } catch (err) {
    await rulesWorker?.close();
    throw err;
  }
}
