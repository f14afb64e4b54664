import { isDeepStrictEqual } from "node:util";
import { InputError } from "../errors.js";
import { errorAt, isJsonObject, parseDocuments, type JsonObject, type JsonValue, type ParsedDocument } from "./documents.js";
import type { DocPath } from "./locate.js";
import type { SourceText } from "./sources.js";

/** A CustomResourceDefinition (`apiextensions.k8s.io/v1`) as loaded, with its origin. */
export interface LoadedCrd {
  /** `metadata.name`, `<plural>.<group>`. */
  readonly name: string;
  readonly object: JsonObject;
  readonly document: ParsedDocument;
  /** Path of the CRD inside its document: `[]`, or `["items", 3]` inside a List. */
  readonly pathInDocument: DocPath;
}

/** What loading found besides the CRDs, for the user's information (stderr). */
export interface LoadNote {
  readonly message: string;
}

/** The CRDs of a set of inputs, deduplicated, sorted by name. */
export interface LoadResult {
  readonly crds: LoadedCrd[];
  readonly notes: LoadNote[];
}

const CRD_API_V1 = "apiextensions.k8s.io/v1";

/**
 * Parses the sources and keeps the CRDs: `List` wrappers are unwrapped, other documents are skipped
 * with a note, `apiextensions.k8s.io/v1beta1` is rejected, identical duplicates are merged and
 * conflicting ones rejected naming both places. `documents` parses a source (the parallel load
 * passes the documents it already has).
 */
export function loadCrds(sources: readonly SourceText[], documents: (source: SourceText) => ParsedDocument[] = parseDocuments): LoadResult {
  const byName = new Map<string, LoadedCrd>();
  const notes: LoadNote[] = [];
  for (const source of sources) {
    for (const doc of documents(source)) {
      collect(doc, doc.value, [], byName, notes);
    }
    // Parsed: the documents hold what the run needs (a file is read again for an error's line).
    source.release?.();
  }
  const crds = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (crds.length === 0) {
    throw new InputError(
      `no CustomResourceDefinition (${CRD_API_V1}) found in ${sources.map((s) => s.name).join(", ")}`,
    );
  }
  return { crds, notes };
}

/** The items of a `List` wrapper (a kind ending in `List` with an `items` array), or undefined. */
export function listItems(value: JsonObject): JsonValue[] | undefined {
  const kind = value["kind"];
  const items = value["items"];
  return typeof kind === "string" && kind.endsWith("List") && Array.isArray(items) ? items : undefined;
}

/** Whether an object is a CRD that {@link loadCrds} keeps (`apiextensions.k8s.io/v1`). */
export function isCrdV1(value: JsonObject): boolean {
  return value["kind"] === "CustomResourceDefinition" && value["apiVersion"] === CRD_API_V1;
}

function collect(
  doc: ParsedDocument,
  value: unknown,
  path: DocPath,
  byName: Map<string, LoadedCrd>,
  notes: LoadNote[],
): void {
  const where = `${doc.source.name}, document ${doc.index}${path.length > 0 ? ` item ${String(path[1])}` : ""}`;
  if (!isJsonObject(value)) {
    notes.push({ message: `skipped ${where}: not an object` });
    return;
  }
  const kind = value["kind"];
  const apiVersion = value["apiVersion"];
  const items = listItems(value);
  if (items !== undefined) {
    items.forEach((item, i) => collect(doc, item, [...path, "items", i], byName, notes));
    return;
  }
  if (kind !== "CustomResourceDefinition") {
    const name = isJsonObject(value["metadata"]) ? value["metadata"]["name"] : undefined;
    const what = typeof kind === "string" ? `${kind}${typeof name === "string" ? ` ${name}` : ""}` : "a document without kind";
    notes.push({ message: `skipped ${where}: ${what} is not a CustomResourceDefinition` });
    return;
  }
  if (apiVersion !== CRD_API_V1) {
    const hint = apiVersion === "apiextensions.k8s.io/v1beta1"
      ? "apiextensions.k8s.io/v1beta1 was removed in Kubernetes 1.22; convert the CRD to apiextensions.k8s.io/v1 (structural schema per version)"
      : `expected apiVersion ${CRD_API_V1}, got ${JSON.stringify(apiVersion)}`;
    throw errorAt(doc, [...path, "apiVersion"], hint);
  }
  const meta = value["metadata"];
  const name = isJsonObject(meta) ? meta["name"] : undefined;
  if (typeof name !== "string" || name === "") {
    throw errorAt(doc, [...path, "metadata"], "CustomResourceDefinition without metadata.name", "metadata.name");
  }
  const crd: LoadedCrd = { name, object: value, document: doc, pathInDocument: path };
  const previous = byName.get(name);
  if (previous === undefined) {
    byName.set(name, crd);
    return;
  }
  if (isDeepStrictEqual(previous.object["spec"], value["spec"])) {
    notes.push({ message: `CustomResourceDefinition ${name} appears twice with the same spec (${describe(previous)} and ${describe(crd)}); using it once` });
    return;
  }
  throw new InputError(
    `CustomResourceDefinition ${name} is defined twice with different specs: in ${describe(previous)} and in ${describe(crd)}. ` +
      `Give each run one variant of a CRD (for example one channel or one install profile).`,
  );
}

function describe(crd: LoadedCrd): string {
  return `${crd.document.source.name} (document ${crd.document.index})`;
}
