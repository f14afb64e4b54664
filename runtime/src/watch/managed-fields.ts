/**
 * Decoding without `metadata.managedFields`: for caches that drop the field anyway (informers, by
 * default), its array is cut out of the JSON text before the text is parsed, so that its hundreds
 * of small objects are never built. About a third of a Pod's bytes and most of its objects are
 * field ownership; cutting is a scan of those bytes, parsing them is several times that.
 *
 * The cut is checked, never trusted: the array is replaced by a sentinel string that no server can
 * send (it holds a random nonce drawn when this module loads), and the parsed value is used only if
 * the sentinel sits exactly where the field belongs (`object.metadata` of a watch event, each list
 * item's `metadata`). Anything else (the key also in a spec, an array that cannot be delimited
 * without a parse) makes the text be parsed whole, as without this.
 */
import { randomBytes } from "node:crypto";

const KEY = '"managedFields":[';
const NONCE = `managedFields cut ${randomBytes(12).toString("hex")}`;
const SENTINEL = JSON.stringify(NONCE);

/**
 * Index just past the `]` that closes the array opened just before `from`; -1 when it cannot be
 * told without a parse (an array inside it, whose cut would not parse anyway, or the text ends).
 * Strings are skipped whole: a quote preceded by an odd number of backslashes does not end them.
 */
function arrayEnd(text: string, from: number): number {
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i++);
    if (c === 0x22) {
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) return -1;
        let slashes = 0;
        while (text.charCodeAt(q - 1 - slashes) === 0x5c) slashes++;
        i = q + 1;
        if ((slashes & 1) === 0) break;
      }
    } else if (c === 0x5d) {
      return i;
    } else if (c === 0x5b) {
      return -1;
    }
  }
  return -1;
}

/** `text` with the array of every `"managedFields":` key that can be delimited replaced by the sentinel. */
function cut(text: string, first: number, all: boolean): { text: string; cuts: number } {
  let out = "";
  let copied = 0;
  let cuts = 0;
  let at = first;
  while (at !== -1) {
    const end = arrayEnd(text, at + KEY.length);
    if (end !== -1) {
      out += text.slice(copied, at + KEY.length - 1) + SENTINEL;
      copied = end;
      cuts++;
    }
    if (!all) break;
    at = text.indexOf(KEY, end !== -1 ? end : at + KEY.length);
  }
  return { text: cuts === 0 ? text : out + text.slice(copied), cuts };
}

type Meta = Record<string, unknown>;

/** The metadata of `obj` if it is an object. */
function metaOf(obj: unknown): Meta | undefined {
  if (typeof obj !== "object" || obj === null) return undefined;
  const meta = (obj as { metadata?: unknown }).metadata;
  return typeof meta === "object" && meta !== null ? (meta as Meta) : undefined;
}

/** Sets `obj.metadata` to a copy of itself without managedFields (key order otherwise the same). */
function dropField(obj: unknown): void {
  const meta = metaOf(obj);
  if (meta === undefined || !("managedFields" in meta)) return;
  const { managedFields: _dropped, ...rest } = meta;
  (obj as { metadata: Meta }).metadata = rest;
}

/** The cut text parsed, or undefined if it does not parse (the whole text is then parsed instead). */
function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const objectOf = (event: unknown): unknown => (typeof event === "object" && event !== null ? (event as { object?: unknown }).object : undefined);
const itemsOf = (list: unknown): unknown => (typeof list === "object" && list !== null ? (list as { items?: unknown }).items : undefined);

/**
 * `JSON.parse` of one watch event (`{"type":…,"object":…}`) whose object comes without
 * `metadata.managedFields`; every other byte of the event is as `JSON.parse` gives it. Throws as
 * `JSON.parse` does on text that is not JSON.
 */
export function parseEventWithoutManagedFields(line: string): unknown {
  const at = line.indexOf(KEY);
  const { text, cuts } = at === -1 ? { text: line, cuts: 0 } : cut(line, at, false);
  let event = cuts === 0 ? undefined : tryParse(text);
  if (metaOf(objectOf(event))?.["managedFields"] !== NONCE) event = JSON.parse(line);
  dropField(objectOf(event));
  return event;
}

/**
 * `JSON.parse` of a list (`{"metadata":…,"items":[…]}`) whose items come without
 * `metadata.managedFields`; the rest is as `JSON.parse` gives it. Throws as `JSON.parse` does.
 */
export function parseListWithoutManagedFields(body: string): unknown {
  const at = body.indexOf(KEY);
  const { text, cuts } = at === -1 ? { text: body, cuts: 0 } : cut(body, at, true);
  let list = cuts === 0 ? undefined : tryParse(text);
  const items = itemsOf(list);
  // Every cut must have landed in an item's metadata, or the cut text is thrown away.
  const landed = Array.isArray(items) ? items.reduce((n: number, item) => (metaOf(item)?.["managedFields"] === NONCE ? n + 1 : n), 0) : -1;
  if (cuts === 0 || landed !== cuts) list = JSON.parse(body);
  const all = itemsOf(list);
  if (Array.isArray(all)) for (const item of all) dropField(item);
  return list;
}
