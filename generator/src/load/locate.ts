import { LineCounter, parseAllDocuments, isNode } from "yaml";

/** A path into a parsed document: object keys and array indexes. */
export type DocPath = readonly (string | number)[];

/**
 * Finds the 1-based line where `path` starts in the `documentIndex`-th (1-based) YAML document of
 * `text`, or of the nearest ancestor that exists. Uses the slower `yaml` parser, which keeps source
 * positions: only called after the fact, to point an error at its line.
 */
export function lineOf(text: string, documentIndex: number, path: DocPath): number | undefined {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  if (!Array.isArray(docs)) return undefined;
  const doc = docs[documentIndex - 1];
  if (doc === undefined) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) {
      return lineCounter.linePos(node.range[0]).line;
    }
  }
  const start = doc.range[0];
  return lineCounter.linePos(start).line;
}

/** Renders a document path the way Kubernetes does: `spec.versions[0].schema`. */
export function formatPath(path: DocPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
