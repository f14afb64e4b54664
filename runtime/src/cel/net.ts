/**
 * Parsing for Kubernetes' CEL URL, IP and CIDR libraries and the `ipv4`, `ipv6`, `cidr`, `uri`,
 * `mac` formats, written from their documented Go behaviour: `net/url.ParseRequestURI` for URLs,
 * `netip.ParseAddr` / `netip.ParsePrefix` for IPs and CIDRs (no zones, no leading zeros; the CEL
 * library also refuses IPv4-mapped IPv6 addresses).
 */

/** An IP address: 4 or 16 bytes. */
export interface IpAddr {
  readonly bytes: Uint8Array;
  readonly family: 4 | 6;
}

/** Dotted decimal, four parts 0-255, no leading zeros (Go's netip). */
export function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? "";
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

/** RFC 4291 text form, `::` once at most, an IPv4 tail allowed; no zone. */
export function parseIPv6(s: string): Uint8Array | undefined {
  if (s.includes("%")) return undefined;
  let tail: Uint8Array | undefined;
  let text = s;
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    tail = parseIPv4(s.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    text = s.slice(0, lastColon + 1) + "0:0";
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const group = (h: string): number[] | undefined => {
    if (h === "") return [];
    const out: number[] = [];
    for (const g of h.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = group(halves[0] ?? "");
  const rest = halves.length === 2 ? group(halves[1] ?? "") : [];
  if (head === undefined || rest === undefined) return undefined;
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const words = [...head, ...new Array<number>(8 - total).fill(0), ...rest];
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  if (tail !== undefined) out.set(tail, 12);
  return out;
}

/** An IPv4 or IPv6 address as netip parses it. */
export function parseIP(s: string): IpAddr | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { bytes: v4, family: 4 };
  const v6 = parseIPv6(s);
  return v6 === undefined ? undefined : { bytes: v6, family: 6 };
}

/** The CEL library's `ip()`: as netip, without IPv4-mapped IPv6 addresses. */
export function parseCelIP(s: string): IpAddr | undefined {
  const ip = parseIP(s);
  if (ip === undefined || (ip.family === 6 && isMapped(ip.bytes))) return undefined;
  return ip;
}

const isMapped = (b: Uint8Array): boolean => b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;

/** A CIDR: address and prefix length. */
export interface Cidr {
  readonly ip: IpAddr;
  readonly prefix: number;
}

/** `addr/bits` as netip.ParsePrefix reads it (bits in decimal, no leading zeros). */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (ip === undefined || !/^(0|[1-9]\d{0,2})$/.test(bits)) return undefined;
  const prefix = Number(bits);
  if (prefix > ip.bytes.length * 8) return undefined;
  return { ip, prefix };
}

/** The address with the bits past the prefix cleared. */
export function masked(c: Cidr): IpAddr {
  const bytes = new Uint8Array(c.ip.bytes);
  for (let bit = c.prefix; bit < bytes.length * 8; bit++) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) & ~(0x80 >> (bit & 7));
  return { bytes, family: c.ip.family };
}

/** True when `ip` is inside the CIDR. */
export function cidrContains(c: Cidr, ip: IpAddr): boolean {
  if (ip.family !== c.ip.family) return false;
  const a = masked(c).bytes;
  const b = masked({ ip, prefix: c.prefix }).bytes;
  return a.every((x, i) => x === b[i]);
}

/** The canonical text of an address (RFC 5952 for IPv6). */
export function formatIP(ip: IpAddr): string {
  if (ip.family === 4) return Array.from(ip.bytes).join(".");
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

/** Parts of a URL as Go's net/url.ParseRequestURI splits it, or undefined when it refuses it. */
export interface UrlParts {
  readonly scheme: string;
  readonly host: string;
  readonly path: string;
  readonly rawQuery: string;
}

/** net/url.ParseRequestURI: an absolute URL or an absolute path; no fragment splitting. */
export function parseRequestURI(s: string): UrlParts | undefined {
  if (s === "" || /[\u0000-\u001f\u007f ]/.test(s) || /%(?![0-9a-fA-F]{2})/.test(s)) return undefined;
  let rest = s;
  let rawQuery = "";
  const q = rest.indexOf("?");
  if (q >= 0) [rest, rawQuery] = [rest.slice(0, q), rest.slice(q + 1)];
  if (rest.startsWith("/")) {
    if (rest.startsWith("//")) return undefined;
    return { scheme: "", host: "", path: rest, rawQuery };
  }
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s.exec(rest);
  if (m === null) return undefined;
  const scheme = m[1] ?? "";
  const after = m[2] ?? "";
  if (!after.startsWith("//")) {
    // An opaque URL (mailto:x) or a scheme with an absolute path.
    return { scheme, host: "", path: after.startsWith("/") ? after : "", rawQuery };
  }
  const slash = after.indexOf("/", 2);
  const authority = slash < 0 ? after.slice(2) : after.slice(2, slash);
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  if (!validHost(host)) return undefined;
  return { scheme, host, path: slash < 0 ? "" : after.slice(slash), rawQuery };
}

function validHost(host: string): boolean {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    if (end < 0) return false;
    const port = host.slice(end + 1);
    return parseIPv6(host.slice(1, end).replace(/%25.*$/, "")) !== undefined && (port === "" || /^:\d*$/.test(port));
  }
  const colon = host.lastIndexOf(":");
  if (colon >= 0 && !/^\d*$/.test(host.slice(colon + 1))) return false;
  // Go lets through unreserved characters, sub-delims, `<>"`, escapes and non-ASCII; not the rest.
  return /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:<>"\u0080-\uffff]|%[0-9a-fA-F]{2})*$/.test(host);
}

/** The host without port and IPv6 brackets. */
export function hostnameOf(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]"));
  const colon = host.lastIndexOf(":");
  return colon >= 0 ? host.slice(0, colon) : host;
}

/** The port of a host, or "". */
export function portOf(host: string): string {
  const end = host.startsWith("[") ? host.indexOf("]") + 1 : 0;
  const colon = host.indexOf(":", end);
  return colon >= 0 && (end === 0 ? host.lastIndexOf(":") === colon : true) ? host.slice(colon + 1) : "";
}

/** Go's net.ParseMAC: 6, 8 or 20 octets in colon, hyphen or dotted form. */
export function isMac(s: string): boolean {
  const sep = /^([0-9a-fA-F]{2}([:-]))(?:[0-9a-fA-F]{2}\2)*[0-9a-fA-F]{2}$/.exec(s);
  if (sep !== null) return [6, 8, 20].includes(s.split(sep[2] ?? ":").length);
  if (/^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4})+$/.test(s)) return [3, 4, 10].includes(s.split(".").length);
  return false;
}
