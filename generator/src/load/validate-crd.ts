import { isDeepStrictEqual } from "node:util";
import { dns1035LabelProblems, dns1123SubdomainProblems } from "./crd-names.js";
import { Problems, type CrdProblem } from "./crd-problems.js";
import type { LoadedCrd } from "./crds.js";
import { errorAt, isJsonObject, type JsonObject, type JsonValue } from "./documents.js";
import { formatPath, type DocPath } from "./locate.js";
import { SCHEMA_KEYS } from "./schema-keys.js";
import { checkVersionSchema } from "./validate-schema.js";
import { checkVersionExtras } from "./validate-version.js";

/**
 * Checks every CRD the way the API server checks a `create` of it (apiextensions-apiserver's
 * validation, after its defaulting), so that no types are generated for a CRD that can never be
 * installed: names, group, scope, versions, subresources, printer columns, conversion, selectable
 * fields and each version's structural schema. The first CRD with problems is an
 * {@link InputError} naming the file, document, line and path of its first problem, and counting
 * the others. Answers notes for what the server accepts but drops (unknown schema keywords).
 */
export function validateCrds(crds: readonly LoadedCrd[], known?: WeakMap<JsonObject, CrdCheck>): string[] {
  const notes: string[] = [];
  for (const crd of crds) {
    const { problems, notes: crdNotes } = known?.get(crd.object) ?? crdProblems(crd.object);
    notes.push(...crdNotes.map((n) => `${crd.name}: ${n}`));
    const first = problems[0];
    if (first === undefined) continue;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1, 4).map((p) => formatPath(p.path)).join(", ")}${problems.length > 4 ? ", …" : ""})` : "";
    throw errorAt(
      crd.document,
      [...crd.pathInDocument, ...first.path],
      `CustomResourceDefinition ${crd.name}: ${first.message}; the API server refuses this CRD${more}`,
      formatPath(first.path),
    );
  }
  return notes;
}

/** A CRD's verdict: the problems the API server would report, and notes for what it would drop. */
export interface CrdCheck {
  readonly problems: CrdProblem[];
  readonly notes: string[];
}

/** Checks a CRD object as the API server checks its `create`. */
export function crdProblems(crd: JsonObject): CrdCheck {
  const p = new Problems();
  const notes: string[] = [];
  const spec = crd["spec"];
  if (!isJsonObject(spec)) {
    p.required(["spec"]);
    return { problems: p.list, notes };
  }
  const group = checkGroup(spec, p);
  const names = checkNames(spec, p);
  checkName(crd, names.plural, group, p);
  const scope = spec["scope"];
  if (scope === undefined || scope === "") p.required(["spec", "scope"]);
  else if (scope !== "Namespaced" && scope !== "Cluster") p.unsupported(["spec", "scope"], scope, ["Cluster", "Namespaced"]);
  if (spec["preserveUnknownFields"] === true) p.invalid(["spec", "preserveUnknownFields"], true, "must be false in order to use defaults in the schema");
  checkConversion(spec["conversion"], p);
  checkVersions(spec, p, notes);
  return { problems: p.list, notes };
}

function checkGroup(spec: JsonObject, p: Problems): string {
  const group = stringAt(spec, "group", ["spec"], p);
  if (group === "") p.required(["spec", "group"]);
  else {
    const errs = dns1123SubdomainProblems(group);
    if (errs.length > 0) p.invalid(["spec", "group"], group, errs.join(","));
    else if (!group.includes(".")) p.invalid(["spec", "group"], group, "should be a domain with at least one dot");
  }
  return group;
}

function checkNames(spec: JsonObject, p: Problems): { plural: string } {
  const at: DocPath = ["spec", "names"];
  const names = spec["names"];
  if (!isJsonObject(names)) {
    p.required([...at, "plural"]);
    p.required([...at, "kind"]);
    return { plural: "" };
  }
  const plural = stringAt(names, "plural", at, p);
  const kind = stringAt(names, "kind", at, p);
  const singular = names["singular"] === undefined ? kind.toLowerCase() : stringAt(names, "singular", at, p);
  const listKind = names["listKind"] === undefined ? `${kind}List` : stringAt(names, "listKind", at, p);
  if (plural === "") p.required([...at, "plural"]);
  if (kind === "") p.required([...at, "kind"]);
  if (singular === "" && kind !== "") p.required([...at, "singular"]);
  const label = (key: string, value: string, mixedCase: boolean): void => {
    if (value === "") return;
    const errs = dns1035LabelProblems(mixedCase ? value.toLowerCase() : value);
    if (errs.length > 0) p.invalid([...at, key], value, `${mixedCase ? "may have mixed case, but should otherwise match: " : ""}${errs.join(",")}`);
  };
  label("plural", plural, false);
  label("singular", singular, false);
  label("kind", kind, true);
  label("listKind", listKind, true);
  if (kind !== "" && kind === listKind) p.invalid([...at, "listKind"], listKind, "kind and listKind may not be the same");
  for (const key of ["shortNames", "categories"]) {
    const list = names[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      p.undecodable([...at, key], list, "a list of strings");
      continue;
    }
    list.forEach((v, i) => {
      if (typeof v !== "string") p.undecodable([...at, key, i], v, "a string");
      else {
        const errs = dns1035LabelProblems(v);
        if (errs.length > 0) p.invalid([...at, key, i], v, errs.join(","));
      }
    });
  }
  return { plural };
}

function checkName(crd: JsonObject, plural: string, group: string, p: Problems): void {
  const meta = crd["metadata"];
  const name = isJsonObject(meta) && typeof meta["name"] === "string" ? meta["name"] : "";
  const errs = dns1123SubdomainProblems(name);
  if (name !== `${plural}.${group}`) errs.push('must be spec.names.plural+"."+spec.group');
  if (errs.length > 0) p.invalid(["metadata", "name"], name, errs.join(", "));
}

function checkConversion(conversion: JsonValue | undefined, p: Problems): void {
  if (conversion === undefined || conversion === null) return;
  const at: DocPath = ["spec", "conversion"];
  if (!isJsonObject(conversion)) return p.undecodable(at, conversion, "an object");
  const strategy = conversion["strategy"] ?? "None";
  if (strategy !== "None" && strategy !== "Webhook") return p.unsupported([...at, "strategy"], strategy, ["None", "Webhook"]);
  const webhook = conversion["webhook"];
  if (strategy === "None") {
    if (webhook !== undefined && webhook !== null) p.forbidden([...at, "webhook"], "should not be set when strategy is not set to Webhook");
    return;
  }
  if (!isJsonObject(webhook)) return p.required([...at, "webhook"], "required when strategy is set to Webhook");
  const review = webhook["conversionReviewVersions"];
  if (!Array.isArray(review) || review.length === 0) p.required([...at, "webhook", "conversionReviewVersions"]);
  else if (!review.some((v) => v === "v1" || v === "v1beta1")) p.invalid([...at, "webhook", "conversionReviewVersions"], review, "must include at least one of v1, v1beta1");
  if (!isJsonObject(webhook["clientConfig"])) p.required([...at, "webhook", "clientConfig"], "required when strategy is set to Webhook");
}

function checkVersions(spec: JsonObject, p: Problems, notes: string[]): void {
  const versions = spec["versions"];
  if (!Array.isArray(versions) || versions.length === 0) {
    p.invalid(["spec", "versions"], versions ?? null, "must have exactly one version marked as storage version");
    return;
  }
  const seen = new Set<string>();
  let storage = 0;
  versions.forEach((v, i) => {
    const at: DocPath = ["spec", "versions", i];
    if (!isJsonObject(v)) return p.undecodable(at, v, "an object");
    const name = stringAt(v, "name", at, p);
    if (seen.has(name)) p.invalid(["spec", "versions"], name, "must contain unique version names");
    seen.add(name);
    const errs = dns1035LabelProblems(name);
    if (errs.length > 0) p.invalid([...at, "name"], name, errs.join(","));
    for (const flag of ["served", "storage", "deprecated"]) {
      const f = v[flag];
      if (f !== undefined && f !== null && typeof f !== "boolean") p.undecodable([...at, flag], f, "a boolean");
    }
    if (v["storage"] === true) storage++;
    const warning = v["deprecationWarning"];
    if (warning !== undefined && warning !== null && typeof warning !== "string") p.undecodable([...at, "deprecationWarning"], warning, "a string");
    const schema = checkVersionSchema(v, at, p, notes);
    checkVersionExtras(v, schema, at, p);
  });
  if (storage !== 1) p.invalid(["spec", "versions"], `${storage} storage versions`, "must have exactly one version marked as storage version");
  checkSelectableHoisting(versions, p);
}

/**
 * Measured on the API server (1.37): internally, a schema that all versions share moves to the
 * CRD's top level, and so do selectable fields that all versions share; selectable fields must
 * then stand where the schema stands. So a CRD whose versions share selectable fields but not the
 * schema, or the schema but not the selectable fields, is refused.
 */
function checkSelectableHoisting(versions: readonly JsonValue[], p: Problems): void {
  if (versions.length < 2 || !versions.every(isJsonObject)) return;
  const objs = versions as JsonObject[];
  const selectable = objs.map((v) => (Array.isArray(v["selectableFields"]) ? v["selectableFields"] : []));
  if (selectable.every((s) => s.length === 0)) return;
  // A field set to null decodes as absent, so it does not make two schemas differ.
  const schemas = objs.map((v) => (isJsonObject(v["schema"]) ? normalizedSchema(v["schema"]["openAPIV3Schema"]) : undefined));
  const same = (xs: readonly unknown[]): boolean => xs.every((x) => isDeepStrictEqual(x, xs[0]));
  const sharedSchema = same(schemas);
  const sharedSelectable = same(selectable);
  if (sharedSelectable && !sharedSchema) p.invalid(["spec", "versions", 0, "selectableFields"], "", "may only be set when validations.schema is included (every version lists the same selectable fields but the schemas differ: the API server refuses that)");
  if (sharedSchema && !sharedSelectable) p.invalid(["spec", "versions", 0, "selectableFields"], "", "may only be set when `version.schema.openAPIV3Schema` is not included (the versions share one schema but list different selectable fields: the API server refuses that)");
}

/** A schema as the server keeps it: fields it does not know dropped, null ones absent. */
function normalizedSchema(v: JsonValue | undefined): JsonValue | undefined {
  if (!isJsonObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    const shape = SCHEMA_KEYS[k];
    if (x === null || shape === undefined) continue;
    if (shape === "schema-map" && isJsonObject(x)) out[k] = Object.fromEntries(Object.entries(x).map(([n, c]) => [n, normalizedSchema(c) ?? null]));
    else if (shape === "schemas" && Array.isArray(x)) out[k] = x.map((c) => normalizedSchema(c) ?? null);
    else if (shape === "schema" || shape === "schema-or-bool" || shape === "schema-or-array") out[k] = Array.isArray(x) ? x.map((c) => normalizedSchema(c) ?? null) : normalizedSchema(x) ?? null;
    else out[k] = x;
  }
  return out;
}

/** A string field (absent or null: ""), noting a value of another JSON type as undecodable. */
export function stringAt(obj: JsonObject, key: string, at: DocPath, p: Problems): string {
  const v = obj[key];
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") {
    p.undecodable([...at, key], v, "a string");
    return "";
  }
  return v;
}
