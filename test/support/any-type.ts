/**
 * Whether TypeScript source uses the `any` type: comments and string literals are ignored, and so
 * are property keys named `any` (kyverno has `any?: ...[]`).
 */
export function usesAnyType(code: string): boolean {
  const stripped = code
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
  return /\bany\b(?!\??:)/.test(stripped);
}
