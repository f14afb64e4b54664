import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as yaml from "js-yaml";
import { InputError } from "./errors.js";
import { isJsonObject, type JsonObject, type JsonValue } from "./load/documents.js";

/** The config file's `generate` options (also accepted at the top level). */
export interface GenerateConfig {
  crds?: string[];
  out?: string;
  groupAliases?: Record<string, string>;
  format?: "auto" | "always" | "never";
}

/** The config file's `cluster` section: generate from a cluster instead of files. */
export interface ClusterConfig {
  kubeconfig?: string;
  context?: string;
  groups?: string[];
  crds?: string[];
}

/** A parsed config file; paths in it are resolved against its directory. */
export interface LoadedConfig {
  readonly path: string;
  readonly generate: GenerateConfig;
  readonly cluster: ClusterConfig | undefined;
  /** Other sections (such as `diff`), validated by their own commands. */
  readonly sections: JsonObject;
}

/** File names looked up in the working directory when no `--config` is given. */
export const CONFIG_NAMES = ["kube-codegen.config.yaml", "kube-codegen.config.yml", "kube-codegen.config.json"];

const GENERATE_KEYS = new Set(["crds", "out", "groupAliases", "format"]);
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
  return { path, generate: parseGenerate(generateRaw, base, path), cluster: parseCluster(sections["cluster"], base, path), sections };
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
      default:
        throw new InputError(`unknown key generate.${key} (known: ${[...GENERATE_KEYS].join(", ")})`, { file });
    }
  }
  return out;
}
