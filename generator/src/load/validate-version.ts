import type { Problems } from "./crd-problems.js";
import { isJsonObject, type JsonObject } from "./documents.js";
import type { DocPath } from "./locate.js";

const COLUMN_TYPES = ["boolean", "date", "integer", "number", "string"];
const COLUMN_FORMATS = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"];
const MAX_SELECTABLE_FIELDS = 8;

/**
 * Checks what a version declares besides its schema, as the API server does: the status and scale
 * subresources (replica paths under `.spec` and `.status`, typed in the schema), the printer
 * columns and the selectable fields.
 */
export function checkVersionExtras(v: JsonObject, schema: JsonObject | undefined, at: DocPath, p: Problems): void {
  const sub = v["subresources"];
  if (sub !== undefined && sub !== null) {
    if (!isJsonObject(sub)) p.undecodable([...at, "subresources"], sub, "an object");
    else checkScale(sub["scale"], schema, [...at, "subresources", "scale"], p);
  }
  const columns = v["additionalPrinterColumns"];
  if (columns !== undefined && columns !== null) {
    if (!Array.isArray(columns)) p.undecodable([...at, "additionalPrinterColumns"], columns, "a list");
    else columns.forEach((c, i) => checkColumn(c, [...at, "additionalPrinterColumns", i], p));
  }
  const fields = v["selectableFields"];
  if (fields !== undefined && fields !== null) {
    if (!Array.isArray(fields)) p.undecodable([...at, "selectableFields"], fields, "a list");
    else checkSelectable(fields, schema, [...at, "selectableFields"], p);
  }
}

function checkScale(scale: unknown, schema: JsonObject | undefined, at: DocPath, p: Problems): void {
  if (scale === undefined || scale === null) return;
  if (!isJsonObject(scale)) return p.undecodable(at, scale, "an object");
  const path = (key: string, prefixes: readonly string[], need: boolean): void => {
    const value = scale[key];
    if (value === undefined || value === null || value === "") {
      if (need) p.required([...at, key]);
      return;
    }
    if (typeof value !== "string") return p.undecodable([...at, key], value, "a string");
    if (!prefixes.some((pre) => value.startsWith(pre)) || !SIMPLE_PATH.test(value)) {
      return p.invalid([...at, key], value, `should be a json path under ${prefixes.map((x) => x.slice(0, -1)).join(" or ")}`);
    }
    if (key === "labelSelectorPath" || schema === undefined) return;
    const node = schemaAt(schema, value);
    if (node === undefined) return;
    if (node["type"] !== "integer") p.invalid([...at, key], value, "should be a json path to an integer field in the schema");
  };
  path("specReplicasPath", [".spec."], true);
  path("statusReplicasPath", [".status."], true);
  path("labelSelectorPath", [".spec.", ".status."], false);
}

const SIMPLE_PATH = /^(\.[A-Za-z0-9_-]+)+$/;

/** The schema node at a simple path (`.spec.replicas`), or undefined where the schema is open. */
function schemaAt(schema: JsonObject, path: string): JsonObject | undefined {
  let node: JsonObject = schema;
  for (const seg of path.slice(1).split(".")) {
    const props = node["properties"];
    if (!isJsonObject(props) || !isJsonObject(props[seg])) return undefined;
    node = props[seg];
  }
  return node;
}

function checkColumn(c: unknown, at: DocPath, p: Problems): void {
  if (!isJsonObject(c)) return p.undecodable(at, c, "an object");
  for (const k of ["name", "type", "format", "description", "jsonPath"]) {
    if (c[k] !== undefined && c[k] !== null && typeof c[k] !== "string") p.undecodable([...at, k], c[k], "a string");
  }
  if (typeof c["name"] !== "string" || c["name"] === "") p.required([...at, "name"]);
  const type = c["type"];
  if (typeof type !== "string" || type === "") p.required([...at, "type"]);
  else if (!COLUMN_TYPES.includes(type)) p.unsupported([...at, "type"], type, COLUMN_TYPES);
  const format = c["format"];
  if (typeof format === "string" && format !== "" && !COLUMN_FORMATS.includes(format)) p.unsupported([...at, "format"], format, COLUMN_FORMATS);
  const path = c["jsonPath"];
  if (typeof path !== "string" || path === "") p.required([...at, "jsonPath"]);
  const priority = c["priority"];
  if (priority !== undefined && priority !== null) {
    if (typeof priority !== "number" || !Number.isInteger(priority)) p.undecodable([...at, "priority"], priority, "an integer");
  }
}

function checkSelectable(fields: readonly unknown[], schema: JsonObject | undefined, at: DocPath, p: Problems): void {
  if (fields.length > MAX_SELECTABLE_FIELDS) p.invalid(at, `${fields.length} fields`, `must have at most ${MAX_SELECTABLE_FIELDS} items`);
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (!isJsonObject(f)) return p.undecodable([...at, i], f, "an object");
    const path = f["jsonPath"];
    if (typeof path !== "string" || path === "") return p.required([...at, i, "jsonPath"]);
    if (seen.has(path)) p.invalid([...at, i, "jsonPath"], path, "must be unique");
    seen.add(path);
    if (!SIMPLE_PATH.test(path)) return p.invalid([...at, i, "jsonPath"], path, "must be a simple json path");
    if (schema === undefined) return;
    const node = schemaAt(schema, path);
    if (node === undefined) return p.invalid([...at, i, "jsonPath"], path, "is an invalid path: does not refer to a valid field");
    const t = node["type"];
    if (t !== "string" && t !== "integer" && t !== "boolean" && node["x-kubernetes-int-or-string"] !== true) {
      p.invalid([...at, i, "jsonPath"], path, "must point to a field of type string, boolean or integer");
    }
  });
}
