import { errorAt, isJsonObject, type JsonObject } from "../load/documents.js";
import type { LoadedCrd } from "../load/crds.js";
import { createLocator, type DocPath } from "../load/locate.js";
import { CRD_RULES, SCHEMA_RULES } from "./rules/index.js";
import { versionsOf } from "./rules/crd.js";
import { childPath, propertiesOf, requiredOf, shapeChanged } from "./show.js";
import type { Direction, Finding, RawFinding, SchemaPair } from "./types.js";

/** One side's copy of a CRD: the loaded object, and whether findings may point at its file. */
export interface CrdSide {
  readonly crd: LoadedCrd;
  /** False for CRDs read from a cluster, git or stdin: no file a reader could open. */
  readonly hasFile: boolean;
  readonly storedVersions?: readonly string[];
}

type Locator = ReturnType<typeof createLocator>;

/** Line lookups share one parse per source text. */
export class LineFinder {
  private readonly locators = new Map<string, Locator>();

  lineOf(crd: LoadedCrd, path: DocPath): number | undefined {
    const source = crd.document.source;
    let locate = this.locators.get(source.name);
    if (locate === undefined) {
      locate = createLocator(source.text);
      this.locators.set(source.name, locate);
    }
    return locate(crd.document.index, [...crd.pathInDocument, ...path]);
  }
}

/**
 * Compares one CRD across the two sides: the CRD rules, then every schema rule on every node of
 * every version present on both sides. A side is missing when the CRD was added or removed.
 */
export function compareCrd(name: string, before: CrdSide | undefined, after: CrdSide | undefined, lines: LineFinder): Finding[] {
  const out: Finding[] = [];
  const place = (f: RawFinding, at: DocPath): Pick<Finding, "file" | "line"> => {
    const side = f.inOld === true || after === undefined ? before : after;
    if (side === undefined || !side.hasFile) return {};
    const line = lines.lineOf(side.crd, at);
    return line === undefined ? { file: side.crd.document.source.name } : { file: side.crd.document.source.name, line };
  };
  const pair = {
    name,
    old: before?.crd.object,
    new: after?.crd.object,
    ...(before?.storedVersions !== undefined ? { storedVersions: before.storedVersions } : {}),
  };
  for (const rule of CRD_RULES) {
    for (const f of rule.check(pair)) out.push(finish(rule.id, name, f.version, f.path ?? crdFieldPath(f.at ?? []), f, place(f, f.at ?? [])));
  }
  if (before === undefined || after === undefined) return out;

  const newVersions = versionsOf(after.crd.object);
  for (const o of versionsOf(before.crd.object).values()) {
    const n = newVersions.get(o.name);
    if (n === undefined) continue;
    const schemaAt: DocPath = ["spec", "versions", n.index, "schema", "openAPIV3Schema"];
    const oldSchema = schemaOf(before.crd, o.object, ["spec", "versions", o.index, "schema", "openAPIV3Schema"], o.name);
    const newSchema = schemaOf(after.crd, n.object, schemaAt, n.name);
    const emit = (ruleId: string, f: RawFinding, path: string, at: DocPath): void => {
      out.push(finish(ruleId, name, o.name, path, f, place(f, at)));
    };
    walk({ old: oldSchema, new: newSchema, path: "", direction: "spec" }, schemaAt, emit, (side, at, message) => {
      const crd = side === "old" ? before.crd : after.crd;
      throw errorAt(crd.document, [...crd.pathInDocument, ...at], message);
    });
  }
  return out;
}

type Emit = (ruleId: string, f: RawFinding, path: string, at: DocPath) => void;
type Fail = (side: "old" | "new", at: DocPath, message: string) => never;

function walk(pair: SchemaPair, at: DocPath, emit: Emit, fail: Fail): void {
  for (const rule of SCHEMA_RULES) {
    for (const f of rule.check(pair)) emit(rule.id, f, f.path ?? pair.path, [...at, ...(f.at ?? [])]);
  }
  if (shapeChanged(pair)) return; // the rules above said what changed; the insides are not comparable
  const before = propertiesOf(pair.old);
  const after = propertiesOf(pair.new);
  const reqOld = requiredOf(pair.old);
  const reqNew = requiredOf(pair.new);
  for (const key of Object.keys(after).sort()) {
    if (!(key in before)) continue;
    const o = before[key];
    const n = after[key];
    const path = childPath(pair.path, key);
    if (!isJsonObject(o)) fail("old", [...at, "properties", key], `expected a schema object at ${path}`);
    if (!isJsonObject(n)) fail("new", [...at, "properties", key], `expected a schema object at ${path}`);
    const direction: Direction = pair.path === "" && key === "status" ? "status" : pair.direction;
    walk({ old: o, new: n, path, direction, property: { key, requiredOld: reqOld.has(key), requiredNew: reqNew.has(key) } }, [...at, "properties", key], emit, fail);
  }
  for (const key of ["items", "additionalProperties"] as const) {
    const o = pair.old[key];
    const n = pair.new[key];
    if (isJsonObject(o) && isJsonObject(n)) walk({ old: o, new: n, path: `${pair.path}[*]`, direction: pair.direction }, [...at, key], emit, fail);
    else if (Array.isArray(n) && key === "items") fail("new", [...at, key], `tuple items (a list of schemas) are not allowed in a CRD schema at ${pair.path || "."}`);
  }
}

function schemaOf(crd: LoadedCrd, version: JsonObject, at: DocPath, name: string): JsonObject {
  const schema = version["schema"];
  const root = isJsonObject(schema) ? schema["openAPIV3Schema"] : undefined;
  if (!isJsonObject(root)) {
    throw errorAt(crd.document, [...crd.pathInDocument, ...at.slice(0, 3)], `version ${name} has no schema.openAPIV3Schema (required by apiextensions.k8s.io/v1)`, `spec.versions[${String(at[2])}].schema.openAPIV3Schema`);
  }
  return root;
}

/** `spec.versions[2].served` → `spec.versions[*].served`: CRD findings name the field, the version is beside it. */
function crdFieldPath(at: DocPath): string {
  let out = "";
  at.forEach((seg, i) => {
    if (typeof seg === "number") out += at[i - 1] === "versions" ? "[*]" : `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  });
  return out;
}

/** The longest finding message (the report's JSON Schema says so too): the values are in old/new. */
export const MESSAGE_MAX = 1000;

/** A message cut to {@link MESSAGE_MAX} characters, in the middle, never inside a surrogate pair. */
export function boundedMessage(message: string): string {
  if (message.length <= MESSAGE_MAX) return message;
  const cut = "…";
  let head = Math.floor((MESSAGE_MAX - cut.length) / 2);
  let tail = MESSAGE_MAX - cut.length - head;
  if (/[\ud800-\udbff]/.test(message.charAt(head - 1))) head--;
  if (/[\udc00-\udfff]/.test(message.charAt(message.length - tail))) tail--;
  return `${message.slice(0, head)}${cut}${message.slice(message.length - tail)}`;
}

function finish(rule: string, crd: string, version: string | undefined, path: string, f: RawFinding, where: Pick<Finding, "file" | "line">): Finding {
  return {
    rule,
    severity: f.severity,
    crd,
    ...(version !== undefined ? { version } : {}),
    path: path === "" ? "." : path,
    message: boundedMessage(f.message),
    ...(f.old !== undefined ? { old: f.old } : {}),
    ...(f.new !== undefined ? { new: f.new } : {}),
    typescript: f.typescript,
    ...(f.reason !== undefined ? { reason: f.reason } : {}),
    ...where,
  };
}
