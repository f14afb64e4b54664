import { parseCidr, parseIP, parseRequestURI, isMac } from "../cel/net.js";
import { parseQuantity } from "../cel/quantity.js";

/**
 * The string formats the API server validates in CRD schemas (apiextensions-apiserver's supported
 * formats in 1.37, names compared without `-` as go-openapi does), each as the check kube-openapi's
 * strfmt makes, and the named Kubernetes validations of the CEL `format` library. Any other format
 * is not checked by the server either.
 */

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const label1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedPart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const uuidOf = (v: string): RegExp => new RegExp(`^[0-9a-f]{8}-?[0-9a-f]{4}-?${v}[0-9a-f]{3}-?${v === "[0-9a-f]" ? "[0-9a-f]" : "[89ab]"}[0-9a-f]{3}-?[0-9a-f]{12}$`, "i");
const UUID = uuidOf("[0-9a-f]");
const hostnamePart = /^[\p{L}\p{S}a-zA-Z0-9]([\p{L}\p{S}a-zA-Z0-9-]{0,61}[\p{L}\p{S}a-zA-Z0-9])?$/u;

/** Go's time.ParseDuration: `1h30m`, `-1.5s`, `300ms` (units ns us µs ms s m h). */
export function isGoDuration(s: string): boolean {
  return s === "0" || /^[-+]?((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(s);
}

function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function isDateTime(s: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (m === null || !isDate(m[1] ?? "")) return false;
  return Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? 0) < 60;
}

function isbn10(s: string): boolean {
  const d = s.replace(/[\s-]/g, "");
  if (!/^\d{9}[\dX]$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (10 - i) * (d[i] === "X" ? 10 : Number(d[i]));
  return sum % 11 === 0;
}
function isbn13(s: string): boolean {
  const d = s.replace(/[\s-]/g, "");
  if (!/^\d{13}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(d[i]) * (i % 2 === 0 ? 1 : 3);
  return sum % 10 === 0;
}
function creditCard(s: string): boolean {
  const d = s.replace(/\D/g, "");
  if (!/^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
    sum += n;
  }
  return sum % 10 === 0;
}
const byte = (c: string): boolean => c === "" || /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(c);
const rgb = "\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*";

/** Checks by normalized format name (`-` removed). */
const CHECKS: Record<string, (s: string) => boolean> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: (s) => parseRequestURI(s) !== undefined,
  email: (s) => /^(?:[^<>@\s]+ )*<?[^\s@<>()]+@[^\s@<>()]+>?$/.test(s),
  hostname: (s) => s.length <= 255 && s.split(".").every((p, i, all) => (i === all.length - 1 && all.length > 1 ? /^[\p{L}a-zA-Z]{2,63}$/u.test(p) || hostnamePart.test(p) : hostnamePart.test(p))),
  ipv4: (s) => parseIP(s) !== undefined && s.includes("."),
  ipv6: (s) => parseIP(s) !== undefined && s.includes(":"),
  cidr: (s) => parseCidr(s) !== undefined,
  mac: isMac,
  uuid: (s) => UUID.test(s),
  uuid3: (s) => uuidOf("3").test(s),
  uuid4: (s) => uuidOf("4").test(s),
  uuid5: (s) => uuidOf("5").test(s),
  isbn: (s) => isbn10(s) || isbn13(s),
  isbn10,
  isbn13,
  creditcard: creditCard,
  ssn: (s) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
  hexcolor: (s) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(s),
  rgbcolor: (s) => new RegExp(`^rgb\\(${rgb},${rgb},${rgb}\\)$`).test(s),
  byte,
  password: () => true,
  date: isDate,
  duration: (s) => isGoDuration(s) || /^\s*(\d+\s*(ns|us|µs|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)\s*)+$/.test(s),
  datetime: isDateTime,
  quantity: (s) => parseQuantity(s) !== undefined,
  k8sshortname: (s) => s.length <= 63 && label.test(s),
  k8slongname: (s) => s.length <= 253 && s.split(".").every((p) => label.test(p)),
};

/** The normalized names of the string formats the server validates. */
export const SERVER_FORMATS: ReadonlySet<string> = new Set(Object.keys(CHECKS));

/** True when `value` is valid for the format (a format the server does not validate always is). */
export function checkFormat(format: string, value: string): boolean {
  const check = CHECKS[format.replace(/-/g, "")];
  return check === undefined || check(value);
}

const dnsLabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const dns1035Message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const tooLong = (n: number): string => `must be no more than ${n} characters`;

function dnsLabel(s: string): string[] {
  const out: string[] = [];
  if (s.length > 63) out.push(tooLong(63));
  if (!label.test(s)) out.push(dnsLabelMessage);
  return out;
}
function subdomain(s: string): string[] {
  const out: string[] = [];
  if (s.length > 253) out.push(tooLong(253));
  if (!s.split(".").every((p) => label.test(p))) out.push(subdomainMessage);
  return out;
}
function dns1035(s: string): string[] {
  const out: string[] = [];
  if (s.length > 63) out.push(tooLong(63));
  if (!label1035.test(s)) out.push(dns1035Message);
  return out;
}
function qualifiedName(s: string): string[] {
  const parts = s.split("/");
  const name = parts.length === 2 ? (parts[1] ?? "") : (parts[0] ?? "");
  const out: string[] = [];
  if (parts.length > 2) return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  if (parts.length === 2) {
    if (parts[0] === "") out.push("prefix part must be non-empty");
    else out.push(...subdomain(parts[0] ?? "").map((m) => `prefix part ${m}`));
  }
  if (name === "") out.push("name part must be non-empty");
  else if (name.length > 63) out.push(`name part ${tooLong(63)}`);
  if (name !== "" && !qualifiedPart.test(name)) out.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  return out;
}
function labelValue(s: string): string[] {
  const out: string[] = [];
  if (s.length > 63) out.push(tooLong(63));
  if (s !== "" && !qualifiedPart.test(s)) out.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  return out;
}
const prefixed = (f: (s: string) => string[]) => (s: string) => f(s.endsWith("-") ? `${s.slice(0, -1)}a` : s);
const single = (ok: (s: string) => boolean, message: string) => (s: string) => (ok(s) ? [] : [message]);

/** The CEL `format` library's named validations: the problems found, empty when valid. */
export const NAMED_FORMATS: Readonly<Record<string, (s: string) => string[]>> = {
  dns1123Label: dnsLabel,
  dns1123Subdomain: subdomain,
  dns1035Label: dns1035,
  qualifiedName,
  dns1123LabelPrefix: prefixed(dnsLabel),
  dns1123SubdomainPrefix: prefixed(subdomain),
  dns1035LabelPrefix: prefixed(dns1035),
  labelValue,
  uri: (s) => (parseRequestURI(s) === undefined ? [`parse ${JSON.stringify(s)}: invalid URI for request`] : []),
  uuid: single((s) => UUID.test(s), "does not match the UUID format"),
  byte: single(byte, "invalid base64"),
  date: single(isDate, "invalid date"),
  datetime: single(isDateTime, "invalid datetime"),
};

/** Object names as the API server checks them for custom resources (DNS subdomain). */
export const objectNameProblems = (name: string): string[] => subdomain(name);
