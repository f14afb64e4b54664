import { isJsonObject, type JsonObject, type JsonValue } from "../../load/documents.js";
import type { DocPath } from "../../load/locate.js";
import { childPath, listSome, sameValue, show, tsType } from "../show.js";
import type { CrdPair, CrdRule, RawFinding, TsEffect } from "../types.js";

// Rules over a CRD as a whole. A pair may miss one side (CRD added or removed): only the
// crd-added and crd-removed rules look at those.

const NONE: RawFinding[] = [];
const NO_TS: TsEffect = { change: "none", text: "none" };
const SRV = "the API server refuses this change";

function spec(crd: JsonObject | undefined): JsonObject {
  const s = crd?.["spec"];
  return isJsonObject(s) ? s : {};
}

function names(crd: JsonObject | undefined): JsonObject {
  const n = spec(crd)["names"];
  return isJsonObject(n) ? n : {};
}

function stringList(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** A version of a CRD with its index in `spec.versions`. */
export interface VersionEntry {
  readonly name: string;
  readonly index: number;
  readonly object: JsonObject;
}

/** The versions of a CRD by name. */
export function versionsOf(crd: JsonObject | undefined): Map<string, VersionEntry> {
  const out = new Map<string, VersionEntry>();
  const list = spec(crd)["versions"];
  if (!Array.isArray(list)) return out;
  list.forEach((v, index) => {
    if (isJsonObject(v) && typeof v["name"] === "string") out.set(v["name"], { name: v["name"], index, object: v });
  });
  return out;
}

/** Both sides of every version present on both sides. */
function common(p: CrdPair): [VersionEntry, VersionEntry][] {
  if (p.old === undefined || p.new === undefined) return [];
  const after = versionsOf(p.new);
  return [...versionsOf(p.old).values()].flatMap((o) => {
    const n = after.get(o.name);
    return n === undefined ? [] : [[o, n] as [VersionEntry, VersionEntry]];
  });
}

const vAt = (v: VersionEntry, ...rest: (string | number)[]): DocPath => ["spec", "versions", v.index, ...rest];

function storageVersion(crd: JsonObject | undefined): string | undefined {
  return [...versionsOf(crd).values()].find((v) => v.object["storage"] === true)?.name;
}

const crdAdded: CrdRule = {
  id: "crd-added",
  scope: "crd",
  summary: "A CustomResourceDefinition is added",
  fields: ["metadata.name"],
  check(p) {
    if (p.old !== undefined || p.new === undefined) return NONE;
    return [{ severity: "info", at: ["metadata", "name"], message: "CustomResourceDefinition added", typescript: { change: "added", text: "new kind: types, client, informer and lister added" } }];
  },
};

const crdRemoved: CrdRule = {
  id: "crd-removed",
  scope: "crd",
  summary: "A CustomResourceDefinition is removed: its objects are deleted with it",
  fields: ["metadata.name"],
  check(p) {
    if (p.old === undefined || p.new !== undefined) return NONE;
    return [{
      severity: "breaking",
      at: ["metadata", "name"],
      inOld: true,
      message: "CustomResourceDefinition removed: deleting it deletes every object of the kind",
      typescript: { change: "changed", text: "the kind's types, client, informer and lister are removed" },
    }];
  },
};

const scopeChanged: CrdRule = {
  id: "scope-changed",
  scope: "crd",
  summary: "Namespaced ↔ Cluster",
  fields: ["spec.scope"],
  check(p) {
    if (p.old === undefined || p.new === undefined) return NONE;
    const a = spec(p.old)["scope"];
    const b = spec(p.new)["scope"];
    if (sameValue(a, b)) return NONE;
    return [{
      severity: "breaking",
      at: ["spec", "scope"],
      message: `scope changed from ${String(a)} to ${String(b)}`,
      old: String(a),
      new: String(b),
      reason: SRV,
      typescript: { change: "changed", text: b === "Cluster" ? "client calls no longer take a namespace" : "client calls now take a namespace" },
    }];
  },
};

const namesChanged: CrdRule = {
  id: "names-changed",
  scope: "crd",
  summary: "group, plural or kind changed (a different resource); singular or listKind changed",
  fields: ["spec.group", "spec.names.plural", "spec.names.kind", "spec.names.singular", "spec.names.listKind"],
  check(p) {
    if (p.old === undefined || p.new === undefined) return NONE;
    const out: RawFinding[] = [];
    // The API server fills in singular (the kind, lower-cased) and listKind (the kind + "List"):
    // a file without them equals the same CRD read back from a cluster.
    const singular = (n: JsonObject): JsonValue | undefined => n["singular"] ?? (typeof n["kind"] === "string" ? n["kind"].toLowerCase() : undefined);
    const listKind = (n: JsonObject): JsonValue | undefined => n["listKind"] ?? (typeof n["kind"] === "string" ? `${n["kind"]}List` : undefined);
    const fields: [string, JsonValue | undefined, JsonValue | undefined, boolean][] = [
      ["group", spec(p.old)["group"], spec(p.new)["group"], true],
      ["plural", names(p.old)["plural"], names(p.new)["plural"], true],
      ["kind", names(p.old)["kind"], names(p.new)["kind"], true],
      ["singular", singular(names(p.old)), singular(names(p.new)), false],
      ["listKind", listKind(names(p.old)), listKind(names(p.new)), false],
    ];
    for (const [field, a, b, major] of fields) {
      if (sameValue(a, b)) continue;
      out.push({
        severity: major ? "breaking" : "warning",
        at: field === "group" ? ["spec", "group"] : ["spec", "names", field],
        message: `${field === "group" ? "group" : `names.${field}`} changed from ${show(a)} to ${show(b)}`,
        old: show(a),
        new: show(b),
        ...(major ? { reason: field === "kind" ? "every client and manifest names the kind" : SRV } : {}),
        typescript: field === "kind" || field === "listKind"
          ? { change: "changed", text: `type names change (${show(a)} → ${show(b)})` }
          : field === "singular" ? NO_TS : { change: "changed", text: "the client's resource path changes" },
      });
    }
    return out;
  },
};

function listRule(id: string, field: "shortNames" | "categories", removed: boolean, summary: string): CrdRule {
  return {
    id,
    scope: "crd",
    summary,
    fields: [`spec.names.${field}`],
    check(p) {
      if (p.old === undefined || p.new === undefined) return NONE;
      const a = stringList(names(p.old)[field]);
      const b = stringList(names(p.new)[field]);
      const diff = removed ? a.filter((x) => !b.includes(x)) : b.filter((x) => !a.includes(x));
      if (diff.length === 0) return NONE;
      return [{
        severity: removed ? "warning" : "info",
        at: ["spec", "names", field],
        message: `${field} ${removed ? "removed" : "added"}: ${diff.join(", ")}${removed && field === "shortNames" ? " (kubectl commands and scripts using them stop working)" : ""}`,
        ...(removed ? { old: diff.join(", ") } : { new: diff.join(", ") }),
        typescript: NO_TS,
      }];
    },
  };
}

const shortNamesRemoved = listRule("short-names-removed", "shortNames", true, "Short names removed: kubectl commands using them break");
const shortNamesAdded = listRule("short-names-added", "shortNames", false, "Short names added");
const categoriesRemoved = listRule("categories-removed", "categories", true, "Categories removed: `kubectl get <category>` no longer lists the kind");
const categoriesAdded = listRule("categories-added", "categories", false, "Categories added");

const versionRemoved: CrdRule = {
  id: "version-removed",
  scope: "crd",
  summary: "A version disappears from spec.versions",
  fields: ["spec.versions[*].name"],
  check(p) {
    if (p.old === undefined || p.new === undefined) return NONE;
    const after = versionsOf(p.new);
    const oldStorage = storageVersion(p.old);
    return [...versionsOf(p.old).values()].filter((v) => !after.has(v.name)).map((v) => {
      const stored = p.storedVersions !== undefined ? p.storedVersions.includes(v.name) : v.name === oldStorage;
      const served = v.object["served"] === true;
      // An unserved version has no clients left; removing it only fails if objects are still stored in it.
      const reason = stored
        ? `${SRV} while ${v.name} is in status.storedVersions${p.storedVersions === undefined ? " (it was the storage version)" : ""}: migrate stored objects first`
        : served ? undefined : `it was not served; the API server refuses the removal while ${v.name} is in status.storedVersions`;
      return {
        severity: served || stored ? ("breaking" as const) : ("warning" as const),
        version: v.name,
        at: ["spec", "versions"],
        message: `version ${v.name} removed${served ? ": clients of it get 404" : ""}`,
        ...(reason !== undefined ? { reason } : {}),
        typescript: v.object["served"] === true ? { change: "changed" as const, text: `the ${v.name} types and client are removed` } : NO_TS,
      };
    });
  },
};

const versionAdded: CrdRule = {
  id: "version-added",
  scope: "crd",
  summary: "A version is added",
  fields: ["spec.versions[*].name"],
  check(p) {
    if (p.old === undefined || p.new === undefined) return NONE;
    const before = versionsOf(p.old);
    return [...versionsOf(p.new).values()].filter((v) => !before.has(v.name)).map((v) => ({
      severity: "info" as const,
      version: v.name,
      at: vAt(v, "name"),
      message: `version ${v.name} added${v.object["served"] === true ? "" : " (not served)"}`,
      typescript: v.object["served"] === true ? { change: "added" as const, text: `the ${v.name} types and client are added` } : NO_TS,
    }));
  },
};

const versionUnserved: CrdRule = {
  id: "version-unserved",
  scope: "crd",
  summary: "A version stops being served (served: true → false)",
  fields: ["spec.versions[*].served"],
  check(p) {
    return common(p).filter(([o, n]) => o.object["served"] === true && n.object["served"] !== true).map(([, n]) => ({
      severity: "breaking" as const,
      version: n.name,
      at: vAt(n, "served"),
      message: `version ${n.name} is no longer served: clients of it get 404`,
      old: "true",
      new: "false",
      typescript: { change: "changed" as const, text: `the ${n.name} types and client are removed` },
    }));
  },
};

const versionServed: CrdRule = {
  id: "version-served",
  scope: "crd",
  summary: "A version starts being served (served: false → true)",
  fields: ["spec.versions[*].served"],
  check(p) {
    return common(p).filter(([o, n]) => o.object["served"] !== true && n.object["served"] === true).map(([, n]) => ({
      severity: "info" as const,
      version: n.name,
      at: vAt(n, "served"),
      message: `version ${n.name} is now served`,
      old: "false",
      new: "true",
      typescript: { change: "added" as const, text: `the ${n.name} types and client are added` },
    }));
  },
};

const versionDeprecated: CrdRule = {
  id: "version-deprecated",
  scope: "crd",
  summary: "A version is deprecated, undeprecated, or its deprecation warning changes",
  fields: ["spec.versions[*].deprecated", "spec.versions[*].deprecationWarning"],
  check(p) {
    return common(p).flatMap(([o, n]) => {
      const a = o.object["deprecated"] === true;
      const b = n.object["deprecated"] === true;
      const wa = o.object["deprecationWarning"];
      const wb = n.object["deprecationWarning"];
      if (a === b && (!b || sameValue(wa, wb))) return [];
      const message = a === b
        ? `deprecation warning of ${n.name} changed to ${show(wb)}`
        : b ? `version ${n.name} deprecated${wb !== undefined ? `: ${show(wb)}` : ""}` : `version ${n.name} no longer deprecated`;
      return [{
        severity: "info" as const,
        version: n.name,
        at: vAt(n, b ? "deprecated" : "name"),
        message,
        ...(wa !== undefined || a ? { old: a ? `deprecated${wa !== undefined ? `: ${show(wa)}` : ""}` : "not deprecated" } : {}),
        new: b ? `deprecated${wb !== undefined ? `: ${show(wb)}` : ""}` : "not deprecated",
        typescript: { change: "none" as const, text: "none — JSDoc only (@deprecated)" },
      }];
    });
  },
};

const storageVersionChanged: CrdRule = {
  id: "storage-version-changed",
  scope: "crd",
  summary: "The storage version moves: objects are written in the new version, and a rollback needs them readable in the old one",
  fields: ["spec.versions[*].storage"],
  check(p) {
    if (p.old === undefined || p.new === undefined) return NONE;
    const a = storageVersion(p.old);
    const b = storageVersion(p.new);
    if (a === b) return NONE;
    const v = b === undefined ? undefined : versionsOf(p.new).get(b);
    return [{
      severity: "warning",
      ...(b !== undefined ? { version: b } : {}),
      at: v === undefined ? ["spec", "versions"] : vAt(v, "storage"),
      message: `storage version moved from ${a ?? "(none)"} to ${b ?? "(none)"}: a rollback must still read objects written as ${b ?? "(none)"}`,
      old: a ?? "(none)",
      new: b ?? "(none)",
      typescript: NO_TS,
    }];
  },
};

const conversionChanged: CrdRule = {
  id: "conversion-changed",
  scope: "crd",
  summary: "Conversion strategy (None ↔ Webhook) or webhook details change",
  fields: ["spec.conversion"],
  check(p) {
    if (p.old === undefined || p.new === undefined) return NONE;
    const a = spec(p.old)["conversion"];
    const b = spec(p.new)["conversion"];
    const strategy = (c: JsonValue | undefined): string => (isJsonObject(c) && typeof c["strategy"] === "string" ? c["strategy"] : "None");
    // No conversion section means strategy None (the API server fills it in).
    const normal = (c: JsonValue | undefined): JsonValue => (c === undefined || (strategy(c) === "None" && Object.keys(isJsonObject(c) ? c : {}).length <= 1) ? { strategy: "None" } : c);
    if (sameValue(normal(a), normal(b))) return NONE;
    const sa = strategy(a);
    const sb = strategy(b);
    return [{
      severity: "warning",
      at: b === undefined ? ["spec"] : ["spec", "conversion"],
      message: sa !== sb ? `conversion strategy changed from ${sa} to ${sb}` : `conversion ${sb === "Webhook" ? "webhook settings" : "settings"} changed`,
      old: sa,
      new: sb,
      typescript: NO_TS,
    }];
  },
};

function subresources(v: VersionEntry): JsonObject {
  const s = v.object["subresources"];
  return isJsonObject(s) ? s : {};
}

const subresourceRemoved: CrdRule = {
  id: "subresource-removed",
  scope: "crd",
  summary: "The status or scale subresource is removed",
  fields: ["spec.versions[*].subresources"],
  check(p) {
    return common(p).flatMap(([o, n]) =>
      ["status", "scale"].filter((s) => subresources(o)[s] !== undefined && subresources(n)[s] === undefined).map((s) => ({
        severity: "breaking" as const,
        version: n.name,
        at: vAt(n, "subresources"),
        message: `${s} subresource removed${s === "status" ? ": status is now written through the main resource" : ": kubectl scale and autoscalers stop working"}`,
        typescript: { change: "changed" as const, text: s === "status" ? "`getStatus`, `updateStatus`, `patchStatus`, `applyStatus` removed" : "`getScale`, `updateScale`, `patchScale` removed" },
      })),
    );
  },
};

const subresourceAdded: CrdRule = {
  id: "subresource-added",
  scope: "crd",
  summary: "The status or scale subresource is added (with status, writes to the main resource ignore status)",
  fields: ["spec.versions[*].subresources"],
  check(p) {
    return common(p).flatMap(([o, n]) =>
      ["status", "scale"].filter((s) => subresources(o)[s] === undefined && subresources(n)[s] !== undefined).map((s) => ({
        severity: "info" as const,
        version: n.name,
        at: vAt(n, "subresources", s),
        message: `${s} subresource added${s === "status" ? ": updates of the main resource no longer change status" : ""}`,
        typescript: { change: "added" as const, text: s === "status" ? "status verbs added" : "scale verbs added" },
      })),
    );
  },
};

const subresourceChanged: CrdRule = {
  id: "subresource-changed",
  scope: "crd",
  summary: "The scale subresource's replica or selector paths change",
  fields: ["spec.versions[*].subresources.scale"],
  check(p) {
    return common(p).flatMap(([o, n]) => {
      const a = subresources(o)["scale"];
      const b = subresources(n)["scale"];
      if (a === undefined || b === undefined || sameValue(a, b)) return [];
      return [{ severity: "warning" as const, version: n.name, at: vAt(n, "subresources", "scale"), message: "scale subresource paths changed", old: show(a), new: show(b), typescript: NO_TS }];
    });
  },
};

const printerColumnsChanged: CrdRule = {
  id: "printer-columns-changed",
  scope: "crd",
  summary: "additionalPrinterColumns change (kubectl get output)",
  fields: ["spec.versions[*].additionalPrinterColumns"],
  check(p) {
    return common(p).flatMap(([o, n]) => {
      const a = o.object["additionalPrinterColumns"];
      const b = n.object["additionalPrinterColumns"];
      if (sameValue(a, b)) return [];
      const colNames = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.map((c) => (isJsonObject(c) && typeof c["name"] === "string" ? c["name"] : "?")) : []);
      return [{
        severity: "info" as const,
        version: n.name,
        at: b === undefined ? vAt(n) : vAt(n, "additionalPrinterColumns"),
        message: `printer columns changed: [${colNames(a).join(", ")}] → [${colNames(b).join(", ")}]`,
        old: colNames(a).join(", "),
        new: colNames(b).join(", "),
        typescript: NO_TS,
      }];
    });
  },
};

const selectableFieldsChanged: CrdRule = {
  id: "selectable-fields-changed",
  scope: "crd",
  summary: "selectableFields change: field selectors on a removed one are refused",
  fields: ["spec.versions[*].selectableFields"],
  check(p) {
    return common(p).flatMap(([o, n]) => {
      const paths = (v: VersionEntry): string[] => {
        const s = v.object["selectableFields"];
        return Array.isArray(s) ? s.flatMap((f) => (isJsonObject(f) && typeof f["jsonPath"] === "string" ? [f["jsonPath"]] : [])) : [];
      };
      const a = paths(o);
      const b = paths(n);
      const removed = a.filter((x) => !b.includes(x));
      const added = b.filter((x) => !a.includes(x));
      const out: RawFinding[] = [];
      if (removed.length > 0) {
        out.push({ severity: "breaking", version: n.name, at: vAt(n, "selectableFields"), message: `selectable fields removed: ${removed.join(", ")} (list and watch calls selecting on them are refused)`, old: removed.join(", "), typescript: NO_TS });
      }
      if (added.length > 0) {
        out.push({ severity: "info", version: n.name, at: vAt(n, "selectableFields"), message: `selectable fields added: ${added.join(", ")}`, new: added.join(", "), typescript: NO_TS });
      }
      return out;
    });
  },
};

/** Every property path of a schema with the TypeScript type it gets. */
export function fieldTypes(schema: JsonValue | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (node: JsonValue | undefined, path: string): void => {
    if (!isJsonObject(node)) return;
    if (path !== "") out.set(path, tsType(node));
    const props = node["properties"];
    if (isJsonObject(props)) for (const k of Object.keys(props)) visit(props[k], childPath(path, k));
    if (isJsonObject(node["items"])) visit(node["items"], `${path}[*]`);
    if (isJsonObject(node["additionalProperties"])) visit(node["additionalProperties"], `${path}[*]`);
  };
  visit(schema, "");
  return out;
}

function versionSchema(v: VersionEntry): JsonValue | undefined {
  const s = v.object["schema"];
  return isJsonObject(s) ? s["openAPIV3Schema"] : undefined;
}

/** How two versions' fields differ, as sorted lists. */
function fieldDifference(a: VersionEntry, b: VersionEntry): { onlyA: string[]; onlyB: string[]; typed: string[] } {
  const fa = fieldTypes(versionSchema(a));
  const fb = fieldTypes(versionSchema(b));
  const onlyA = [...fa.keys()].filter((k) => !fb.has(k)).sort();
  const onlyB = [...fb.keys()].filter((k) => !fa.has(k)).sort();
  const typed = [...fa.keys()].filter((k) => fb.has(k) && fb.get(k) !== fa.get(k)).sort();
  return { onlyA, onlyB, typed };
}

const servedVersionsDiverge: CrdRule = {
  id: "served-versions-diverge",
  scope: "crd",
  summary: "Two served versions of the new CRD differ in fields: objects cannot round-trip between them (reported when new or changed)",
  fields: ["spec.versions[*].schema"],
  check(p) {
    if (p.new === undefined) return NONE;
    const served = [...versionsOf(p.new).values()].filter((v) => v.object["served"] === true);
    const before = versionsOf(p.old);
    const strategy = isJsonObject(spec(p.new)["conversion"]) ? (spec(p.new)["conversion"] as JsonObject)["strategy"] : undefined;
    const out: RawFinding[] = [];
    for (let i = 0; i < served.length; i++) {
      for (let j = i + 1; j < served.length; j++) {
        const a = served[i] as VersionEntry;
        const b = served[j] as VersionEntry;
        const d = fieldDifference(a, b);
        if (d.onlyA.length + d.onlyB.length + d.typed.length === 0) continue;
        const oa = before.get(a.name);
        const ob = before.get(b.name);
        if (p.old !== undefined && oa !== undefined && ob !== undefined && oa.object["served"] === true && ob.object["served"] === true) {
          const known = fieldDifference(oa, ob);
          if (sameValue(known as unknown as JsonValue, d as unknown as JsonValue)) continue; // the same divergence as before
        }
        const parts = [
          d.onlyA.length > 0 ? `only in ${a.name}: ${listSome(d.onlyA, 3)}` : "",
          d.onlyB.length > 0 ? `only in ${b.name}: ${listSome(d.onlyB, 3)}` : "",
          d.typed.length > 0 ? `different types: ${listSome(d.typed, 3)}` : "",
        ].filter((s) => s !== "");
        out.push({
          severity: "warning",
          version: `${a.name},${b.name}`,
          at: vAt(b, "schema"),
          message: `served versions ${a.name} and ${b.name} differ in ${d.onlyA.length + d.onlyB.length + d.typed.length} field${d.onlyA.length + d.onlyB.length + d.typed.length === 1 ? "" : "s"} (${parts.join("; ")})`,
          reason: strategy === "Webhook" ? "the conversion webhook must map these fields both ways" : "conversion strategy None: fields missing in the version read are pruned on the next write",
          typescript: NO_TS,
        });
      }
    }
    return out;
  },
};

/** The CRD rules, in report order. */
export const CRD_RULES: readonly CrdRule[] = [
  crdAdded, crdRemoved, scopeChanged, namesChanged, shortNamesRemoved, shortNamesAdded, categoriesRemoved, categoriesAdded,
  versionRemoved, versionAdded, versionUnserved, versionServed, versionDeprecated, storageVersionChanged, conversionChanged,
  servedVersionsDiverge, subresourceRemoved, subresourceAdded, subresourceChanged, printerColumnsChanged, selectableFieldsChanged,
];
