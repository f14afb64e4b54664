import { nameGlob } from "./glob.js";
import { parseOpenApiDocuments } from "./load/openapi.js";
import type { SourceText } from "./load/sources.js";
import { buildOpenApiModel } from "./model/openapi.js";
import { planFiles } from "./emit/plan.js";
import { formatFiles, type FormatMode } from "./format/prettier.js";
import { withManifest } from "./write/output.js";
import type { GeneratedOutput } from "./generate.js";

/** Options of a generation run from OpenAPI v3 documents (built-in APIs). */
export interface OpenApiGenerateOptions {
  /** Output directory (used to find the user's prettier config). */
  readonly out: string;
  readonly format?: FormatMode | undefined;
  /**
   * Group names or globs whose group versions get clients (`apps`, `*.k8s.io`; `core` or `""` is
   * the core group); every other group version referenced by them still gets its types. None: all.
   */
  readonly groups?: readonly string[] | undefined;
}

/** Parses, models, emits and formats OpenAPI v3 documents; writes nothing. Throws InputError on bad input. */
export async function generateFromOpenApi(sources: readonly SourceText[], options: OpenApiGenerateOptions): Promise<GeneratedOutput> {
  const loaded = parseOpenApiDocuments(sources);
  const selected = groupFilter(options.groups);
  const built = buildOpenApiModel(loaded.documents, { selected });
  const emitted = planFiles(built.model).map((t) => ({ path: t.path, ...t.emit() }));
  const formatted = await formatFiles(emitted, options.out, options.format ?? "auto");
  return { model: built.model, files: withManifest(formatted), notes: [...loaded.notes, ...built.notes] };
}

/** A predicate over group names from `--group` globs; `core` stands for the core group `""`. */
export function groupFilter(groups: readonly string[] | undefined): ((group: string) => boolean) | undefined {
  if (groups === undefined || groups.length === 0) return undefined;
  const globs = groups.map(nameGlob);
  return (group) => globs.some((g) => g.test(group) || (group === "" && g.test("core")));
}
