import { LineCounter, parseAllDocuments, isNode } from "yaml";

/** A path into a parsed document: object keys and array indexes. */
export type DocPath = readonly (string | number)[];

/**
 * Finds the 1-based line where `path` starts in the `documentIndex`-th (1-based) YAML document of
 * `text`, or of the nearest ancestor that exists. Uses the slower `yaml` parser, which keeps source
 * positions: only called after the fact, to point an error at its line.
 */
export function lineOf(text: string, documentIndex: number, path: DocPath): number | undefined {
  return createLocator(text)(documentIndex, path);
}

/** {@link lineOf} for many paths in one text: the text is parsed once, on the first call. */
export function createLocator(text: string): (documentIndex: number, path: DocPath) => number | undefined {
  let parsed: { docs: ReturnType<typeof parseAllDocuments>; lineCounter: LineCounter } | undefined;
  return (documentIndex, path) => {
    if (parsed === undefined) {
      const lineCounter = new LineCounter();
      parsed = { docs: parseAllDocuments(text, { lineCounter, uniqueKeys: false }), lineCounter };
    }
    const { docs, lineCounter } = parsed;
    if (!Array.isArray(docs)) return undefined;
    const doc = docs[documentIndex - 1];
    if (doc === undefined) return undefined;
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range !== undefined && node.range !== null) {
        return lineCounter.linePos(node.range[0]).line;
      }
    }
    const range = doc.range as [number, number, number] | undefined;
    return range === undefined ? undefined : lineCounter.linePos(range[0]).line;
  };
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
