import type { CelFunc, CelList, CelMap } from "@bufbuild/cel";
import { NAMED_FORMATS } from "../validate/formats.js";
import { cidrContains, formatIP, hostnameOf, masked, parseCelIP, parseCidr, parseRequestURI, portOf, type Cidr, type IpAddr, type UrlParts } from "./net.js";
import { opaque, unwrap } from "./opaque.js";
import { UNSUPPORTED } from "./unsupported.js";
import { addRational, compareRational, isInt64, parseQuantity, parseSemver, compareSemver, subRational, type Rational, type Semver } from "./quantity.js";

type Cel = typeof import("@bufbuild/cel");

/**
 * Kubernetes' CEL libraries on top of the engine (written from their documentation in
 * k8s.io/apiserver/pkg/cel/library): lists, regex, URLs, IPs and CIDRs, quantities, semver, the
 * `format` library, optional values (the functions; the `.?` syntax is not parsed by the engine), and
 * cel-go's sets and math extensions. Functions not here make a rule "not checked".
 */
export function kubernetesFunctions(cel: Cel): CelFunc[] {
  const { celFunc, celMethod, CelScalar: T, listType, mapType } = cel;
  const D = T.DYN;
  const M = mapType(D, D);
  const L = listType(D);
  const list = (v: unknown): unknown[] => Array.from(v as CelList);
  const cmp = (a: unknown, b: unknown): number => {
    if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
    if ((typeof a === "bigint" || typeof a === "number") && (typeof b === "bigint" || typeof b === "number")) return a < b ? -1 : a > b ? 1 : 0;
    throw new Error("no such overload");
  };
  // An optional holds a list: empty for none.
  const NONE = Symbol("none");
  const optional = (v: unknown) => opaque("optional", v === NONE ? [] : [v]);
  const optValue = (o: unknown): unknown => {
    const held = Array.from(unwrap<Iterable<unknown>>("optional", o));
    return held.length === 0 ? NONE : held[0];
  };
  const fail = (message: string): never => {
    throw new Error(message);
  };

  const url = (s: string): UrlParts => parseRequestURI(s) ?? fail(`URL parse error during conversion from string: ${s}`);
  const ip = (s: string): IpAddr => parseCelIP(s) ?? fail(`IP Address ${JSON.stringify(s)} parse error during conversion from string`);
  const cidr = (s: string): Cidr => parseCidr(s) ?? fail(`network address parse error during conversion from string`);
  const quantity = (s: string): Rational => parseQuantity(s) ?? fail(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const semver = (s: string, normalize = false): Semver => parseSemver(s, normalize) ?? fail(`could not parse semver: ${s}`);
  // Opaque values hold text and are parsed again where a method needs them.
  const rational = (r: Rational) => opaque("quantity", `${r.n}/${r.d}`);
  const q = (v: unknown): Rational => {
    const [n = "0", d = "1"] = unwrap<string>("quantity", v).split("/");
    return { n: BigInt(n), d: BigInt(d) };
  };
  const semverText = (v: Semver): string => `${v.major}.${v.minor}.${v.patch}${v.pre.length > 0 ? `-${v.pre.join(".")}` : ""}`;
  const sv = (v: unknown): Semver => semver(unwrap<string>("semver", v));
  const ipOf = (v: unknown): IpAddr => ip(unwrap<string>("ip", v));
  const cidrText = (c: Cidr): string => `${formatIP(c.ip)}/${c.prefix}`;
  const cidrOf = (v: unknown): Cidr => cidr(unwrap<string>("cidr", v));
  const urlOf = (v: unknown): UrlParts => url(unwrap<string>("url", v));
  const isV4Or6 = (a: IpAddr, v4: (b: Uint8Array) => boolean, v6: (b: Uint8Array) => boolean): boolean => (a.family === 4 ? v4(a.bytes) : v6(a.bytes));
  const b0 = (b: Uint8Array, i: number): number => b[i] ?? 0;

  const jsRegExp = (re: string, flags: string): RegExp => {
    try {
      return new RegExp(re, flags);
    } catch {
      return fail(`${UNSUPPORTED}find/findAll with the RE2 pattern ${JSON.stringify(re)}`);
    }
  };

  return [
    // lists
    celMethod("isSorted", L, [], T.BOOL, function () {
      const xs = list(this);
      return xs.every((x, i) => i === 0 || cmp(xs[i - 1], x) <= 0);
    }),
    celMethod("sum", L, [], D, function () {
      const xs = list(this);
      if (xs.length === 0) return 0n;
      return xs.reduce((a, b) => ((typeof a === "bigint" && typeof b === "bigint") || (typeof a === "number" && typeof b === "number") ? (a as number) + (b as number) : fail("no such overload"))) as never;
    }),
    celMethod("min", L, [], D, function () {
      const xs = list(this);
      return (xs.length === 0 ? fail("min called on empty list") : xs.reduce((a, b) => (cmp(b, a) < 0 ? b : a))) as never;
    }),
    celMethod("max", L, [], D, function () {
      const xs = list(this);
      return (xs.length === 0 ? fail("max called on empty list") : xs.reduce((a, b) => (cmp(b, a) > 0 ? b : a))) as never;
    }),
    celMethod("indexOf", L, [D], T.INT, function (x) {
      return BigInt(list(this).findIndex((y) => cel.run("a == b", { a: y as never, b: x as never }) === true));
    }),
    celMethod("lastIndexOf", L, [D], T.INT, function (x) {
      const xs = list(this);
      for (let i = xs.length - 1; i >= 0; i--) if (cel.run("a == b", { a: xs[i] as never, b: x as never }) === true) return BigInt(i);
      return -1n;
    }),
    // regex: find and findAll extract matches, which the RE2 engine here cannot; JavaScript's engine
    // does it for the patterns both read alike, and a pattern it cannot read leaves the rule not checked.
    celMethod("find", T.STRING, [T.STRING], T.STRING, function (re) {
      return jsRegExp(re, "").exec(this)?.[0] ?? "";
    }),
    celMethod("findAll", T.STRING, [T.STRING], L, function (re) {
      return Array.from(this.matchAll(jsRegExp(re, "g")), (m) => m[0]);
    }),
    celMethod("findAll", T.STRING, [T.STRING, T.INT], L, function (re, n) {
      const all = Array.from(this.matchAll(jsRegExp(re, "g")), (m) => m[0]);
      return n < 0n ? all : all.slice(0, Number(n));
    }),
    // URLs
    celFunc("url", [T.STRING], M, (s) => {
      url(s); // refuses what Go refuses
      return opaque("url", s);
    }),
    celFunc("isURL", [T.STRING], T.BOOL, (s) => parseRequestURI(s) !== undefined),
    celMethod("getScheme", M, [], T.STRING, function () {
      return urlOf(this).scheme;
    }),
    celMethod("getHost", M, [], T.STRING, function () {
      return urlOf(this).host;
    }),
    celMethod("getHostname", M, [], T.STRING, function () {
      return hostnameOf(urlOf(this).host);
    }),
    celMethod("getPort", M, [], T.STRING, function () {
      return portOf(urlOf(this).host);
    }),
    celMethod("getEscapedPath", M, [], T.STRING, function () {
      return urlOf(this).path;
    }),
    celMethod("getQuery", M, [], M, function () {
      const out = new Map<string, string[]>();
      for (const [k, v] of new URLSearchParams(urlOf(this).rawQuery)) out.set(k, [...(out.get(k) ?? []), v]);
      return out;
    }),
    // IPs and CIDRs
    celFunc("ip", [T.STRING], M, (s) => opaque("ip", formatIP(ip(s)))),
    celFunc("isIP", [T.STRING], T.BOOL, (s) => parseCelIP(s) !== undefined),
    celFunc("ip.isCanonical", [T.STRING], T.BOOL, (s) => formatIP(ip(s)) === s),
    celMethod("family", M, [], T.INT, function () {
      return BigInt(ipOf(this).family);
    }),
    celMethod("isUnspecified", M, [], T.BOOL, function () {
      return ipOf(this).bytes.every((b) => b === 0);
    }),
    celMethod("isLoopback", M, [], T.BOOL, function () {
      return isV4Or6(ipOf(this), (b) => b0(b, 0) === 127, (b) => b.slice(0, 15).every((x) => x === 0) && b0(b, 15) === 1);
    }),
    celMethod("isLinkLocalMulticast", M, [], T.BOOL, function () {
      return isV4Or6(ipOf(this), (b) => b0(b, 0) === 224 && b0(b, 1) === 0 && b0(b, 2) === 0, (b) => b0(b, 0) === 0xff && (b0(b, 1) & 0x0f) === 2);
    }),
    celMethod("isLinkLocalUnicast", M, [], T.BOOL, function () {
      return isV4Or6(ipOf(this), (b) => b0(b, 0) === 169 && b0(b, 1) === 254, (b) => b0(b, 0) === 0xfe && (b0(b, 1) & 0xc0) === 0x80);
    }),
    celMethod("isGlobalUnicast", M, [], T.BOOL, function () {
      return isV4Or6(
        ipOf(this),
        (b) => !(b.every((x) => x === 255) || b.every((x) => x === 0) || b0(b, 0) === 127 || b0(b, 0) >= 224 || (b0(b, 0) === 169 && b0(b, 1) === 254)),
        (b) => !(b.every((x) => x === 0) || (b.slice(0, 15).every((x) => x === 0) && b0(b, 15) === 1) || b0(b, 0) === 0xff || (b0(b, 0) === 0xfe && (b0(b, 1) & 0xc0) === 0x80)),
      );
    }),
    celFunc("cidr", [T.STRING], M, (s) => opaque("cidr", cidrText(cidr(s)))),
    celFunc("isCIDR", [T.STRING], T.BOOL, (s) => parseCidr(s) !== undefined),
    celMethod("containsIP", M, [D], T.BOOL, function (x) {
      return cidrContains(cidrOf(this), typeof x === "string" ? ip(x) : ipOf(x));
    }),
    celMethod("containsCIDR", M, [D], T.BOOL, function (x) {
      const outer = cidrOf(this);
      const inner = typeof x === "string" ? cidr(x) : cidrOf(x);
      return inner.prefix >= outer.prefix && cidrContains(outer, inner.ip);
    }),
    celMethod("ip", M, [], M, function () {
      return opaque("ip", formatIP(cidrOf(this).ip));
    }),
    celMethod("masked", M, [], M, function () {
      const c = cidrOf(this);
      return opaque("cidr", cidrText({ ip: masked(c), prefix: c.prefix }));
    }),
    celMethod("prefixLength", M, [], T.INT, function () {
      return BigInt(cidrOf(this).prefix);
    }),
    // quantities
    celFunc("quantity", [T.STRING], M, (s) => rational(quantity(s))),
    celFunc("isQuantity", [T.STRING], T.BOOL, (s) => parseQuantity(s) !== undefined),
    celMethod("sign", M, [], T.INT, function () {
      return BigInt(compareRational(q(this), { n: 0n, d: 1n }));
    }),
    celMethod("isInteger", M, [], T.BOOL, function () {
      return isInt64(q(this));
    }),
    celMethod("asInteger", M, [], T.INT, function () {
      const r = q(this);
      return isInt64(r) ? r.n : fail("cannot convert value to integer");
    }),
    celMethod("asApproximateFloat", M, [], T.DOUBLE, function () {
      const r = q(this);
      return Number(r.n) / Number(r.d);
    }),
    celMethod("add", M, [D], M, function (x) {
      return rational(addRational(q(this), typeof x === "bigint" ? { n: x, d: 1n } : q(x)));
    }),
    celMethod("sub", M, [D], M, function (x) {
      return rational(subRational(q(this), typeof x === "bigint" ? { n: x, d: 1n } : q(x)));
    }),
    // quantities and semver share compareTo / isGreaterThan / isLessThan
    celMethod("compareTo", M, [M], T.INT, function (x) {
      return BigInt(compare(this, x));
    }),
    celMethod("isGreaterThan", M, [M], T.BOOL, function (x) {
      return compare(this, x) > 0;
    }),
    celMethod("isLessThan", M, [M], T.BOOL, function (x) {
      return compare(this, x) < 0;
    }),
    celFunc("semver", [T.STRING], M, (s) => opaque("semver", semverText(semver(s)))),
    celFunc("semver", [T.STRING, T.BOOL], M, (s, n) => opaque("semver", semverText(semver(s, n)))),
    celFunc("isSemver", [T.STRING], T.BOOL, (s) => parseSemver(s) !== undefined),
    celFunc("isSemver", [T.STRING, T.BOOL], T.BOOL, (s, n) => parseSemver(s, n) !== undefined),
    celMethod("major", M, [], T.INT, function () {
      return sv(this).major;
    }),
    celMethod("minor", M, [], T.INT, function () {
      return sv(this).minor;
    }),
    celMethod("patch", M, [], T.INT, function () {
      return sv(this).patch;
    }),
    // format
    ...Object.keys(NAMED_FORMATS).map((name) => celFunc(`format.${name}`, [], M, () => opaque("format", name))),
    celFunc("format.named", [T.STRING], M, (name) => optional(name in NAMED_FORMATS ? opaque("format", name) : NONE)),
    celMethod("validate", M, [T.STRING], M, function (s) {
      const problems = NAMED_FORMATS[unwrap<string>("format", this)]?.(s) ?? [];
      return optional(problems.length === 0 ? NONE : problems);
    }),
    // optional values
    celFunc("optional.of", [D], M, (v) => optional(v)),
    celFunc("optional.none", [], M, () => optional(NONE)),
    celFunc("optional.ofNonZeroValue", [D], M, (v) => optional(isZero(v) ? NONE : v)),
    celMethod("hasValue", M, [], T.BOOL, function () {
      return optValue(this) !== NONE;
    }),
    celMethod("value", M, [], D, function () {
      const v = optValue(this);
      return v === NONE ? fail("optional.none() dereference") : (v as never);
    }),
    celMethod("orValue", M, [D], D, function (d) {
      const v = optValue(this);
      return (v === NONE ? d : v) as never;
    }),
    celMethod("or", M, [M], M, function (o) {
      return optValue(this) === NONE ? o : this;
    }),
    // sets
    celFunc("sets.contains", [L, L], T.BOOL, (a, b) => list(b).every((x) => list(a).some((y) => cel.run("a == b", { a: y as never, b: x as never }) === true))),
    celFunc("sets.intersects", [L, L], T.BOOL, (a, b) => list(b).some((x) => list(a).some((y) => cel.run("a == b", { a: y as never, b: x as never }) === true))),
    celFunc("sets.equivalent", [L, L], T.BOOL, (a, b) => {
      const has = (xs: unknown[], x: unknown) => xs.some((y) => cel.run("a == b", { a: y as never, b: x as never }) === true);
      return list(b).every((x) => has(list(a), x)) && list(a).every((x) => has(list(b), x));
    }),
    // math
    celFunc("math.greatest", [L], D, (xs) => list(xs).reduce((a, b) => (cmp(b, a) > 0 ? b : a)) as never),
    celFunc("math.least", [L], D, (xs) => list(xs).reduce((a, b) => (cmp(b, a) < 0 ? b : a)) as never),
    ...[1, 2, 3, 4].flatMap((n) => [
      celFunc("math.greatest", new Array(n).fill(D), D, (...xs: unknown[]) => xs.reduce((a, b) => (cmp(b, a) > 0 ? b : a)) as never),
      celFunc("math.least", new Array(n).fill(D), D, (...xs: unknown[]) => xs.reduce((a, b) => (cmp(b, a) < 0 ? b : a)) as never),
    ]),
    celFunc("math.ceil", [T.DOUBLE], T.DOUBLE, Math.ceil),
    celFunc("math.floor", [T.DOUBLE], T.DOUBLE, Math.floor),
    celFunc("math.round", [T.DOUBLE], T.DOUBLE, (x) => Math.sign(x) * Math.round(Math.abs(x))),
    celFunc("math.trunc", [T.DOUBLE], T.DOUBLE, Math.trunc),
    celFunc("math.sqrt", [D], T.DOUBLE, (x) => Math.sqrt(Number(x))),
    celFunc("math.abs", [T.INT], T.INT, (x) => (x < 0n ? -x : x)),
    celFunc("math.abs", [T.DOUBLE], T.DOUBLE, Math.abs),
    celFunc("math.sign", [T.INT], T.INT, (x) => (x < 0n ? -1n : x > 0n ? 1n : 0n)),
    celFunc("math.sign", [T.DOUBLE], T.DOUBLE, Math.sign),
    celFunc("math.isNaN", [T.DOUBLE], T.BOOL, Number.isNaN),
    celFunc("math.isInf", [T.DOUBLE], T.BOOL, (x) => x === Infinity || x === -Infinity),
    celFunc("math.isFinite", [T.DOUBLE], T.BOOL, Number.isFinite),
    celFunc("math.bitAnd", [T.INT, T.INT], T.INT, (a, b) => a & b),
    celFunc("math.bitOr", [T.INT, T.INT], T.INT, (a, b) => a | b),
    celFunc("math.bitXor", [T.INT, T.INT], T.INT, (a, b) => a ^ b),
    celFunc("math.bitNot", [T.INT], T.INT, (a) => ~a),
    celFunc("math.bitShiftLeft", [T.INT, T.INT], T.INT, (a, n) => BigInt.asIntN(64, a << n)),
    celFunc("math.bitShiftRight", [T.INT, T.INT], T.INT, (a, n) => BigInt.asIntN(64, BigInt.asUintN(64, a) >> n)),
  ].filter((f): f is CelFunc => f !== undefined);

  function compare(a: unknown, b: unknown): number {
    const m = a as CelMap;
    if (typeof m?.has === "function" && m.has("\u0000k8s.quantity")) return compareRational(q(a), q(b));
    return compareSemver(sv(a), sv(b));
  }
  function isZero(v: unknown): boolean {
    if (v === null || v === false || v === "" || v === 0n || v === 0) return true;
    const sized = v as { size?: number };
    return typeof sized === "object" && sized !== null && sized.size === 0;
  }
}
