/**
 * Values of the Kubernetes CEL types the engine has no type for (URL, IP, CIDR, Quantity, Semver,
 * Format, optional): a one-entry map whose key no JSON object can produce, holding the value's text
 * (or, for an optional, a list of none or one value), so methods can find what they are called on.
 * A rule cannot reach the key (it starts with a NUL character).
 */
/** A value of a Kubernetes CEL type, as the engine sees it (a map it cannot look into). */
export type Opaque = ReadonlyMap<string, never>;
/** The Kubernetes CEL types kept as opaque values. */
export type OpaqueKind = "url" | "ip" | "cidr" | "quantity" | "semver" | "format" | "optional";

const keyOf = (kind: OpaqueKind): string => `\u0000k8s.${kind}`;

/** Wraps a parsed value as a CEL value of the given Kubernetes type. */
export function opaque(kind: OpaqueKind, value: unknown): Opaque {
  return new Map([[keyOf(kind), value as never]]);
}

/** The parsed value inside, or an error naming the type that was expected. */
export function unwrap<V>(kind: OpaqueKind, value: unknown): V {
  if (value instanceof Map && value.size === 1 && value.has(keyOf(kind))) return value.get(keyOf(kind)) as V;
  // The engine hands maps over as its own ReadonlyMap; read it the same way.
  const m = value as { get?: (k: string) => unknown; has?: (k: string) => boolean; size?: number } | null;
  if (m !== null && typeof m === "object" && typeof m.has === "function" && m.size === 1 && m.has(keyOf(kind))) return m.get?.(keyOf(kind)) as V;
  throw new Error(`no such overload: expected ${kind}`);
}
