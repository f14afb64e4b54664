import * as yaml from "js-yaml";
import { InputError } from "../errors.js";
import { checkBounds, LIMITS } from "./bounds.js";
import { formatPath, lineOf, type DocPath } from "./locate.js";
import type { SourceText } from "./sources.js";

/** A JSON value as parsed from YAML or JSON. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One parsed document and where it came from. */
export interface ParsedDocument {
  readonly source: SourceText;
  /** 1-based index of the document in its file. */
  readonly index: number;
  readonly value: JsonValue;
}

/**
 * YAML as Kubernetes tooling reads it: the core schema (null, booleans, numbers, strings) plus merge
 * keys. No timestamps (an unquoted date stays the string it reads as, which is what reaches the
 * API server as JSON) and no binary or set types.
 */
const YAML_SCHEMA = yaml.CORE_SCHEMA.extend([(yaml as unknown as { types: { merge: yaml.Type } }).types.merge]);

/**
 * Parses a file's documents: JSON (one document) when the text starts with `{` or `[`, otherwise
 * multi-document YAML. Empty documents are dropped. A syntax error is an {@link InputError} with the
 * file, document and line; so is a document past the {@link LIMITS} on untrusted input (too deep,
 * too large, an alias bomb or a recursive alias, a non-finite number). Long strings get storage of
 * their own unless `ownStrings` is false (see {@link checkBounds}).
 */
export function parseDocuments(source: SourceText, options: { readonly ownStrings?: boolean } = {}): ParsedDocument[] {
  const own = options.ownStrings ?? true;
  const trimmed = source.text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let value: JsonValue | undefined;
    try {
      value = JSON.parse(source.text) as JsonValue;
    } catch {
      // Fall through: YAML is a superset of JSON and reports the line of the error.
    }
    if (value !== undefined) return [bounded({ source, index: 1, value }, false, own)];
  }
  let values: unknown[];
  try {
    // js-yaml's own depth limit is only a backstop: checkBounds applies one limit to JSON and YAML.
    values = yaml.loadAll(source.text, null, { filename: source.name, schema: YAML_SCHEMA, maxDepth: 2 * LIMITS.depth } as yaml.LoadOptions);
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      const mark = err.mark as { line: number; column: number } | undefined;
      const line = (mark?.line ?? 0) + 1;
      const reason = err.reason.replace(/\s+/g, " ");
      throw new InputError(
        `YAML syntax error: ${reason}${mark === undefined ? "" : ` (column ${mark.column + 1})`}`,
        { file: source.name, document: documentIndexAtLine(source.text, line), line },
        undefined,
        { cause: err },
      );
    }
    throw err;
  }
  const docs: ParsedDocument[] = [];
  // Aliases need an anchor (`&name`); without one in the text, no object can be shared.
  const aliases = source.text.includes("&");
  values.forEach((value, i) => {
    if (value === null || value === undefined) return;
    docs.push(bounded({ source, index: i + 1, value: value as JsonValue }, aliases, own));
  });
  return docs;
}

function bounded(doc: ParsedDocument, aliases: boolean, ownStrings: boolean): ParsedDocument {
  const violation = checkBounds(doc.value, aliases, ownStrings);
  if (violation === undefined) return doc;
  const shown = violation.path.length > 16 ? `${formatPath(violation.path.slice(0, 12))}…(${violation.path.length - 12} more levels)` : formatPath(violation.path);
  throw errorAt(doc, violation.path, violation.message, shown);
}

/** Counts `---` document markers before a line: the 1-based index of the document holding it. */
function documentIndexAtLine(text: string, line: number): number {
  const lines = text.split("\n", line);
  let index = 1;
  let sawContent = false;
  for (const l of lines.slice(0, line - 1)) {
    if (/^---(\s|$)/.test(l)) {
      if (sawContent) index++;
      sawContent = true; // a leading marker opens the first document
    } else if (l.trim() !== "" && !l.startsWith("#")) {
      sawContent = true;
    }
  }
  return index;
}

/** Builds an {@link InputError} for a place inside a parsed document, with its line. */
export function errorAt(doc: ParsedDocument, path: DocPath, detail: string, displayPath?: string): InputError {
  const line = lineOf(doc.source.text, doc.index, path);
  const origin = line === undefined
    ? { file: doc.source.name, document: doc.index }
    : { file: doc.source.name, document: doc.index, line };
  return new InputError(detail, origin, displayPath);
}

/** Narrowing helper: a JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
