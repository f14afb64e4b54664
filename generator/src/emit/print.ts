/**
 * The one place that turns names and schema text into TypeScript source: escaping of property keys,
 * string literals and JSDoc, and the layout of type expressions. Output is laid out the way prettier
 * (default options) prints it, so that formatting the output is not needed; where a construct's
 * layout is not known here, the caller is told (`exact: false`) and formats that file with prettier.
 */

/** A type expression, as small as the generator needs. */
export type TypeExpr =
  | { readonly t: "name"; readonly text: string }
  | { readonly t: "array"; readonly of: TypeExpr }
  | { readonly t: "map"; readonly value: TypeExpr }
  | { readonly t: "union"; readonly members: readonly TypeExpr[] };

/** Lines of source plus whether their layout is known to be prettier's. */
export interface Printed {
  readonly lines: string[];
  readonly exact: boolean;
}

const PRINT_WIDTH = 80;
const INDEX_HEAD = "[key: string]: ";
/** An ECMAScript identifier name (prettier prints these keys without quotes). */
const IDENTIFIER_NAME = /^[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200c\u200d]*$/u;

/** A named type, keyword or literal. */
export const named = (text: string): TypeExpr => ({ t: "name", text });

/** A property key: bare when it is an identifier name, otherwise a string literal. */
export function propertyKey(key: string): string {
  return IDENTIFIER_NAME.test(key) ? key : stringLiteral(key);
}

/**
 * A string literal as prettier prints it: double quotes unless the text holds more double than
 * single quotes; backslashes, the chosen quote and control characters escaped.
 */
export function stringLiteral(value: string): string {
  let doubles = 0;
  let singles = 0;
  for (let i = value.indexOf('"'); i !== -1; i = value.indexOf('"', i + 1)) doubles++;
  for (let i = value.indexOf("'"); i !== -1; i = value.indexOf("'", i + 1)) singles++;
  const quote = doubles > singles ? "'" : '"';
  // One regular-expression pass (long texts, such as a validator's schema, are common).
  return quote + value.replace(quote === '"' ? ESCAPED_IN_DOUBLE : ESCAPED_IN_SINGLE, escapeChar) + quote;
}

// Backslash, the quote, control characters, line and paragraph separators, lone surrogates.
const ESCAPED_IN_DOUBLE = /[\\"\u0000-\u001f\u007f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ESCAPED_IN_SINGLE = /[\\'\u0000-\u001f\u007f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeChar(ch: string): string {
  switch (ch) {
    case "\\":
      return "\\\\";
    case '"':
      return '\\"';
    case "'":
      return "\\'";
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    default:
      return `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;
  }
}

/** A number literal as prettier prints it (`1e21`, not `1e+21`). */
export function numberLiteral(value: number): string {
  return String(value).replace(/e\+/, "e");
}

/** A literal type for an enum value. */
export function literalType(value: string | number | boolean): string {
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") return numberLiteral(value);
  return value ? "true" : "false";
}

/**
 * A JSDoc block at `indent`, or nothing when there is nothing to say. `*\/` in the text is broken
 * up, a line starting with `@` is escaped so it is not read as a tag, trailing blanks are dropped.
 */
export function jsdoc(indent: string, description: string | undefined, tags: readonly (readonly [string, string])[]): string[] {
  const body: string[] = [];
  if (description !== undefined) {
    const lines = splitLines(description);
    while (lines.length > 0 && lines[0]?.trim() === "") lines.shift();
    while (lines.length > 0 && lines[lines.length - 1]?.trim() === "") lines.pop();
    for (const l of lines) body.push(escapeDocLine(l, true));
  }
  if (tags.length > 0 && body.length > 0) body.push("");
  for (const [tag, text] of tags) {
    const lines = splitLines(text);
    body.push(`@${tag}${lines[0] === undefined || lines[0] === "" ? "" : ` ${escapeDocLine(lines[0], false)}`}`);
    for (const l of lines.slice(1)) body.push(escapeDocLine(`  ${l}`, true));
  }
  if (body.length === 0) return [];
  return [`${indent}/**`, ...body.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`)), `${indent} */`];
}

/**
 * A one-line doc comment, `/** text *\/`, escaped as {@link jsdoc} escapes; a text with line
 * breaks gets the block form.
 */
export function docLine(indent: string, text: string): string[] {
  if (/[\r\n]/.test(text)) return jsdoc(indent, text, []);
  return [`${indent}/** ${escapeDocLine(text.trim(), true)} */`];
}

function splitLines(text: string): string[] {
  const lines = (text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text).split("\n");
  for (let i = 0; i < lines.length; i++) lines[i] = (lines[i] ?? "").trimEnd();
  return lines;
}

// A lone surrogate cannot be written as UTF-8: it would come back as U+FFFD, and `--check` would
// see a difference on every run. It is written as U+FFFD from the start (as the API server's JSON
// decoder stores it).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeDocLine(line: string, escapeTag: boolean): string {
  let l = line.includes("*/") ? line.replace(/\*\//g, "*\\/") : line;
  if (/[\ud800-\udfff]/.test(l)) l = l.replace(LONE_SURROGATE, "\ufffd");
  if (escapeTag && l.includes("@") && l.trimStart().startsWith("@")) l = l.replace("@", "\\@");
  return l;
}

/** Prints a type expression on one line. */
export function flat(e: TypeExpr): string {
  switch (e.t) {
    case "name":
      return e.text;
    case "array":
      return e.of.t === "union" ? `(${flat(e.of)})[]` : `${flat(e.of)}[]`;
    case "map":
      return `{ [key: string]: ${flat(e.value)} }`;
    case "union":
      return e.members.map(flat).join(" | ");
  }
}

/** Whether prettier never breaks this expression, however long the line. */
function neverBreaks(e: TypeExpr): boolean {
  switch (e.t) {
    case "name":
      return true;
    case "array":
      return e.of.t !== "union" && e.of.t !== "map" && neverBreaks(e.of);
    case "map":
      return false;
    case "union":
      return isHuggedUnion(e) && e.members.every(neverBreaks);
  }
}

/** `X | null` with X a name or a type literal: prettier keeps it together ("hugs" it). */
function isHuggedUnion(e: TypeExpr & { t: "union" }): boolean {
  const others = e.members.filter((m) => !(m.t === "name" && (m.text === "null" || m.text === "undefined")));
  return others.length === 1 && (others[0]?.t === "name" || others[0]?.t === "map");
}

/**
 * Display width as prettier counts it: combining marks 0, East Asian wide and fullwidth characters
 * 2, others 1. Undefined (not known here) for emoji and joiner sequences.
 */
/**
 * The columns `s` takes (wide characters two, combining marks none); undefined when it holds emoji,
 * whose width prettier and terminals disagree on. Counting stops once past `limit`: a line of a
 * long schema literal is known not to fit after its first hundred characters.
 */
function width(s: string, limit = Number.POSITIVE_INFINITY): number | undefined {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s.length;
  if (/[\p{Extended_Pictographic}\u200d\ufe0f]/u.test(s)) return undefined;
  let w = 0;
  for (const ch of s) {
    if (w > limit) return w;
    const c = ch.codePointAt(0) ?? 0;
    if (/\p{M}/u.test(ch)) continue;
    const wide =
      (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/** True when prettier keeps the line on one line (within the print width). */
export function fitsLine(line: string): boolean {
  return fits(line) === true;
}

function fits(line: string): boolean | undefined {
  return fitsJoined([line]);
}

/**
 * {@link fits} of the parts joined, without joining them (a part can be a schema of megabytes):
 * widths add up, and emoji anywhere make the width unknown.
 */
function fitsJoined(parts: readonly string[]): boolean | undefined {
  let w = 0;
  for (const part of parts) {
    const pw = width(part, PRINT_WIDTH);
    if (pw === undefined) return parts.reduce((n, p) => n + p.length, 0) * 2 <= PRINT_WIDTH ? true : undefined;
    w += pw;
  }
  return w <= PRINT_WIDTH;
}

/**
 * Lays out `head + type + tail` (a property signature or index signature) starting at `indent`,
 * the way prettier does for the shapes the generator emits.
 */
export function layoutTyped(indent: string, head: string, e: TypeExpr, tail: string): Printed {
  const one = `${indent}${head}${flat(e)}${tail}`;
  const f = fits(one);
  if (f === true || neverBreaks(e)) return { lines: [one], exact: f !== undefined || neverBreaks(e) };
  if (f === undefined) return { lines: [one], exact: false };
  // A type literal (map), possibly hugged with null or as an array: break its braces.
  const map = e.t === "map" ? e : e.t === "array" && e.of.t === "map" ? e.of : e.t === "union" && isHuggedUnion(e) ? e.members.find((m) => m.t === "map") : undefined;
  if (map !== undefined && map.t === "map") {
    const after = e.t === "array" ? "[]" : e.t === "union" ? e.members.filter((m) => m !== map).map((m) => ` | ${flat(m)}`).join("") : "";
    const inner = layoutIndexSignature(`${indent}  `, map.value);
    return { lines: [`${indent}${head}{`, ...inner.lines, `${indent}}${after}${tail}`], exact: inner.exact };
  }
  // A union that is not hugged: prettier breaks after the colon when the union then fits.
  if (e.t === "union" && head !== INDEX_HEAD) {
    const next = `${indent}  ${flat(e)}${tail}`;
    if (fits(next) === true) return { lines: [`${indent}${head.trimEnd()}`, next], exact: true };
  }
  return { lines: [one], exact: false };
}

/**
 * `[key: string]: V;` inside a type literal. When too long, prettier breaks the brackets of the
 * signature's parameter rather than the value type.
 */
export function layoutIndexSignature(indent: string, value: TypeExpr): Printed {
  const one = `${indent}[key: string]: ${flat(value)};`;
  const f = fits(one);
  if (f === true) return { lines: [one], exact: true };
  if (f === undefined) return { lines: [one], exact: false };
  if (neverBreaks(value)) return { lines: [`${indent}[`, `${indent}  key: string`, `${indent}]: ${flat(value)};`], exact: true };
  return layoutTyped(indent, INDEX_HEAD, value, ";");
}

/** `export type Name = A | B;` laid out as prettier does for a union of literals. */
export function layoutUnionAlias(name: string, members: readonly string[]): Printed {
  const head = `export type ${name} =`;
  const one = `${head} ${members.join(" | ")};`;
  if ([one, ...members].some((l) => width(l) === undefined)) return { lines: [one], exact: fits(one) === true };
  if (fits(one) === true) return { lines: [one], exact: true };
  const next = `  ${members.join(" | ")};`;
  if (members.length === 1 || fits(next) === true) return { lines: [head, next], exact: true };
  return { lines: [head, ...members.map((m, i) => `  | ${m}${i === members.length - 1 ? ";" : ""}`)], exact: true };
}

/** `import type { A, B } from "m";`, broken one name a line when too long. */
export function importLine(names: readonly string[], from: string, typeOnly: boolean): string[] {
  const kw = typeOnly ? "import type" : "import";
  const one = `${kw} { ${names.join(", ")} } from ${stringLiteral(from)};`;
  if (fits(one) === true) return [one];
  return [`${kw} {`, ...names.map((n) => `  ${n},`), `} from ${stringLiteral(from)};`];
}

/** An array of string literals as an object property value, broken one per line when too long. */
export function stringArrayProperty(indent: string, key: string, values: readonly string[], tail: string): string[] {
  const one = `${indent}${key}: [${values.map(stringLiteral).join(", ")}]${tail}`;
  if (values.length === 0 || fits(one) === true) return [one];
  return [`${indent}${key}: [`, ...values.map((v) => `${indent}  ${stringLiteral(v)},`), `${indent}]${tail}`];
}

/** `export { a, b };`, broken one name a line when too long. */
export function exportList(names: readonly string[]): string[] {
  const one = `export { ${names.join(", ")} };`;
  if (fits(one) === true) return [one];
  return ["export {", ...names.map((n) => `  ${n},`), "};"];
}

/** `head(params)tail` — a function declaration or method signature; parameters one a line when too long. */
export function layoutSignature(indent: string, head: string, params: readonly string[], tail: string): Printed {
  const one = `${indent}${head}(${params.join(", ")})${tail}`;
  if (fits(one) === true || params.length === 0) return { lines: [one], exact: fits(one) !== undefined || params.length === 0 };
  const lines = [`${indent}${head}(`, ...params.map((p) => `${indent}  ${p},`), `${indent})${tail}`];
  return { lines, exact: lines.every((l) => fits(l) === true) };
}

/** `prefix callee(args)suffix` — a call; arguments one a line when too long. */
export function layoutCall(indent: string, prefix: string, callee: string, args: readonly string[], suffix: string): Printed {
  const one = `${indent}${prefix}${callee}(${args.join(", ")})${suffix}`;
  if (fits(one) === true) return { lines: [one], exact: true };
  const lines = [`${indent}${prefix}${callee}(`, ...args.map((a) => `${indent}  ${a},`), `${indent})${suffix}`];
  return { lines, exact: lines.every((l) => fits(l) === true) };
}

/** `key: (params) => callee(args),` in an object literal: the body moves to its own line when too long. */
export function layoutArrowProperty(indent: string, key: string, params: string, callee: string, args: readonly string[]): Printed {
  const one = `${indent}${key}: ${params} => ${callee}(${args.join(", ")}),`;
  if (fits(one) === true) return { lines: [one], exact: true };
  const body = layoutCall(`${indent}  `, "", callee, args, ",");
  return { lines: [`${indent}${key}: ${params} =>`, ...body.lines], exact: body.exact && fits(`${indent}${key}: ${params} =>`) === true };
}

/** `key: value,` in an object literal: the value moves to its own line when too long. */
export function layoutPropertyValue(indent: string, key: string, value: string): Printed {
  if (fitsJoined([indent, key, ": ", value, ","]) === true) return { lines: [`${indent}${key}: ${value},`], exact: true };
  const next = `${indent}  ${value},`;
  return { lines: [`${indent}${key}:`, next], exact: BREAKS_AFTER_KEY.test(value) || fits(next) === true };
}

/**
 * Values prettier puts after `key:` on the next line when they do not fit, however long they are
 * there (its "break-after-operator" layout): string literals and member chains (`a.b`). The
 * two-line layout above is then exact even past the width.
 */
const BREAKS_AFTER_KEY = /^(?:["']|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$)/;
