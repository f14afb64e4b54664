import { InputError, type Origin } from "../errors.js";
import { isJsonObject, parseDocuments, type JsonObject, type JsonValue, type ParsedDocument } from "./documents.js";
import { isCrdV1, listItems } from "./crds.js";
import { crdProblems, type CrdCheck } from "./validate-crd.js";
import type { SourceText } from "./sources.js";

/** One CRD's verdict, computed where its document was parsed, and its List item indices (none at the root). */
interface CheckedCrd {
  readonly items: readonly number[];
  readonly check: CrdCheck;
}

/** What parsing one source gave: its documents (values as JSON text off the main thread) or its error. */
export type ParsedSource =
  | { readonly ok: true; readonly docs: readonly { index: number; value: JsonValue | string; crds: CheckedCrd[] }[] }
  | { readonly ok: false; readonly error: { detail: string; origin: Origin | undefined; schemaPath: string | undefined } };

/**
 * Parses one source and checks the CRDs of its documents; `asText` hands each document back as
 * JSON text (for a worker). An {@link InputError} is caught and returned, so that the caller can
 * report the first error in source order, as the sequential load does; other errors propagate.
 */
export function parseSourceChecked(source: SourceText, asText: boolean): ParsedSource {
  try {
    // Text handed to another thread is copied there: its strings need no storage of their own here.
    const docs = parseDocuments(source, { ownStrings: !asText }).map((d) => ({ index: d.index, value: asText ? JSON.stringify(d.value) : d.value, crds: checkDocument(d.value) }));
    return { ok: true, docs };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { ok: false, error: { detail: err.detail, origin: err.origin, schemaPath: err.schemaPath } };
  }
}

/** The verdicts of the CRDs of a document, found as {@link loadCrds} finds them (Lists unwrapped). */
function checkDocument(value: JsonValue, items: number[] = []): CheckedCrd[] {
  if (!isJsonObject(value)) return [];
  const list = listItems(value);
  if (list !== undefined) return list.flatMap((item, i) => checkDocument(item, [...items, i]));
  return isCrdV1(value) ? [{ items, check: crdProblems(value) }] : [];
}

/** The parsed documents of every source, in order, with each CRD object's verdict already known. */
export interface ParallelLoad {
  readonly documents: (source: SourceText) => ParsedDocument[];
  readonly checks: WeakMap<JsonObject, CrdCheck>;
}

/** Parses `sources` on a worker (their documents come back as JSON text). */
export type ParseOnWorker = (worker: number, sources: readonly SourceText[]) => Promise<ParsedSource[]>;

/**
 * Parses and checks the sources on this thread and `workers` others, the largest files first onto
 * the least loaded thread. The result is the sequential load's, including which error is reported
 * first (the first in source order).
 */
export async function parseInParallel(sources: readonly SourceText[], workers: number, parseOn: ParseOnWorker): Promise<ParallelLoad> {
  // This thread also turns the workers' JSON back into objects: it takes a little less.
  const weight = (t: number): number => (t === 0 ? 1.15 : 1);
  const shares: number[][] = Array.from({ length: workers + 1 }, () => []);
  const load = new Array<number>(workers + 1).fill(0);
  const order = sources.map((_s, i) => i).sort((a, b) => (sources[b]?.text.length ?? 0) - (sources[a]?.text.length ?? 0));
  for (const i of order) {
    let t = 0;
    for (let k = 1; k < load.length; k++) if ((load[k] ?? 0) * weight(k) < (load[t] ?? 0) * weight(t)) t = k;
    shares[t]?.push(i);
    load[t] = (load[t] ?? 0) + (sources[i]?.text.length ?? 0);
  }
  const results = new Array<ParsedSource | undefined>(sources.length);
  const pending = shares.slice(1).map((share, w) => parseOn(w, share.map((i) => sources[i] as SourceText)).then((parsed) => share.forEach((i, k) => (results[i] = parsed[k]))));
  for (const i of shares[0] ?? []) results[i] = parseSourceChecked(sources[i] as SourceText, false);
  await Promise.all(pending);
  return assemble(sources, results);
}

function assemble(sources: readonly SourceText[], results: readonly (ParsedSource | undefined)[]): ParallelLoad {
  const byIndex = new Map<SourceText, ParsedDocument[]>();
  const checks = new WeakMap<JsonObject, CrdCheck>();
  sources.forEach((source, i) => {
    const r = results[i];
    if (r === undefined) throw new Error(`internal error: source ${source.name} was not parsed`);
    if (!r.ok) throw new InputError(r.error.detail, r.error.origin, r.error.schemaPath);
    byIndex.set(source, r.docs.map((d) => {
      const value = typeof d.value === "string" ? (JSON.parse(d.value) as JsonValue) : d.value;
      for (const c of d.crds) {
        const target = c.items.reduce<JsonValue | undefined>((v, i) => (isJsonObject(v) ? listItems(v)?.[i] : undefined), value);
        if (isJsonObject(target)) checks.set(target, c.check);
      }
      return { source, index: d.index, value };
    }));
  });
  return { documents: (source) => byIndex.get(source) ?? [], checks };
}
