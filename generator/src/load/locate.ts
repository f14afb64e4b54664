import { createRequire } from "node:module";
import type { CST } from "yaml";

/**
 * The `yaml` package, loaded on the first lookup: only a message that points at a line needs it,
 * and loading it (72 modules) took about 17 ms of every run's start-up.
 */
let yamlPackage: typeof import("yaml") | undefined;
const yamlLib = (): typeof import("yaml") => (yamlPackage ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));

/** A path into a parsed document: object keys and array indexes. */
export type DocPath = readonly (string | number)[];

/**
 * Finds the 1-based line where `path` starts in the `documentIndex`-th (1-based) YAML document of
 * `text`, or of the nearest ancestor that exists. Only called after the fact, to point a message
 * at its line.
 */
export function lineOf(text: string, documentIndex: number, path: DocPath): number | undefined {
  return createLocator(text)(documentIndex, path);
}

type Token = CST.Token;
type Item = CST.CollectionItem;

/**
 * {@link lineOf} for many paths in one text. The text is read once, on the first call, into the
 * `yaml` package's concrete syntax tree (tokens with offsets: about a third of the cost of
 * composing documents); each lookup walks it by key and index. A key holding a block collection
 * answers with the key's own line; anything else with the line where its value starts.
 */
export function createLocator(text: string): (documentIndex: number, path: DocPath) => number | undefined {
  let docs: CST.Document[] | undefined;
  let lineStarts: number[] | undefined;
  const lineAt = (offset: number): number => {
    if (lineStarts === undefined) {
      lineStarts = [0];
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return (documentIndex, path) => {
    docs ??= [...new (yamlLib().Parser)().parse(text)].filter((t): t is CST.Document => t.type === "document");
    const doc = docs[documentIndex - 1];
    if (doc === undefined) return undefined;
    let node: Token | undefined = doc.value;
    let offset = node?.offset ?? doc.offset;
    for (const seg of path) {
      const item: Item | undefined = node === undefined ? undefined : childItem(node, seg);
      if (item === undefined) break;
      node = item.value ?? undefined;
      const blockValue = node !== undefined && (node.type === "block-map" || node.type === "block-seq");
      const keyOffset = item.key?.offset;
      offset = blockValue && keyOffset !== undefined ? keyOffset : (node?.offset ?? keyOffset ?? offset);
      if (node === undefined) break;
    }
    return lineAt(offset);
  };
}

function childItem(node: Token, seg: string | number): Item | undefined {
  if (node.type === "block-map" || (node.type === "flow-collection" && node.start.source === "{")) {
    if (typeof seg !== "string") return undefined;
    return (node.items as Item[]).find((it) => it.key !== undefined && it.key !== null && keyText(it.key) === seg);
  }
  if (node.type === "block-seq" || (node.type === "flow-collection" && node.start.source === "[")) {
    if (typeof seg !== "number") return undefined;
    return (node.items as Item[])[seg];
  }
  return undefined;
}

function keyText(key: Token): string | undefined {
  if (key.type === "scalar" || key.type === "single-quoted-scalar" || key.type === "double-quoted-scalar" || key.type === "block-scalar") {
    return yamlLib().CST.resolveAsScalar(key)?.value;
  }
  return undefined;
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
