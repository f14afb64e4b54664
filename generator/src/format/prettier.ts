import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The files prettier reads its configuration from (and .editorconfig, which it also honours). */
const CONFIG_FILES = [
  ".prettierrc", ".prettierrc.json", ".prettierrc.yaml", ".prettierrc.yml", ".prettierrc.json5", ".prettierrc.js",
  ".prettierrc.mjs", ".prettierrc.cjs", ".prettierrc.ts", ".prettierrc.mts", ".prettierrc.cts", ".prettierrc.toml",
  "prettier.config.js", "prettier.config.mjs", "prettier.config.cjs", "prettier.config.ts", "prettier.config.mts",
  "prettier.config.cts", ".editorconfig",
];

/**
 * Whether prettier would find a configuration for files in `dir`: a config file or a `prettier`
 * key in a package.json in it or a parent. Cheap, so that prettier itself is loaded only when needed.
 */
export function hasPrettierConfig(dir: string): boolean {
  let d = resolve(dir);
  for (;;) {
    if (CONFIG_FILES.some((f) => existsSync(join(d, f)))) return true;
    const pkg = join(d, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { prettier?: unknown }).prettier !== undefined) return true;
      } catch {
        // not our concern: prettier would report it if it mattered
      }
    }
    const parent = dirname(d);
    if (parent === d) return false;
    d = parent;
  }
}

/** The prettier options our emitter's layout equals (prettier's defaults). */
const EMITTED_STYLE: Readonly<Record<string, unknown>> = {
  printWidth: 80,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  quoteProps: "as-needed",
  trailingComma: "all",
  bracketSpacing: true,
  objectWrap: "preserve",
  arrowParens: "always",
  endOfLine: "lf",
};

/** How files are formatted. */
export type FormatMode = "auto" | "always" | "never";

/** A generated file on its way to disk. */
export interface FormattableFile {
  readonly path: string;
  readonly text: string;
  /** The emitter's layout is known to equal prettier's default output. */
  readonly exact: boolean;
}

/** Gives one file's final text; made once per run by {@link createFormatter}. */
export type Formatter = (file: FormattableFile) => Promise<string>;

/**
 * Makes a file's text what prettier would print. In `auto` mode prettier runs only on files whose
 * layout the emitter could not guarantee, unless the user's prettier config (resolved for the
 * output directory) asks for a different style, in which case it runs on every file with that
 * config. `always` formats everything; `never` leaves the emitter's text as it is. Prettier is
 * loaded only when a file needs it. One file at a time, so that a run need not hold them all.
 */
export async function createFormatter(outDir: string, mode: FormatMode): Promise<Formatter> {
  if (mode === "never") return (f) => Promise.resolve(f.text);
  if (mode === "auto" && !hasPrettierConfig(outDir)) {
    let prettier: typeof import("prettier") | undefined;
    return async (f) => {
      if (f.exact) return f.text;
      prettier ??= await import("prettier");
      return prettier.format(f.text, { parser: "typescript", filepath: f.path });
    };
  }
  const prettier = await import("prettier");
  const userConfig = (await prettier.resolveConfig(join(outDir, "index.ts"), { editorconfig: true })) ?? {};
  const differs = Object.entries(userConfig).some(([k, v]) => k in EMITTED_STYLE && EMITTED_STYLE[k] !== v);
  const all = mode === "always" || differs;
  return (f) => (all || !f.exact ? prettier.format(f.text, { ...userConfig, parser: "typescript", filepath: f.path }) : Promise.resolve(f.text));
}

/** {@link createFormatter} over a list of files: path → final text. */
export async function formatFiles(files: readonly FormattableFile[], outDir: string, mode: FormatMode): Promise<Map<string, string>> {
  const format = await createFormatter(outDir, mode);
  const result = new Map<string, string>();
  for (const f of files) result.set(f.path, await format(f));
  return result;
}
