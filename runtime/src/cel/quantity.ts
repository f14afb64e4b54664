/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`) as exact rationals, and semantic
 * versions, for the CEL quantity and semver libraries and the `quantity` format. Written from
 * apimachinery's documented grammar: a signed decimal number, then a binary suffix (Ki..Ei), a
 * decimal suffix (n, u, m, "", k, M, G, T, P, E) or a decimal exponent (e3, E-2).
 */

/** An exact value: numerator over a positive denominator. */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The value of a quantity string, or undefined when apimachinery's ParseQuantity refuses it. */
export function parseQuantity(s: string): Rational | undefined {
  const m = /^([+-]?)(\d+\.?\d*|\.\d+)([a-zA-Z]*|[eE][+-]?\d+)$/.exec(s);
  if (m === null) return undefined;
  const [, sign = "", number = "", suffix = ""] = m;
  const [whole = "", frac = ""] = number.split(".");
  let n = BigInt((whole || "0") + frac) * (sign === "-" ? -1n : 1n);
  let d = 10n ** BigInt(frac.length);
  if (suffix in BINARY) n *= 2n ** BigInt(BINARY[suffix] ?? 0);
  else {
    let exp: number;
    if (suffix in DECIMAL) exp = DECIMAL[suffix] ?? 0;
    else if (/^[eE][+-]?\d+$/.test(suffix)) exp = Number(suffix.slice(1));
    else return undefined;
    if (exp >= 0) n *= 10n ** BigInt(exp);
    else d *= 10n ** BigInt(-exp);
  }
  return normalize({ n, d });
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}
const normalize = (r: Rational): Rational => {
  const g = gcd(r.n, r.d);
  return { n: r.n / g, d: r.d / g };
};

/** -1, 0 or 1. */
export const compareRational = (a: Rational, b: Rational): number => {
  const x = a.n * b.d;
  const y = b.n * a.d;
  return x < y ? -1 : x > y ? 1 : 0;
};
/** a + b. */
export const addRational = (a: Rational, b: Rational): Rational => normalize({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
/** a - b. */
export const subRational = (a: Rational, b: Rational): Rational => addRational(a, { n: -b.n, d: b.d });

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
/** True when the value is a whole number that fits an int64. */
export const isInt64 = (r: Rational): boolean => r.d === 1n && r.n <= INT64_MAX && r.n >= INT64_MIN;

/** A semantic version (semver.org 2.0.0). */
export interface Semver {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: readonly string[];
}

const NUM = "(0|[1-9]\\d*)";
const PRE = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
const SEMVER = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE}(?:\\.${PRE})*))?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?$`);

/** Strict semver; with `normalize`, a leading `v`, missing minor/patch and leading zeros are accepted as Kubernetes' library does. */
export function parseSemver(s: string, normalizeInput = false): Semver | undefined {
  let text = s;
  if (normalizeInput) {
    text = text.replace(/^v/, "");
    const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(text);
    if (m !== null) text = `${BigInt(m[1] ?? "0")}.${BigInt(m[2] ?? "0")}.${BigInt(m[3] ?? "0")}${m[4] ?? ""}`;
  }
  const m = SEMVER.exec(text);
  if (m === null) return undefined;
  return { major: BigInt(m[1] ?? "0"), minor: BigInt(m[2] ?? "0"), patch: BigInt(m[3] ?? "0"), pre: m[4] === undefined ? [] : m[4].split(".") };
}

/** Precedence as semver.org defines it (build metadata ignored). */
export function compareSemver(a: Semver, b: Semver): number {
  for (const k of ["major", "minor", "patch"] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
