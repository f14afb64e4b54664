import { isJsonObject, type JsonObject, type JsonValue } from "../../load/documents.js";
import {
  bySide,
  childPath,
  jsdocOnly,
  listSome,
  propertiesOf,
  propertyText,
  requiredOf,
  sameValue,
  shapeChanged,
  show,
  tsType,
  typeKeyword,
  objectShape,
  canonical,
} from "../show.js";
import type { RawFinding, SchemaPair, SchemaRule, Severity } from "../types.js";

// One small function per rule id. Each looks at one pair of nodes (present on both sides) and
// returns what it finds; the walker (../compare.ts) calls all of them on every pair and recurses.

const NONE: RawFinding[] = [];

const propertyRemoved: SchemaRule = {
  id: "property-removed",
  scope: "schema",
  summary: "A property disappears: clients that set or read it lose it, and stored values are pruned",
  keywords: ["properties"],
  check(p) {
    if (shapeChanged(p)) return NONE;
    const before = propertiesOf(p.old);
    const after = propertiesOf(p.new);
    const req = requiredOf(p.old);
    return Object.keys(before).filter((k) => !(k in after)).sort().map((k) => ({
      severity: "breaking",
      path: childPath(p.path, k),
      at: ["properties"],
      message: `property removed (was ${tsType(before[k])})`,
      old: tsType(before[k]),
      typescript: { change: "changed", text: `removes \`${propertyText(k, before[k], req.has(k))}\`` },
    }));
  },
};

const propertyAdded: SchemaRule = {
  id: "property-added",
  scope: "schema",
  summary: "A new optional property (a new required one is also reported by required-added)",
  keywords: ["properties"],
  check(p) {
    if (shapeChanged(p)) return NONE;
    const before = propertiesOf(p.old);
    const after = propertiesOf(p.new);
    const req = requiredOf(p.new);
    return Object.keys(after).filter((k) => !(k in before)).sort().map((k) => ({
      severity: "info",
      path: childPath(p.path, k),
      at: ["properties", k],
      message: `property added (${tsType(after[k])})`,
      new: tsType(after[k]),
      typescript: { change: "added", text: `adds \`${propertyText(k, after[k], req.has(k))}\`` },
    }));
  },
};

const typeChanged: SchemaRule = {
  id: "type-changed",
  scope: "schema",
  summary: "The type changes (object, array, string, integer, number, boolean, or none)",
  keywords: ["type"],
  check(p) {
    if ((p.old["x-kubernetes-int-or-string"] === true) !== (p.new["x-kubernetes-int-or-string"] === true)) return NONE;
    const a = typeKeyword(p.old);
    const b = typeKeyword(p.new);
    if (a === b) return NONE;
    return [{
      severity: "breaking",
      at: ["type"],
      message: `type changed from ${a ?? "(none)"} to ${b ?? "(none)"}`,
      old: a ?? "(none)",
      new: b ?? "(none)",
      typescript: { change: "changed", text: `\`${tsType(p.old)}\` → \`${tsType(p.new)}\`` },
    }];
  },
};

const formatChanged: SchemaRule = {
  id: "format-changed",
  scope: "schema",
  summary: "The format changes, is added (int32 → int64, date-time…) or is removed",
  keywords: ["format"],
  check(p) {
    const a = p.old["format"];
    const b = p.new["format"];
    if (sameValue(a, b)) return NONE;
    const removed = b === undefined;
    const what = a === undefined ? `format ${show(b)} added` : removed ? `format ${show(a)} removed` : `format changed from ${show(a)} to ${show(b)}`;
    return [{
      severity: removed ? bySide(p, "info", "warning") : bySide(p, "breaking", "warning"),
      at: ["format"],
      message: what,
      ...(a !== undefined ? { old: show(a) } : {}),
      ...(b !== undefined ? { new: show(b) } : {}),
      typescript: jsdocOnly("@format"),
    }];
  },
};

const requiredAdded: SchemaRule = {
  id: "required-added",
  scope: "schema",
  summary: "A property becomes required: writers that leave it out are refused (unless it has a default)",
  keywords: ["required"],
  check(p) {
    if (shapeChanged(p)) return NONE;
    const before = requiredOf(p.old);
    const oldProps = propertiesOf(p.old);
    const props = propertiesOf(p.new);
    return [...requiredOf(p.new)].filter((k) => !before.has(k)).sort().map((k): RawFinding => {
      const node = props[k];
      const hasDefault = isJsonObject(node) && node["default"] !== undefined;
      const isNew = !(k in oldProps);
      return {
        severity: hasDefault ? "info" : bySide(p, "breaking", "warning"),
        path: childPath(p.path, k),
        at: ["required"],
        message: hasDefault
          ? `property is now required but has a default (${show(isJsonObject(node) ? node["default"] : undefined)}), so the server fills it in`
          : isNew ? "new required property: objects without it are refused" : "property is now required: objects without it are refused",
        ...(hasDefault ? { reason: "a default satisfies required" } : {}),
        typescript: hasDefault
          ? { change: "none", text: "none — a property with a default stays optional" }
          : isNew
            ? { change: "changed", text: `adds required \`${propertyText(k, node, true)}\`` }
            : { change: "changed", text: `\`${propertyText(k, node, false)}\` → \`${propertyText(k, node, true)}\`` },
      };
    });
  },
};

const requiredRemoved: SchemaRule = {
  id: "required-removed",
  scope: "schema",
  summary: "A property is no longer required: strict readers must now handle its absence",
  keywords: ["required"],
  check(p) {
    if (shapeChanged(p)) return NONE;
    const after = requiredOf(p.new);
    const props = propertiesOf(p.new);
    const oldProps = propertiesOf(p.old);
    return [...requiredOf(p.old)].filter((k) => !after.has(k) && k in props).sort().map((k): RawFinding => {
      const hadDefault = isJsonObject(oldProps[k]) && (oldProps[k] as JsonObject)["default"] !== undefined;
      return {
        severity: bySide(p, "warning", "breaking"),
        path: childPath(p.path, k),
        at: ["properties", k],
        message: "property is no longer required",
        typescript: hadDefault
          ? { change: "none", text: "none — the property was optional already (it has a default)" }
          : { change: "changed", text: `\`${propertyText(k, props[k], true)}\` → \`${propertyText(k, props[k], false)}\`` },
      };
    });
  },
};

// ---- enum -------------------------------------------------------------------------------------

function enumValues(node: JsonObject): JsonValue[] | undefined {
  const e = node["enum"];
  return Array.isArray(e) && e.length > 0 ? e : undefined;
}

function enumTyped(node: JsonObject): boolean {
  const t = typeKeyword(node);
  return t !== "object" && t !== "array";
}

function missing(from: readonly JsonValue[], inside: readonly JsonValue[]): JsonValue[] {
  const keys = new Set(inside.map((v) => JSON.stringify(canonical(v))));
  return from.filter((v) => !keys.has(JSON.stringify(canonical(v))));
}

const enumValueRemoved: SchemaRule = {
  id: "enum-value-removed",
  scope: "schema",
  summary: "Allowed values are removed from an enum",
  keywords: ["enum"],
  check(p) {
    const a = enumValues(p.old);
    const b = enumValues(p.new);
    if (a === undefined || b === undefined) return NONE;
    const gone = missing(a, b);
    if (gone.length === 0) return NONE;
    const shown = listSome(gone.map((v) => show(v)));
    return [{
      severity: bySide(p, "breaking", "warning"),
      at: ["enum"],
      message: `enum value${gone.length > 1 ? "s" : ""} removed: ${shown}`,
      old: shown,
      typescript: enumTyped(p.new) ? { change: "changed", text: `union member${gone.length > 1 ? "s" : ""} ${shown} removed` } : jsdocOnly("enum of objects is not typed"),
    }];
  },
};

const enumValueAdded: SchemaRule = {
  id: "enum-value-added",
  scope: "schema",
  summary: "New allowed values in an enum: exhaustive switches over it break",
  keywords: ["enum"],
  check(p) {
    const a = enumValues(p.old);
    const b = enumValues(p.new);
    if (a === undefined || b === undefined) return NONE;
    const added = missing(b, a);
    if (added.length === 0) return NONE;
    const shown = listSome(added.map((v) => show(v)));
    return [{
      severity: bySide(p, "info", "warning"),
      at: ["enum"],
      message: `enum value${added.length > 1 ? "s" : ""} added: ${shown}`,
      new: shown,
      typescript: enumTyped(p.new) ? { change: "added", text: `union member${added.length > 1 ? "s" : ""} ${shown} added` } : jsdocOnly("enum of objects is not typed"),
    }];
  },
};

const enumAdded: SchemaRule = {
  id: "enum-added",
  scope: "schema",
  summary: "An enum is imposed on a field that had none",
  keywords: ["enum"],
  check(p) {
    const a = enumValues(p.old);
    const b = enumValues(p.new);
    if (a !== undefined || b === undefined || shapeChanged(p)) return NONE;
    return [{
      severity: bySide(p, "breaking", "warning"),
      at: ["enum"],
      message: `enum imposed: ${listSome(b.map((v) => show(v)))}`,
      new: show(b),
      typescript: enumTyped(p.new) ? { change: "changed", text: `\`${tsType(p.old)}\` → \`${tsType(p.new)}\`` } : jsdocOnly("enum of objects is not typed"),
    }];
  },
};

const enumRemoved: SchemaRule = {
  id: "enum-removed",
  scope: "schema",
  summary: "An enum is lifted: any value of the type is allowed",
  keywords: ["enum"],
  check(p) {
    const a = enumValues(p.old);
    const b = enumValues(p.new);
    if (a === undefined || b !== undefined || shapeChanged(p)) return NONE;
    return [{
      severity: bySide(p, "info", "warning"),
      at: [],
      message: `enum lifted (was ${listSome(a.map((v) => show(v)))})`,
      old: show(a),
      typescript: enumTyped(p.old) ? { change: "changed", text: `\`${tsType(p.old)}\` → \`${tsType(p.new)}\`` } : jsdocOnly("enum of objects is not typed"),
    }];
  },
};

// ---- bounds -----------------------------------------------------------------------------------

const MAX_KEYS = ["maximum", "maxLength", "maxItems", "maxProperties"] as const;
const MIN_KEYS = ["minimum", "minLength", "minItems", "minProperties"] as const;

function num(v: JsonValue | undefined): number | undefined {
  return typeof v === "number" ? v : undefined;
}

function boundFinding(p: SchemaPair, key: string, severity: Severity, verb: string): RawFinding {
  const a = p.old[key];
  const b = p.new[key];
  return {
    severity,
    at: b === undefined ? [] : [key],
    message: a === undefined ? `${key} ${show(b)} added` : b === undefined ? `${key} ${show(a)} removed` : `${key} ${verb} from ${show(a)} to ${show(b)}`,
    ...(a !== undefined ? { old: show(a) } : {}),
    ...(b !== undefined ? { new: show(b) } : {}),
    typescript: jsdocOnly(`@${key}`),
  };
}

const maxTightened: SchemaRule = {
  id: "max-tightened",
  scope: "schema",
  summary: "maximum, maxLength, maxItems or maxProperties added or lowered",
  keywords: [...MAX_KEYS],
  check(p) {
    return MAX_KEYS.filter((k) => {
      const a = num(p.old[k]);
      const b = num(p.new[k]);
      return b !== undefined && (a === undefined || b < a);
    }).map((k) => boundFinding(p, k, bySide(p, "breaking", "warning"), "lowered"));
  },
};

const minTightened: SchemaRule = {
  id: "min-tightened",
  scope: "schema",
  summary: "minimum, minLength, minItems or minProperties added or raised",
  keywords: [...MIN_KEYS],
  check(p) {
    return MIN_KEYS.filter((k) => {
      const a = num(p.old[k]);
      const b = num(p.new[k]);
      return b !== undefined && (a === undefined || b > a);
    }).map((k) => boundFinding(p, k, bySide(p, "breaking", "warning"), "raised"));
  },
};

function divides(big: number, small: number): boolean {
  const q = big / small;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

const boundLoosened: SchemaRule = {
  id: "bound-loosened",
  scope: "schema",
  summary: "A bound (max*, min*, multipleOf) is removed or relaxed",
  keywords: [...MAX_KEYS, ...MIN_KEYS, "multipleOf"],
  check(p) {
    const out: RawFinding[] = [];
    const severity = bySide(p, "info", "warning");
    for (const k of MAX_KEYS) {
      const a = num(p.old[k]);
      const b = num(p.new[k]);
      if (a !== undefined && (b === undefined || b > a)) out.push(boundFinding(p, k, severity, "raised"));
    }
    for (const k of MIN_KEYS) {
      const a = num(p.old[k]);
      const b = num(p.new[k]);
      if (a !== undefined && (b === undefined || b < a)) out.push(boundFinding(p, k, severity, "lowered"));
    }
    const a = num(p.old["multipleOf"]);
    const b = num(p.new["multipleOf"]);
    if (a !== undefined && (b === undefined || (b !== a && divides(a, b)))) out.push(boundFinding(p, "multipleOf", severity, "relaxed"));
    return out;
  },
};

const multipleOfChanged: SchemaRule = {
  id: "multiple-of-changed",
  scope: "schema",
  summary: "multipleOf added, or changed so that some old values no longer fit",
  keywords: ["multipleOf"],
  check(p) {
    const a = num(p.old["multipleOf"]);
    const b = num(p.new["multipleOf"]);
    if (b === undefined || a === b || (a !== undefined && divides(a, b))) return NONE;
    return [boundFinding(p, "multipleOf", bySide(p, "breaking", "warning"), "changed")];
  },
};

const exclusiveBoundChanged: SchemaRule = {
  id: "exclusive-bound-changed",
  scope: "schema",
  summary: "exclusiveMinimum or exclusiveMaximum switched on (tightened) or off (loosened)",
  keywords: ["exclusiveMinimum", "exclusiveMaximum"],
  check(p) {
    const out: RawFinding[] = [];
    for (const k of ["exclusiveMinimum", "exclusiveMaximum"]) {
      const a = p.old[k] === true;
      const b = p.new[k] === true;
      if (a === b) continue;
      out.push({
        severity: b ? bySide(p, "breaking", "warning") : bySide(p, "info", "warning"),
        at: b ? [k] : [],
        message: b ? `${k} switched on: the bound itself is no longer allowed` : `${k} switched off: the bound itself is allowed again`,
        old: String(a),
        new: String(b),
        typescript: jsdocOnly(`@${k}`),
      });
    }
    return out;
  },
};

// ---- pattern, nullable, default ---------------------------------------------------------------

function patternRule(id: string, when: (a: JsonValue | undefined, b: JsonValue | undefined) => boolean, severity: (p: SchemaPair) => Severity, summary: string): SchemaRule {
  return {
    id,
    scope: "schema",
    summary,
    keywords: ["pattern"],
    check(p) {
      const a = p.old["pattern"];
      const b = p.new["pattern"];
      if (sameValue(a, b) || !when(a, b)) return NONE;
      return [{
        severity: severity(p),
        at: b === undefined ? [] : ["pattern"],
        message: a === undefined ? `pattern ${show(b)} added` : b === undefined ? `pattern ${show(a)} removed` : `pattern changed from ${show(a)} to ${show(b)}`,
        ...(a !== undefined ? { old: show(a) } : {}),
        ...(b !== undefined ? { new: show(b) } : {}),
        typescript: jsdocOnly("@pattern"),
      }];
    },
  };
}

const patternAdded = patternRule("pattern-added", (a, b) => a === undefined && b !== undefined, (p) => bySide(p, "breaking", "warning"), "A pattern is imposed on a string");
const patternChanged = patternRule("pattern-changed", (a, b) => a !== undefined && b !== undefined, () => "warning", "A string's pattern changes");
const patternRemoved = patternRule("pattern-removed", (a, b) => a !== undefined && b === undefined, () => "info", "A string's pattern is lifted");

const nullableRemoved: SchemaRule = {
  id: "nullable-removed",
  scope: "schema",
  summary: "null is no longer accepted",
  keywords: ["nullable"],
  check(p) {
    if (p.old["nullable"] !== true || p.new["nullable"] === true) return NONE;
    return [{
      severity: bySide(p, "breaking", "warning"),
      at: [],
      message: "nullable removed: null is refused (and pruned from stored objects on the next write)",
      old: "true",
      new: "false",
      typescript: { change: "changed", text: `\`${tsType(p.old)}\` → \`${tsType(p.new)}\`` },
    }];
  },
};

const nullableAdded: SchemaRule = {
  id: "nullable-added",
  scope: "schema",
  summary: "null becomes a valid value: readers must handle it",
  keywords: ["nullable"],
  check(p) {
    if (p.old["nullable"] === true || p.new["nullable"] !== true) return NONE;
    return [{
      severity: bySide(p, "info", "breaking"),
      at: ["nullable"],
      message: "nullable added: null is a valid value",
      old: "false",
      new: "true",
      typescript: { change: "changed", text: `\`${tsType(p.old)}\` → \`${tsType(p.new)}\`` },
    }];
  },
};

function defaultEffect(p: SchemaPair, hadDefault: boolean, hasDefault: boolean): RawFinding["typescript"] {
  // The generator makes a property with a default optional: on a required property the default
  // decides `x: T` or `x?: T`.
  if (p.property?.requiredNew === true && hadDefault !== hasDefault) {
    const key = p.property.key;
    return hasDefault
      ? { change: "changed", text: `\`${key}: T\` → \`${key}?: T\` (a property with a default is optional)` }
      : { change: "changed", text: `\`${key}?: T\` → \`${key}: T\` (no default any more)` };
  }
  return jsdocOnly("@default");
}

function defaultRule(id: string, when: "added" | "changed" | "removed", summary: string): SchemaRule {
  return {
    id,
    scope: "schema",
    summary,
    keywords: ["default"],
    check(p) {
      const a = p.old["default"];
      const b = p.new["default"];
      if (sameValue(a, b)) return NONE;
      const kind = a === undefined ? "added" : b === undefined ? "removed" : "changed";
      if (kind !== when) return NONE;
      return [{
        severity: bySide(p, "warning", "info"),
        at: b === undefined ? [] : ["default"],
        message: kind === "added" ? `default ${show(b)} added` : kind === "removed" ? `default ${show(a)} removed` : `default changed from ${show(a)} to ${show(b)}`,
        ...(a !== undefined ? { old: show(a) } : {}),
        ...(b !== undefined ? { new: show(b) } : {}),
        typescript: defaultEffect(p, a !== undefined, b !== undefined),
      }];
    },
  };
}

const defaultAdded = defaultRule("default-added", "added", "A default is added: objects written without the field now get it");
const defaultChanged = defaultRule("default-changed", "changed", "The default changes: new objects get a different value");
const defaultRemoved = defaultRule("default-removed", "removed", "The default is removed: the field stays unset unless written");

// ---- x-kubernetes-* ---------------------------------------------------------------------------

const preserveUnknownChanged: SchemaRule = {
  id: "preserve-unknown-changed",
  scope: "schema",
  summary: "x-kubernetes-preserve-unknown-fields switched: true → false prunes stored data",
  keywords: ["x-kubernetes-preserve-unknown-fields"],
  check(p) {
    const a = p.old["x-kubernetes-preserve-unknown-fields"] === true;
    const b = p.new["x-kubernetes-preserve-unknown-fields"] === true;
    if (a === b) return NONE;
    const struct = objectShape(p.new) === "struct" || objectShape(p.old) === "struct";
    return [{
      severity: a ? "breaking" : bySide(p, "info", "warning"),
      at: b ? ["x-kubernetes-preserve-unknown-fields"] : [],
      message: a ? "unknown fields are no longer preserved: the server prunes them from stored objects" : "unknown fields are now preserved",
      old: String(a),
      new: String(b),
      typescript: a
        ? { change: "changed", text: struct ? "index signature `[key: string]: unknown` removed" : "`{ [key: string]: unknown }` → no keys allowed" }
        : { change: "added", text: struct ? "index signature `[key: string]: unknown` added" : "any key allowed: `{ [key: string]: unknown }`" },
    }];
  },
};

const intOrStringChanged: SchemaRule = {
  id: "int-or-string-changed",
  scope: "schema",
  summary: "x-kubernetes-int-or-string switched: on → off narrows, off → on widens",
  keywords: ["x-kubernetes-int-or-string"],
  check(p) {
    const a = p.old["x-kubernetes-int-or-string"] === true;
    const b = p.new["x-kubernetes-int-or-string"] === true;
    if (a === b) return NONE;
    return [{
      severity: a ? bySide(p, "breaking", "warning") : bySide(p, "warning", "breaking"),
      at: b ? ["x-kubernetes-int-or-string"] : [],
      message: a ? `int-or-string narrowed to ${typeKeyword(p.new) ?? "(no type)"}` : `${typeKeyword(p.old) ?? "(no type)"} widened to int-or-string`,
      old: a ? "int-or-string" : typeKeyword(p.old) ?? "(none)",
      new: b ? "int-or-string" : typeKeyword(p.new) ?? "(none)",
      typescript: { change: "changed", text: `\`${tsType(p.old)}\` → \`${tsType(p.new)}\`` },
    }];
  },
};

const additionalPropertiesChanged: SchemaRule = {
  id: "additional-properties-changed",
  scope: "schema",
  summary: "A map becomes a struct or back, or a map's values become free-form or typed",
  keywords: ["additionalProperties"],
  check(p) {
    if (typeKeyword(p.old) !== "object" || typeKeyword(p.new) !== "object") return NONE;
    const a = objectShape(p.old);
    const b = objectShape(p.new);
    const va = p.old["additionalProperties"];
    const vb = p.new["additionalProperties"];
    const mapToMap = a === "map" && b === "map" && (va === true) !== (vb === true);
    if (!mapToMap && (a === b || (a !== "map" && b !== "map"))) return NONE;
    const describe = (shape: string, v: JsonValue | undefined): string =>
      shape === "map" ? (v === true ? "a map of anything" : `a map of ${tsType(v)}`) : shape === "struct" ? "an object with properties" : shape === "free-form" ? "a free-form object" : "an object without properties";
    return [{
      severity: "breaking",
      at: vb !== undefined ? ["additionalProperties"] : [],
      message: `changed from ${describe(a, va)} to ${describe(b, vb)}`,
      old: describe(a, va),
      new: describe(b, vb),
      typescript: { change: "changed", text: `\`${tsType(p.old)}\` → \`${tsType(p.new)}\`` },
    }];
  },
};

const embeddedResourceChanged: SchemaRule = {
  id: "embedded-resource-changed",
  scope: "schema",
  summary: "x-kubernetes-embedded-resource switched: apiVersion, kind and metadata are (no longer) expected",
  keywords: ["x-kubernetes-embedded-resource"],
  check(p) {
    const a = p.old["x-kubernetes-embedded-resource"] === true;
    const b = p.new["x-kubernetes-embedded-resource"] === true;
    if (a === b) return NONE;
    return [{
      severity: "breaking",
      at: b ? ["x-kubernetes-embedded-resource"] : [],
      message: b ? "now an embedded resource: apiVersion, kind and metadata are required and validated" : "no longer an embedded resource",
      old: String(a),
      new: String(b),
      typescript: { change: "changed", text: b ? "`apiVersion`, `kind` and `metadata` members added" : "`apiVersion`, `kind` and `metadata` members removed" },
    }];
  },
};

function keysOf(node: JsonObject): string {
  return node["x-kubernetes-list-type"] === "map" ? ` (keys: ${norm(node["x-kubernetes-list-map-keys"]).join(", ")})` : "";
}

const listTypeChanged: SchemaRule = {
  id: "list-type-changed",
  scope: "schema",
  summary: "x-kubernetes-list-type changes (atomic, set, map): server-side apply merges differently",
  keywords: ["x-kubernetes-list-type"],
  check(p) {
    if (typeKeyword(p.old) !== "array" || typeKeyword(p.new) !== "array") return NONE;
    const a = p.old["x-kubernetes-list-type"] ?? "atomic";
    const b = p.new["x-kubernetes-list-type"] ?? "atomic";
    if (sameValue(a, b)) return NONE;
    return [{
      severity: bySide(p, "breaking", "warning"),
      at: ["x-kubernetes-list-type"],
      message: `list type changed from ${show(a)}${keysOf(p.old)} to ${show(b)}${keysOf(p.new)}: server-side apply merges this list differently`,
      old: show(a),
      new: show(b),
      typescript: jsdocOnly("@listType"),
    }];
  },
};

function norm(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.map((x) => String(x)).sort() : [];
}

const mapKeysChanged: SchemaRule = {
  id: "map-keys-changed",
  scope: "schema",
  summary: "x-kubernetes-list-map-keys change: list items are identified differently",
  keywords: ["x-kubernetes-list-map-keys"],
  check(p) {
    // A switch to or from a map list is list-type-changed's finding; this is about the keys of a map list.
    if (p.old["x-kubernetes-list-type"] !== "map" || p.new["x-kubernetes-list-type"] !== "map") return NONE;
    const a = norm(p.old["x-kubernetes-list-map-keys"]);
    const b = norm(p.new["x-kubernetes-list-map-keys"]);
    if (a.join("\u0000") === b.join("\u0000")) return NONE;
    return [{
      severity: bySide(p, "breaking", "warning"),
      at: b.length > 0 ? ["x-kubernetes-list-map-keys"] : [],
      message: `list map keys changed from [${a.join(", ")}] to [${b.join(", ")}]`,
      old: `[${a.join(", ")}]`,
      new: `[${b.join(", ")}]`,
      typescript: jsdocOnly("@listType keys"),
    }];
  },
};

const mapTypeChanged: SchemaRule = {
  id: "map-type-changed",
  scope: "schema",
  summary: "x-kubernetes-map-type changes (granular ↔ atomic)",
  keywords: ["x-kubernetes-map-type"],
  check(p) {
    const a = p.old["x-kubernetes-map-type"] ?? "granular";
    const b = p.new["x-kubernetes-map-type"] ?? "granular";
    if (sameValue(a, b)) return NONE;
    return [{
      severity: "warning",
      at: p.new["x-kubernetes-map-type"] !== undefined ? ["x-kubernetes-map-type"] : [],
      message: `map type changed from ${show(a)} to ${show(b)}: server-side apply merges this object differently`,
      old: show(a),
      new: show(b),
      typescript: jsdocOnly("@mapType"),
    }];
  },
};

// ---- CEL validation rules ---------------------------------------------------------------------

interface CelRule {
  readonly rule: string;
  readonly raw: JsonObject;
  readonly index: number;
}

function celRules(node: JsonObject): CelRule[] {
  const v = node["x-kubernetes-validations"];
  if (!Array.isArray(v)) return [];
  return v.flatMap((r, index) => (isJsonObject(r) && typeof r["rule"] === "string" ? [{ rule: r["rule"], raw: r, index }] : []));
}

/** Old and new rules paired: same rule text first, then what is left in order (an edited rule). */
function pairCel(pair: SchemaPair): { added: CelRule[]; removed: CelRule[]; changed: [CelRule, CelRule][] } {
  const before = celRules(pair.old);
  const after = celRules(pair.new);
  const left = [...before];
  const added: CelRule[] = [];
  const changed: [CelRule, CelRule][] = [];
  const unmatched: CelRule[] = [];
  for (const r of after) {
    const i = left.findIndex((o) => o.rule === r.rule);
    if (i === -1) {
      unmatched.push(r);
      continue;
    }
    const [o] = left.splice(i, 1) as [CelRule];
    if (!sameValue(o.raw, r.raw)) changed.push([o, r]);
  }
  for (const r of unmatched) {
    const o = left.shift();
    if (o === undefined) added.push(r);
    else changed.push([o, r]);
  }
  return { added, removed: left, changed };
}

const usesOldSelf = (rule: string): boolean => /\boldSelf\b/.test(rule);

function celText(r: CelRule): string {
  const msg = typeof r.raw["message"] === "string" ? r.raw["message"] : typeof r.raw["messageExpression"] === "string" ? `(expression) ${r.raw["messageExpression"]}` : undefined;
  const text = msg === undefined ? r.rule : `${r.rule} — ${msg}`;
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

const validationRuleAdded: SchemaRule = {
  id: "validation-rule-added",
  scope: "schema",
  summary: "A CEL rule is added (ratcheted for unchanged values on Kubernetes ≥ 1.33; transition rules are not)",
  keywords: ["x-kubernetes-validations"],
  check(p) {
    return pairCel(p).added.map((r) => {
      const transition = usesOldSelf(r.rule);
      return {
        severity: transition ? bySide(p, "breaking", "warning") : "warning",
        at: ["x-kubernetes-validations", r.index],
        message: `validation rule added: ${celText(r)}`,
        new: r.rule,
        ...(transition ? { reason: "a transition rule (uses oldSelf) applies to every update and is not ratcheted" } : {}),
        typescript: jsdocOnly("@rule"),
      };
    });
  },
};

const validationRuleChanged: SchemaRule = {
  id: "validation-rule-changed",
  scope: "schema",
  summary: "A CEL rule, or its message, reason or field path, changes",
  keywords: ["x-kubernetes-validations"],
  check(p) {
    return pairCel(p).changed.map(([o, r]) => {
      const same = o.rule === r.rule;
      const fields = ["message", "messageExpression", "reason", "fieldPath", "optionalOldSelf"].filter((f) => !sameValue(o.raw[f], r.raw[f]));
      return {
        severity: bySide(p, "warning", "info"),
        at: ["x-kubernetes-validations", r.index],
        message: same ? `validation rule ${JSON.stringify(r.rule)}: ${fields.join(", ")} changed` : `validation rule changed from ${celText(o)} to ${celText(r)}`,
        old: same ? fields.map((f) => `${f}: ${show(o.raw[f])}`).join("; ") : o.rule,
        new: same ? fields.map((f) => `${f}: ${show(r.raw[f])}`).join("; ") : r.rule,
        typescript: jsdocOnly("@rule"),
      };
    });
  },
};

const validationRuleRemoved: SchemaRule = {
  id: "validation-rule-removed",
  scope: "schema",
  summary: "A CEL rule is removed",
  keywords: ["x-kubernetes-validations"],
  check(p) {
    return pairCel(p).removed.map((r) => ({
      severity: "info",
      at: p.new["x-kubernetes-validations"] !== undefined ? ["x-kubernetes-validations"] : [],
      message: `validation rule removed: ${celText(r)}`,
      old: r.rule,
      typescript: jsdocOnly("@rule"),
    }));
  },
};

// ---- combinators, docs, keywords the API server refuses ----------------------------------------

const COMBINATORS = ["allOf", "oneOf", "anyOf", "not"] as const;

const oneOfAnyOfChanged: SchemaRule = {
  id: "one-of-any-of-changed",
  scope: "schema",
  summary: "allOf, oneOf, anyOf or not changes: what combinations are valid changes",
  keywords: [...COMBINATORS],
  check(p) {
    return COMBINATORS.filter((k) => !sameValue(p.old[k], p.new[k])).map((k) => {
      const count = (v: JsonValue | undefined): string => (v === undefined ? "(none)" : Array.isArray(v) ? `${v.length} alternative${v.length === 1 ? "" : "s"}` : "a schema");
      const a = p.old[k];
      const b = p.new[k];
      return {
        severity: "warning" as const,
        at: b === undefined ? [] : [k],
        message: a === undefined ? `${k} added: ${show(b)}` : b === undefined ? `${k} removed (was ${show(a)})` : `${k} changed (${count(a)} → ${count(b)}): ${show(b)}`,
        ...(a !== undefined ? { old: show(a) } : {}),
        ...(b !== undefined ? { new: show(b) } : {}),
        typescript: jsdocOnly(`@${k}`),
      };
    });
  },
};

const DOC_KEYWORDS = ["description", "title", "example", "externalDocs"] as const;

const descriptionChanged: SchemaRule = {
  id: "description-changed",
  scope: "schema",
  summary: "Documentation only: description, title, example or externalDocs",
  keywords: [...DOC_KEYWORDS],
  check(p) {
    const changed = DOC_KEYWORDS.filter((k) => !sameValue(p.old[k], p.new[k]));
    if (changed.length === 0) return NONE;
    const first = changed[0] as string;
    return [{
      severity: "info",
      at: p.new[first] !== undefined ? [first] : [],
      message: `${changed.join(", ")} changed`,
      ...(p.old[first] !== undefined ? { old: show(p.old[first]) } : {}),
      ...(p.new[first] !== undefined ? { new: show(p.new[first]) } : {}),
      typescript: { change: "none", text: "none — JSDoc only" },
    }];
  },
};

/** Every key a CRD schema node may hold (apiextensions.k8s.io/v1 JSONSchemaProps). */
export const SCHEMA_KEYWORDS: readonly string[] = [
  "id", "$schema", "$ref", "description", "type", "format", "title", "default",
  "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
  "maxItems", "minItems", "uniqueItems", "multipleOf", "enum", "maxProperties", "minProperties", "required",
  "items", "allOf", "oneOf", "anyOf", "not", "properties", "additionalProperties", "patternProperties",
  "dependencies", "additionalItems", "definitions", "externalDocs", "example", "nullable",
  "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string",
  "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type", "x-kubernetes-validations",
];

/** Keywords of JSONSchemaProps that the API server refuses in a CRD schema. */
const REFUSED: ReadonlyMap<string, string> = new Map([
  ["id", "id is not supported"],
  ["$schema", "$schema is not supported"],
  ["$ref", "$ref is not supported: CRD schemas must be inlined"],
  ["definitions", "definitions is not supported"],
  ["dependencies", "dependencies is not supported"],
  ["patternProperties", "patternProperties is not supported"],
  ["additionalItems", "additionalItems is not supported"],
]);
const KNOWN = new Set(SCHEMA_KEYWORDS);

const keywordNotAllowed: SchemaRule = {
  id: "keyword-not-allowed",
  scope: "schema",
  summary: "The new schema uses a keyword the API server refuses (or that is not a JSON-Schema keyword at all)",
  keywords: [...REFUSED.keys(), "uniqueItems"],
  check(p) {
    const out: RawFinding[] = [];
    for (const key of Object.keys(p.new).sort()) {
      if (sameValue(p.old[key], p.new[key])) continue;
      let why: string | undefined;
      if (!KNOWN.has(key)) why = `${JSON.stringify(key)} is not a JSON-Schema keyword of a CRD schema (a typo?); the API server refuses it`;
      else if (REFUSED.has(key)) why = REFUSED.get(key);
      else if (key === "uniqueItems" && p.new[key] === true) why = "uniqueItems cannot be true in a CRD schema (use x-kubernetes-list-type: set)";
      if (why === undefined) continue;
      out.push({ severity: "breaking", at: [key], message: why, new: show(p.new[key]), reason: "the API server refuses the CRD", typescript: { change: "none", text: "none" } });
    }
    return out;
  },
};

/** The schema rules, in report order. */
export const SCHEMA_RULES: readonly SchemaRule[] = [
  propertyRemoved, propertyAdded, typeChanged, formatChanged, requiredAdded, requiredRemoved,
  enumValueRemoved, enumValueAdded, enumAdded, enumRemoved,
  maxTightened, minTightened, boundLoosened, exclusiveBoundChanged, multipleOfChanged,
  patternAdded, patternChanged, patternRemoved, nullableRemoved, nullableAdded,
  defaultAdded, defaultChanged, defaultRemoved,
  preserveUnknownChanged, intOrStringChanged, additionalPropertiesChanged, embeddedResourceChanged,
  listTypeChanged, mapKeysChanged, mapTypeChanged,
  validationRuleAdded, validationRuleChanged, validationRuleRemoved,
  oneOfAnyOfChanged, descriptionChanged, keywordNotAllowed,
];

/** Keywords the walker handles by recursing (its rules see the children). */
export const STRUCTURAL_KEYWORDS: readonly string[] = ["items"];
