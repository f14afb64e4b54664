import type { JsonPatchOperation } from "../client/types.js";

/** A patch that does not apply: the fake answers it as the API server does (see `rest.ts`). */
export class PatchError extends Error {
  override name = "PatchError";
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSON merge patch (RFC 7386): objects merge recursively, `null` removes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The reference tokens of a JSON pointer (RFC 6901). */
function tokens(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new PatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

type Container = Record<string, unknown> | unknown[];

/** The container holding the pointer's last token, and that token. */
function parentOf(doc: unknown, pointer: string, op: string): { parent: Container; key: string } {
  const t = tokens(pointer);
  const key = t.pop();
  if (key === undefined) throw new PatchError(`${op} operation does not apply: doc is missing path: "${pointer}"`);
  let node: unknown = doc;
  for (const part of t) {
    node = Array.isArray(node) ? node[arrayIndex(part, node.length, false, op, pointer)] : isObject(node) ? node[part] : undefined;
    if (node === undefined) throw new PatchError(`${op} operation does not apply: doc is missing path: "${pointer}"`);
  }
  if (!Array.isArray(node) && !isObject(node)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${pointer}"`);
  return { parent: node, key };
}

function arrayIndex(token: string, length: number, forInsert: boolean, op: string, pointer: string): number {
  if (forInsert && token === "-") return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${pointer}"`);
  const i = Number(token);
  if (i > length || (!forInsert && i === length)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${pointer}"`);
  return i;
}

function get(doc: unknown, pointer: string, op: string): unknown {
  if (pointer === "") return doc;
  const { parent, key } = parentOf(doc, pointer, op);
  const v = Array.isArray(parent) ? parent[arrayIndex(key, parent.length, false, op, pointer)] : parent[key];
  if (v === undefined) throw new PatchError(`${op} operation does not apply: doc is missing key: ${pointer}`);
  return v;
}

function add(doc: unknown, pointer: string, value: unknown, op = "add"): unknown {
  if (pointer === "") return value;
  const { parent, key } = parentOf(doc, pointer, op);
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length, true, op, pointer), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, pointer: string, op = "remove"): unknown {
  const { parent, key } = parentOf(doc, pointer, op);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(key, parent.length, false, op, pointer), 1);
  } else {
    if (!(key in parent)) throw new PatchError(`${op} operation does not apply: doc is missing key: ${pointer}`);
    delete parent[key];
  }
  return doc;
}

/** JSON patch (RFC 6902): the operations in order, on a copy; any failing operation fails the patch. */
export function jsonPatch(target: unknown, operations: readonly JsonPatchOperation[]): unknown {
  if (!Array.isArray(operations)) throw new PatchError("a JSON patch must be an array of operations");
  let doc = structuredClone(target);
  for (const o of operations) {
    switch (o.op) {
      case "add":
        doc = add(doc, o.path, structuredClone(o.value));
        break;
      case "remove":
        doc = remove(doc, o.path);
        break;
      case "replace":
        get(doc, o.path, "replace");
        doc = o.path === "" ? structuredClone(o.value) : add(remove(doc, o.path, "replace"), o.path, structuredClone(o.value), "replace");
        break;
      case "move": {
        const v = get(doc, o.from, "move");
        doc = add(remove(doc, o.from, "move"), o.path, v, "move");
        break;
      }
      case "copy":
        doc = add(doc, o.path, structuredClone(get(doc, o.from, "copy")), "copy");
        break;
      case "test": {
        const actual = o.path === "" ? doc : get(doc, o.path, "test");
        if (!jsonEqual(actual, o.value)) throw new PatchError(`testing value ${o.path} failed: test failed`);
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${String((o as { op?: unknown }).op)}`);
    }
  }
  return doc;
}
