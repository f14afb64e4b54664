import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as yaml from "js-yaml";
import { InputError } from "./errors.js";
import { isJsonObject, type JsonObject, type JsonValue } from "./load/documents.js";
import type { FailOn, SeverityOverride, Waiver } from "./diff/diff.js";
import { DIFF_FORMATS, type DiffFormat } from "./diff/report.js";
import { RULE_IDS } from "./diff/rules/index.js";

/** The config file's `generate` options (also accepted at the top level). */
export interface GenerateConfig {
  crds?: string[];
  out?: string;
  groupAliases?: Record<string, string>;
  format?: "auto" | "always" | "never";
  /** Emit validators (`validate.ts` per group version); default false. */
  validators?: boolean;
  /** Compose with a package of built-in clients: `true` for `@kube-codegen/api`, or the package name. */
  builtins?: string;
}

/** The config file's `cluster` section: generate from a cluster instead of files. */
export interface ClusterConfig {
  kubeconfig?: string;
  context?: string;
  groups?: string[];
  crds?: string[];
}

/** The config file's `diff` section. */
export interface DiffConfig {
  failOn?: FailOn;
  format?: DiffFormat;
  /** The least severity the text, markdown and github reports list (default info: all). */
  show?: "breaking" | "warning" | "info";
  /** Per-rule severity, or `off`. */
  severity?: Record<string, SeverityOverride>;
  waivers?: Waiver[];
}

/** A parsed config file; paths in it are resolved against its directory. */
export interface LoadedConfig {
  readonly path: string;
  readonly generate: GenerateConfig;
  readonly cluster: ClusterConfig | undefined;
  readonly diff: DiffConfig | undefined;
}

/** File names looked up in the working directory when no `--config` is given. */
export const CONFIG_NAMES = ["kube-codegen.config.yaml", "kube-codegen.config.yml", "kube-codegen.config.json"];

const GENERATE_KEYS = new Set(["crds", "out", "groupAliases", "format", "validators", "builtins"]);
const SECTIONS = new Set(["generate", "diff", "cluster"]);

/** Finds and parses the config file; undefined when there is none and none was asked for. */
export function loadConfig(explicit: string | undefined, cwd: string): LoadedConfig | undefined {
  let path: string | undefined;
  if (explicit !== undefined) {
    path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new InputError("the config file does not exist", { file: explicit });
  } else {
    path = CONFIG_NAMES.map((n) => resolve(cwd, n)).find((p) => existsSync(p));
    if (path === undefined) return undefined;
  }
  const text = readFileSync(path, "utf8");
  let raw: unknown;
  try {
    raw = path.endsWith(".json") ? JSON.parse(text) : yaml.load(text);
  } catch (err) {
    throw new InputError(`cannot parse the config file: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`, { file: path });
  }
  if (raw === undefined || raw === null) raw = {};
  if (!isJsonObject(raw)) throw new InputError("the config file must hold a mapping", { file: path });
  const base = dirname(path);
  const generateRaw: JsonObject = {};
  const sections: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    if (GENERATE_KEYS.has(key)) generateRaw[key] = value;
    else if (SECTIONS.has(key)) sections[key] = value;
    else throw new InputError(`unknown key ${JSON.stringify(key)} (known: ${[...GENERATE_KEYS, ...SECTIONS].join(", ")})`, { file: path });
  }
  const nested = sections["generate"];
  if (nested !== undefined) {
    if (!isJsonObject(nested)) throw new InputError("generate must be a mapping", { file: path });
    Object.assign(generateRaw, nested);
  }
  return {
    path,
    generate: parseGenerate(generateRaw, base, path),
    cluster: parseCluster(sections["cluster"], base, path),
    diff: parseDiff(sections["diff"], path),
  };
}

function parseCluster(raw: JsonValue | undefined, base: string, file: string): ClusterConfig | undefined {
  if (raw === undefined) return undefined;
  if (!isJsonObject(raw)) throw new InputError("cluster must be a mapping", { file });
  const out: ClusterConfig = {};
  const list = (key: string, v: JsonValue): string[] => {
    const l = typeof v === "string" ? [v] : v;
    if (!Array.isArray(l) || l.some((x) => typeof x !== "string")) throw new InputError(`cluster.${key} must be a name or a list of names`, { file });
    return l as string[];
  };
  for (const [key, value] of Object.entries(raw)) {
    if (key === "kubeconfig" && typeof value === "string") out.kubeconfig = resolve(base, value);
    else if (key === "context" && typeof value === "string") out.context = value;
    else if (key === "groups") out.groups = list(key, value);
    else if (key === "crds") out.crds = list(key, value);
    else throw new InputError(`unknown or malformed key cluster.${key} (known: kubeconfig, context, groups, crds)`, { file });
  }
  return out;
}

function parseGenerate(raw: JsonObject, base: string, file: string): GenerateConfig {
  const out: GenerateConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case "crds": {
        const list = typeof value === "string" ? [value] : value;
        if (!Array.isArray(list) || list.some((v) => typeof v !== "string")) throw new InputError("crds must be a path or a list of paths", { file });
        out.crds = (list as string[]).map((p) => (p === "-" ? p : resolve(base, p)));
        break;
      }
      case "out":
        if (typeof value !== "string") throw new InputError("out must be a path", { file });
        out.out = resolve(base, value);
        break;
      case "groupAliases":
        if (!isJsonObject(value) || Object.values(value).some((v) => typeof v !== "string")) {
          throw new InputError("groupAliases must map group names to accessor names", { file });
        }
        out.groupAliases = value as Record<string, string>;
        break;
      case "format":
        if (value !== "auto" && value !== "always" && value !== "never") throw new InputError("format must be auto, always or never", { file });
        out.format = value;
        break;
      case "validators":
        if (typeof value !== "boolean") throw new InputError("validators must be true or false", { file });
        out.validators = value;
        break;
      case "builtins":
        if (value === true) out.builtins = "@kube-codegen/api";
        else if (typeof value === "string" && value !== "") out.builtins = value;
        else if (value !== false) throw new InputError("builtins must be true, false or a package name", { file });
        break;
      default:
        throw new InputError(`unknown key generate.${key} (known: ${[...GENERATE_KEYS].join(", ")})`, { file });
    }
  }
  return out;
}

const FAIL_ON = ["breaking", "warning", "info", "never"];
const OVERRIDES = ["breaking", "warning", "info", "off"];
const WAIVER_KEYS = ["rule", "path", "crd", "reason", "expires"];

function parseDiff(raw: unknown, file: string): DiffConfig | undefined {
  if (raw === undefined) return undefined;
  if (!isJsonObject(raw)) throw new InputError("diff must be a mapping", { file });
  const out: DiffConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case "failOn":
        if (typeof value !== "string" || !FAIL_ON.includes(value)) throw new InputError(`diff.failOn must be one of ${FAIL_ON.join(", ")}`, { file });
        out.failOn = value as FailOn;
        break;
      case "format":
        if (typeof value !== "string" || !(DIFF_FORMATS as readonly string[]).includes(value)) throw new InputError(`diff.format must be one of ${DIFF_FORMATS.join(", ")}`, { file });
        out.format = value as DiffFormat;
        break;
      case "show":
        if (value !== "breaking" && value !== "warning" && value !== "info") throw new InputError("diff.show must be one of breaking, warning, info", { file });
        out.show = value;
        break;
      case "severity": {
        if (!isJsonObject(value)) throw new InputError("diff.severity must map rule ids to breaking, warning, info or off", { file });
        const severity: Record<string, SeverityOverride> = {};
        for (const [rule, level] of Object.entries(value)) {
          if (!RULE_IDS.includes(rule)) throw new InputError(`diff.severity: unknown rule ${JSON.stringify(rule)}${suggest(rule)} (run kube-codegen diff --list-rules)`, { file });
          if (typeof level !== "string" || !OVERRIDES.includes(level)) throw new InputError(`diff.severity.${rule} must be one of ${OVERRIDES.join(", ")}`, { file });
          severity[rule] = level as SeverityOverride;
        }
        out.severity = severity;
        break;
      }
      case "waivers":
        if (!Array.isArray(value)) throw new InputError("diff.waivers must be a list", { file });
        out.waivers = value.map((w, i) => parseWaiver(w, i, file));
        break;
      default:
        throw new InputError(`unknown key diff.${key} (known: failOn, format, show, severity, waivers)`, { file });
    }
  }
  return out;
}

function parseWaiver(raw: unknown, index: number, file: string): Waiver {
  const at = `diff.waivers[${index}]`;
  if (!isJsonObject(raw) || raw instanceof Date) throw new InputError(`${at} must be a mapping with rule, path and reason`, { file });
  const entries = Object.entries(raw as Record<string, unknown>);
  for (const [key] of entries) if (!WAIVER_KEYS.includes(key)) throw new InputError(`unknown key ${at}.${key} (known: ${WAIVER_KEYS.join(", ")})`, { file });
  const get = (key: string): unknown => (raw as Record<string, unknown>)[key];
  const text = (key: string, required: boolean): string | undefined => {
    const v = get(key);
    if (v === undefined && !required) return undefined;
    if (typeof v !== "string" || v.trim() === "") throw new InputError(`${at}.${key} ${required ? "is required and " : ""}must be a non-empty string`, { file });
    return v;
  };
  const rule = text("rule", true) as string;
  if (rule !== "*" && !RULE_IDS.includes(rule)) throw new InputError(`${at}.rule: unknown rule ${JSON.stringify(rule)}${suggest(rule)} (run kube-codegen diff --list-rules)`, { file });
  const path = text("path", true) as string;
  const reason = text("reason", true) as string;
  const crd = text("crd", false);
  const expiresRaw = get("expires");
  let expires: string | undefined;
  if (expiresRaw instanceof Date) expires = expiresRaw.toISOString().slice(0, 10);
  else if (typeof expiresRaw === "string" && /^\d{4}-\d{2}-\d{2}$/.test(expiresRaw) && !Number.isNaN(Date.parse(expiresRaw))) expires = expiresRaw;
  else if (expiresRaw !== undefined) throw new InputError(`${at}.expires must be a date, YYYY-MM-DD`, { file });
  return { rule, path, reason, ...(crd !== undefined ? { crd } : {}), ...(expires !== undefined ? { expires } : {}) };
}

/** ` (did you mean "x"?)` for a near miss among the rule ids. */
function suggest(rule: string): string {
  const near = RULE_IDS.find((id) => id.startsWith(rule.slice(0, Math.max(4, rule.length - 3))) || rule.startsWith(id));
  return near !== undefined ? ` (did you mean ${JSON.stringify(near)}?)` : "";
}
