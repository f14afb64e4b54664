import type { KubeObject } from "../client/types.js";
import { parseLabelSelector, SelectorError, type LabelSelector } from "../cache/selector.js";
import type { ServedResource } from "./schema.js";
import { badRequest } from "./status.js";

/** A parsed label and field selector pair: `matches(obj)`. */
export interface ObjectSelector {
  readonly empty: boolean;
  matches(obj: KubeObject): boolean;
}

interface FieldRequirement {
  readonly path: string;
  readonly op: "=" | "!=";
  readonly value: string;
}

function valueOfPath(obj: unknown, jsonPath: string): string | undefined {
  let node: unknown = obj;
  for (const part of jsonPath.replace(/^\./, "").split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node === undefined || node === null ? undefined : typeof node === "object" ? undefined : String(node);
}

/** Parses a field selector: `metadata.name=a,metadata.namespace!=b`, and the kind's selectable fields. */
function parseFieldSelector(text: string, res: ServedResource): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  const allowed = ["metadata.name", "metadata.namespace", ...(res.selectableFields ?? []).map((f) => f.replace(/^\./, ""))];
  for (const part of text.split(",")) {
    const t = part.trim();
    if (t === "") continue;
    const m = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/.exec(t);
    if (m === null) throw badRequest(`invalid selector: '${text}'; can't understand '${t}'`);
    const [, path = "", op = "=", value = ""] = m;
    if (!allowed.includes(path)) {
      throw badRequest(`field label not supported: ${path}`);
    }
    out.push({ path, op: op === "!=" ? "!=" : "=", value });
  }
  return out;
}

/** The selector of a list, watch or deleteCollection request; a bad selector is the server's 400. */
export function objectSelector(res: ServedResource, labelSelector: string | undefined, fieldSelector: string | undefined): ObjectSelector {
  let labels: LabelSelector | undefined;
  try {
    labels = labelSelector === undefined || labelSelector === "" ? undefined : parseLabelSelector(labelSelector);
  } catch (err) {
    if (err instanceof SelectorError) throw badRequest(`unable to parse requirement: ${err.message}`);
    throw err;
  }
  const fields = fieldSelector === undefined ? [] : parseFieldSelector(fieldSelector, res);
  return {
    empty: labels === undefined && fields.length === 0,
    matches(obj) {
      if (labels !== undefined && !labels.matches(obj.metadata.labels)) return false;
      for (const f of fields) {
        const v = valueOfPath(obj, f.path) ?? "";
        if ((v === f.value) !== (f.op === "=")) return false;
      }
      return true;
    },
  };
}
