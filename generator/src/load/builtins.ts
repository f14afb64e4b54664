import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The clientset accessors of a package of built-in clients (`@kube-codegen/api`), read from the
 * `Clientset` interface of its type declarations as resolved from `fromDir` (where the generated
 * code will import it): accessor → `<package> (built-in)`. Undefined, with the reason, when the
 * package is not installed there yet.
 */
export function builtinAccessors(pkg: string, fromDir: string): { accessors: Map<string, string> } | { missing: string } {
  const manifest = packageJsonOf(pkg, fromDir);
  if (manifest === undefined) {
    return { missing: `${pkg} is not installed where the output is (${fromDir}): clashes between its accessors and the CRDs' are left to the type checker` };
  }
  const types = join(dirname(manifest), readTypesEntry(manifest));
  if (!existsSync(types)) return { missing: `${pkg} has no type declarations at ${types} (not built?): clashes between its accessors and the CRDs' are left to the type checker` };
  const text = readFileSync(types, "utf8");
  const body = /export (?:declare )?interface Clientset \{([\s\S]*?)\n\}/.exec(text)?.[1] ?? "";
  const accessors = new Map<string, string>();
  for (const m of body.matchAll(/^\s+readonly (\w+): \w+\.\w+;$/gm)) if (m[1] !== undefined) accessors.set(m[1], `${pkg} (built-in)`);
  return { accessors };
}

/** The package's package.json, found from its entry point (its exports need not list package.json). */
function packageJsonOf(pkg: string, fromDir: string): string | undefined {
  let entry: string;
  try {
    entry = createRequire(join(fromDir, "noop.js")).resolve(pkg);
  } catch {
    return undefined;
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "package.json");
    if (!existsSync(candidate)) continue;
    try {
      if ((JSON.parse(readFileSync(candidate, "utf8")) as { name?: string }).name === pkg) return candidate;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function readTypesEntry(manifest: string): string {
  try {
    const pj = JSON.parse(readFileSync(manifest, "utf8")) as { types?: string; exports?: { ".": { types?: string } } };
    return pj.exports?.["."]?.types ?? pj.types ?? "index.d.ts";
  } catch {
    return "index.d.ts";
  }
}
