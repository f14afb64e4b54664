/**
 * Naming: every TypeScript name the generator emits is made here, and only here. Deterministic:
 * the same input always gives the same names.
 */

/** ECMAScript reserved words and TypeScript's contextual keywords that cannot name a type. */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "implements interface let package private protected public static yield any boolean number string symbol " +
    "bigint object never unknown undefined type of as async await declare keyof module namespace readonly require " +
    "infer is satisfies unique global asserts accessor abstract constructor get set out override"
  ).split(" "),
);

/**
 * Global names a generated module must not shadow (TypeScript's lib and the names our generated
 * files import from the runtime), compared exactly.
 */
const TAKEN_GLOBALS = new Set(
  (
    "Array ArrayBuffer Awaited BigInt Boolean DataView Date Error EvalError Exclude Extract Function InstanceType " +
    "Iterable Iterator JSON Lowercase Map Math NonNullable Number Object Omit Parameters Partial Pick Promise " +
    "PromiseLike Proxy RangeError ReadonlyArray Readonly Record ReferenceError Reflect RegExp Required ReturnType " +
    "Set String Symbol SyntaxError ThisType TypeError URIError URL Uint8Array Uppercase WeakMap WeakSet AbortSignal " +
    "Capitalize Uncapitalize NoInfer globalThis " +
    // imported from @kube-codegen/runtime by generated files
    "ObjectMeta ListMeta IntOrString EmbeddedResource ResourceDescriptor RestClient ResourceClientFor ClientConfig " +
    "ClientOptions Clientset InformerFactory InformerFor ListerFor ListerForKind SharedInformerFactory " +
    "InformerFactoryOptions"
  ).split(" "),
);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Whether `name` can be used as is for an exported type. */
export function isSafeTypeName(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED.has(name) && !TAKEN_GLOBALS.has(name);
}

/** `dnsNames` → `DnsNames`, `x-forwarded-for` → `XForwardedFor`, `__proto__` → `Proto`. */
export function pascalCase(raw: string): string {
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(raw)) return raw.charAt(0).toUpperCase() + raw.slice(1);
  // Latin letters with diacritics keep their base letter: ünïcode → Unicode.
  const parts = raw.normalize("NFKD").replace(/\p{M}/gu, "").split(/[^\p{L}\p{N}]+/u).filter((p) => p !== "");
  return parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("").replace(/[^A-Za-z0-9_$]/g, "");
}

/** `ClusterIssuer` → `cluster-issuer`, `HTTPRoute` → `http-route`. */
export function kebabCase(raw: string): string {
  return raw
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
}

/** The TypeScript name for a kind: the kind itself unless it is unsafe (`Record` → `RecordResource`). */
export function kindTypeName(kind: string): string {
  if (isSafeTypeName(kind)) return kind;
  let base = pascalCase(kind);
  if (base === "" || /^[0-9]/.test(base)) base = `Kind${base}`;
  return isSafeTypeName(base) ? base : `${base}Resource`;
}

/**
 * Hands out unique names within one module. The first to ask for a name gets it; later askers get
 * `Name2`, `Name3`, ... — callers ask in a deterministic order.
 */
export class NameRegistry {
  readonly #taken = new Set<string>();

  /** Claims `base` (made safe first), or the first free numbered variant of it. */
  claim(base: string): string {
    let safe = base;
    if (!isSafeTypeName(safe)) safe = /^[A-Za-z_$]/.test(safe) ? `${safe}Type` : `T${safe}`;
    if (!this.#taken.has(safe)) {
      this.#taken.add(safe);
      return safe;
    }
    for (let n = 2; ; n++) {
      const candidate = `${safe}${n}`;
      if (!this.#taken.has(candidate)) {
        this.#taken.add(candidate);
        return candidate;
      }
    }
  }
}

/** Hands out unique file names within one folder, compared case-insensitively. */
export class FileNameRegistry {
  readonly #taken = new Set<string>(["index", "types", "validate", "client", "informers"]);

  claim(base: string): string {
    const b = base === "" ? "kind" : base;
    let candidate = b;
    for (let n = 2; this.#taken.has(candidate.toLowerCase()); n++) candidate = `${b}-${n}`;
    this.#taken.add(candidate.toLowerCase());
    return candidate;
  }
}

/**
 * The accessor of a resource in its group version, client-gen style: the kind's spelling with the
 * plural's ending. `ClusterIssuer`/`clusterissuers` → `clusterIssuers`, `Policy`/`policies` →
 * `policies`.
 */
export function resourceAccessor(kind: string, plural: string): string {
  const lowerKind = kind.toLowerCase();
  let common = 0;
  while (common < lowerKind.length && common < plural.length && lowerKind[common] === plural[common]) common++;
  const raw = kind.slice(0, common) + plural.slice(common);
  let name = raw.charAt(0).toLowerCase() + raw.slice(1);
  name = name.replace(/[^A-Za-z0-9_$]+(.)?/g, (_m, c: string | undefined) => (c === undefined ? "" : c.toUpperCase()));
  if (!IDENTIFIER.test(name)) name = `r${name}`;
  return name;
}

/** `v1alpha1` → `V1alpha1`. */
export function versionSuffix(version: string): string {
  const v = version.replace(/[^A-Za-z0-9]/g, "");
  return v.charAt(0).toUpperCase() + v.slice(1);
}

/**
 * Clientset accessor bases for a set of groups: the first label of each group (`cert-manager.io` →
 * `certmanager`); groups whose bases would be equal use more labels (`monitoringCoreos`,
 * `monitoringGoogleapis`). Aliases given by the user win. The result does not depend on the order
 * of `groups`.
 */
export function groupAccessorBases(groups: readonly string[], aliases: ReadonlyMap<string, string>): Map<string, string> {
  const labels = new Map(groups.map((g) => [g, g.split(".")] as const));
  const depth = new Map<string, number>(groups.map((g) => [g, 1]));
  const base = (g: string): string => {
    const parts = (labels.get(g) ?? [g]).slice(0, depth.get(g) ?? 1);
    const words = parts.map((p) => p.toLowerCase().replace(/[^a-z0-9]/g, ""));
    const joined = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
    return /^[a-z]/.test(joined) ? joined : `g${joined}`;
  };
  for (;;) {
    const byBase = new Map<string, string[]>();
    for (const g of groups) {
      if (aliases.has(g)) continue;
      const b = base(g);
      byBase.set(b, [...(byBase.get(b) ?? []), g]);
    }
    let changed = false;
    for (const clash of byBase.values()) {
      if (clash.length < 2) continue;
      for (const g of clash) {
        if ((depth.get(g) ?? 1) < (labels.get(g)?.length ?? 1)) {
          depth.set(g, (depth.get(g) ?? 1) + 1);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return new Map(groups.map((g) => [g, aliases.get(g) ?? base(g)]));
}
