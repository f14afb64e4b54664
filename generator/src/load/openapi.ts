import { InputError } from "../errors.js";
import { isJsonObject, type JsonObject, type JsonValue } from "./documents.js";
import type { SourceText } from "./sources.js";

/**
 * One group version's OpenAPI v3 document, as `GET /openapi/v3/apis/<group>/<version>` (or
 * `/openapi/v3/api/v1`) returns it: its paths and its `components.schemas`.
 */
export interface OpenApiDocument {
  /** Where it came from, for messages: a file name or `cluster:/openapi/v3/apis/apps/v1`. */
  readonly source: string;
  /** `""` for the core group. */
  readonly group: string;
  readonly version: string;
  /** `/api/v1` or `/apis/<group>/<version>`: the prefix of every path. */
  readonly prefix: string;
  readonly paths: JsonObject;
  readonly schemas: JsonObject;
}

/** What {@link parseOpenApiDocuments} found besides the group-version documents. */
export interface OpenApiLoadResult {
  readonly documents: OpenApiDocument[];
  readonly notes: string[];
}

const PREFIX = /^\/(?:api\/(v[^/]+)|apis\/([^/]+)\/([^/]+))(?:\/|$)/;

/**
 * Parses OpenAPI v3 documents (JSON). A document's group version comes from its paths, not its
 * file name, so a directory of documents saved under any names works. Documents that describe no
 * group version (`/openapi/v3/api`, `/apis`, `/version`, `/.well-known/...`) are skipped with a
 * note; so is a second document of the same group version when it is identical. Anything that is
 * not an OpenAPI 3 document is an {@link InputError} naming the file.
 */
export function parseOpenApiDocuments(sources: readonly SourceText[]): OpenApiLoadResult {
  const notes: string[] = [];
  const byPrefix = new Map<string, OpenApiDocument>();
  for (const source of sources) {
    let value: JsonValue;
    try {
      value = JSON.parse(source.text) as JsonValue;
    } catch (err) {
      throw new InputError(`not JSON (an OpenAPI v3 document as the API server serves it is JSON): ${(err as Error).message}`, { file: source.name }, undefined, { cause: err });
    }
    if (!isJsonObject(value) || typeof value["openapi"] !== "string" || !value["openapi"].startsWith("3.")) {
      throw new InputError("not an OpenAPI 3 document (no \"openapi\": \"3.x\" field)", { file: source.name });
    }
    const paths = value["paths"] ?? {};
    if (!isJsonObject(paths)) throw new InputError("paths must be an object", { file: source.name }, "paths");
    const components = value["components"] ?? {};
    const schemas = isJsonObject(components) ? (components["schemas"] ?? {}) : undefined;
    if (!isJsonObject(schemas)) throw new InputError("components.schemas must be an object", { file: source.name }, "components.schemas");
    // `/apis/apps/` (the group's document) and `/api/` have no version segment: they do not match.
    const prefixes = new Map<string, { group: string; version: string }>();
    for (const p of Object.keys(paths)) {
      const m = PREFIX.exec(p);
      if (m === null) continue;
      const group = m[2] ?? "";
      const version = m[1] ?? m[3] ?? "";
      prefixes.set(group === "" ? `/api/${version}` : `/apis/${group}/${version}`, { group, version });
    }
    const versioned = [...prefixes.keys()];
    const gv = prefixes.get(versioned[0] ?? "");
    if (gv === undefined) {
      notes.push(`${source.name}: no group version's resources in it (a discovery or version document); skipped`);
      continue;
    }
    if (versioned.length > 1) {
      throw new InputError(`paths of more than one group version in one document (${versioned.sort().join(", ")}); expected one document per group version, as /openapi/v3 serves them`, { file: source.name }, "paths");
    }
    const prefix = versioned[0] ?? "";
    const doc: OpenApiDocument = { source: source.name, group: gv.group, version: gv.version, prefix, paths, schemas };
    const seen = byPrefix.get(prefix);
    if (seen !== undefined) {
      if (JSON.stringify(seen.paths) !== JSON.stringify(paths)) {
        throw new InputError(`a second, different document for ${prefix} (the first is ${seen.source})`, { file: source.name });
      }
      notes.push(`${source.name}: the same document as ${seen.source}; skipped`);
      continue;
    }
    byPrefix.set(prefix, doc);
  }
  const documents = [...byPrefix.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  if (documents.length === 0) throw new InputError(`no OpenAPI v3 group-version document among ${sources.length} input file${sources.length === 1 ? "" : "s"}`);
  return { documents, notes };
}
