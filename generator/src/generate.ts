import { builtinAccessors } from "./load/builtins.js";
import { loadCrds } from "./load/crds.js";
import { readSources, type SourceEnvironment, type SourceText } from "./load/sources.js";
import { validateCrds } from "./load/validate-crd.js";
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

/** A note per kind whose validator cannot evaluate some CEL rules (the runtime compiles them to tell). */
async function rulesNotChecked(model: ApiModel): Promise<string[]> {
  const notes: string[] = [];
  // The validators' own module only: the runtime's index would load the REST client too.
  const { createValidator } = await import("@kube-codegen/runtime/validate");
  for (const g of model.groups) {
    for (const gv of g.versions) {
      for (const k of gv.kinds) {
        if (!k.validationSchemaJson.includes('"x-kubernetes-validations"')) continue;
        const missing = createValidator(k.kind, k.validationSchemaJson).notChecked();
        if (missing.length === 0) continue;
        const list = missing.map((n) => `${n.path}: ${JSON.stringify(n.what)} (${n.reason})`).join("; ");
        notes.push(`${k.crdName} ${gv.version}: the validator does not check ${missing.length === 1 ? "a CEL rule" : `${missing.length} CEL rules`} (the server still does; results list it as notChecked): ${list}`);
      }
    }
  }
  return notes;
}

/** Like {@link generate}, from texts already read (a cluster, tests). */
export async function generateFromSources(sources: readonly SourceText[], options: Omit<GenerateOptions, "crds">): Promise<GeneratedOutput> {
  // The parsed documents and source texts become garbage here, before the output is built.
  const reserved = options.builtins === undefined ? undefined : builtinAccessors(options.builtins, options.out);
  const { model, notes } = modelOf(sources, { ...options, reservedAccessors: reserved !== undefined && "accessors" in reserved ? reserved.accessors : undefined });
  if (reserved !== undefined && "missing" in reserved) notes.push(reserved.missing);
  if (options.validators === true) notes.push(...(await rulesNotChecked(model)));
  const emitted = planFiles(model, { validators: options.validators === true, builtins: options.builtins }).map((t) => ({ path: t.path, ...t.emit() }));
  const formatted = await formatFiles(emitted, options.out, options.format ?? "auto");
  return { model, files: withManifest(formatted), notes };
}

function modelOf(sources: readonly SourceText[], options: ModelOptions): { model: ApiModel; notes: string[] } {
  const loaded = loadCrds(sources);
  // Nothing is generated for a CRD the API server would refuse.
  const checked = validateCrds(loaded.crds);
  const built = buildModel(loaded.crds, options);
  return { model: built.model, notes: [...loaded.notes.map((n) => n.message), ...checked, ...built.notes] };
}
