import { writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import yargs from "yargs";
import * as yaml from "js-yaml";
import { loadConfig, type ClusterConfig } from "../config.js";
import type { ClusterSelection } from "../load/cluster.js";
import { CodegenError, InputError } from "../errors.js";
import { generateInto, type ReadSources, type RunSummary } from "../generate.js";
import { loadCrds } from "../load/crds.js";
import { kindCount } from "../model/api.js";
import { readSources } from "../load/sources.js";
import type { FormatMode } from "../format/prettier.js";
import { OutputCheck, StagedOutput, withManifest, writeOutput, type OutputSink } from "../write/output.js";
import { diffCrds, fails, type DiffSide, type FailOn } from "../diff/diff.js";
import { groupsOf, isClusterSpec, readDiffSide } from "../diff/inputs.js";
import { DIFF_FORMATS, renderReport, renderRules, type DiffFormat } from "../diff/report.js";
import type { Severity } from "../diff/types.js";

/** What the CLI needs from its process; tests pass their own. */
export interface CliIo {
  /** The working directory relative paths resolve against. */
  readonly cwd: string;
  /** Writes to standard output (reports, help). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (progress, notes, errors). */
  readonly stderr: (text: string) => void;
  /** Reads all of standard input (for `-`). */
  readonly readStdin: () => string;
}

/** Exit codes: 0 success, 1 `--check` found differences (or diff findings at --fail-on), 2 bad input or failure. */
export async function runCli(rawArgv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  // yargs does not take a lone "-" as an option value; carry it through as a sentinel.
  const argv = rawArgv.map((a) => (a === "-" ? STDIN_SENTINEL : a));
  try {
    const output: string[] = [];
    await yargs([...argv])
      .scriptName("kube-codegen")
      .exitProcess(false)
      .strict()
      .version(false)
      .showHelpOnFail(false)
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      })
      .command(
        "generate",
        "Generate typed TypeScript from CRDs",
        (y) =>
          y
            .option("crds", { type: "string", array: true, describe: "CRD files, directories, globs, or - for stdin" })
            .option("out", { type: "string", describe: "Output directory" })
            .option("config", { type: "string", describe: "Config file (default: kube-codegen.config.{yaml,yml,json} in the working directory)" })
            .option("check", { type: "boolean", default: false, describe: "Write nothing; exit 1 if the output directory is not up to date" })
            .option("format", { choices: ["auto", "always", "never"] as const, describe: "When to run prettier (default auto)" })
            .option("validators", { type: "boolean", describe: "Emit validate.ts per group version: a validator per kind (default false)" })
            .option("quiet", { type: "boolean", default: false, describe: "Print errors only" })
            .option("threads", { type: "number", describe: "Threads that parse and check large inputs (default 1)" })
            .option("cluster", { type: "boolean", default: false, describe: "Read the CRDs from the cluster of the kubeconfig" })
            .option("kubeconfig", { type: "string", describe: "Kubeconfig file (with --cluster; default: KUBECONFIG, ~/.kube/config, in-cluster)" })
            .option("context", { type: "string", describe: "Kubeconfig context (with --cluster)" })
            .option("group", { type: "string", array: true, describe: "Only CRDs of these groups (globs allowed; with --cluster)" })
            .option("crd", { type: "string", array: true, describe: "Only these CRDs by name (globs allowed; with --cluster)" })
            .option("openapi", { type: "string", array: true, describe: "Built-in APIs from OpenAPI v3: directories or files of the per-group-version documents, or `cluster` (the kubeconfig's)" })
            .option("builtins", { type: "string", describe: "Compose the clientset and informer factory with a package of built-in clients (default @kube-codegen/api)" }),
        async (args) => {
          exitCode = args.openapi !== undefined ? await generateOpenApiCommand(args, io) : await generateCommand(args, io);
        },
      )
      .command(
        "crds <action>",
        "Work with CRDs: `crds export --cluster --out DIR` writes the cluster's CRDs as clean YAML, one file each",
        (y) =>
          y
            .positional("action", { choices: ["export"] as const, demandOption: true })
            .option("cluster", { type: "boolean", default: false, describe: "Read the CRDs from the cluster (required)" })
            .option("out", { type: "string", demandOption: true, describe: "Output directory" })
            .option("kubeconfig", { type: "string" })
            .option("context", { type: "string" })
            .option("group", { type: "string", array: true })
            .option("crd", { type: "string", array: true })
            .option("quiet", { type: "boolean", default: false }),
        async (args) => {
          exitCode = await exportCommand(args, io);
        },
      )
      .command(
        "diff [old] [new]",
        "Compare CRDs between two versions and report breaking changes (a CI gate)",
        (y) =>
          y
            .positional("old", { type: "string", describe: "Old side: file, directory, glob, git:REF:PATH, cluster, or -" })
            .positional("new", { type: "string", describe: "New side: file, directory, glob, git:REF:PATH, cluster, or -" })
            .option("format", { choices: DIFF_FORMATS, describe: "Report format (default text)" })
            .option("fail-on", { choices: ["breaking", "warning", "info", "never"] as const, describe: "Exit 1 when a finding is at or above this severity (default breaking)" })
            .option("config", { type: "string", describe: "Config file (its diff section: severity overrides, waivers)" })
            .option("show", { choices: ["breaking", "warning", "info"] as const, describe: "List findings of this severity and above in text, markdown and github reports (default info: all); the summary still counts all" })
            .option("output", { type: "string", describe: "Write the report to this file instead of stdout" })
            .option("kubeconfig", { type: "string", describe: "Kubeconfig for a cluster side" })
            .option("context", { type: "string", describe: "Kubeconfig context for a cluster side" })
            .option("group", { type: "string", array: true, describe: "Cluster side: only CRDs of these groups (globs; default: the other side's groups)" })
            .option("crd", { type: "string", array: true, describe: "Cluster side: only these CRDs by name (globs)" })
            .option("list-rules", { type: "boolean", default: false, describe: "Print the rules and exit" })
            .option("quiet", { type: "boolean", default: false, describe: "No progress on stderr" }),
        async (args) => {
          exitCode = await diffCommand(args, io);
        },
      )
      .demandCommand(1, "name a command: generate, diff or crds export")
      .help()
      .parseAsync([...argv], {}, (_err, _argv, out) => {
        if (out !== "") output.push(out);
      });
    if (output.length > 0) io.stdout(`${output.join("\n")}\n`);
    return exitCode;
  } catch (err) {
    return reportError(err, io);
  }
}

const STDIN_SENTINEL = "\u0000stdin";

class UsageError extends CodegenError {
  override name = "UsageError";
}

interface ClusterArgs {
  cluster: boolean;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  group?: string[] | undefined;
  crd?: string[] | undefined;
}

interface GenerateArgs extends ClusterArgs {
  crds?: string[] | undefined;
  openapi?: string[] | undefined;
  builtins?: string | undefined;
  out?: string | undefined;
  config?: string | undefined;
  check: boolean;
  format?: FormatMode | undefined;
  validators?: boolean | undefined;
  threads?: number | undefined;
  quiet: boolean;
}

async function generateCommand(args: GenerateArgs, io: CliIo): Promise<number> {
  const config = loadConfig(args.config, io.cwd);
  const crds = (args.crds ?? config?.generate.crds)?.map((c) => (c === STDIN_SENTINEL ? "-" : c));
  const outArg = args.out ?? config?.generate.out;
  const out = outArg === undefined ? undefined : resolve(io.cwd, outArg);
  const fromCluster = args.cluster || (args.crds === undefined && config?.cluster !== undefined);
  if (!fromCluster && (crds === undefined || crds.length === 0)) throw new InputError("no CRD inputs: pass --crds (or --cluster), or set crds (or cluster) in the config file");
  if (out === undefined) throw new InputError("no output directory: pass --out or set out in the config file");
  const format = args.format ?? config?.generate.format ?? "auto";
  const validators = args.validators ?? config?.generate.validators ?? false;
  const builtins = args.builtins === undefined ? config?.generate.builtins : args.builtins === "" ? "@kube-codegen/api" : args.builtins;
  if (args.threads !== undefined && (!Number.isInteger(args.threads) || args.threads < 1)) throw new InputError(`--threads must be a whole number of at least 1, got ${String(args.threads)}`);
  const options = { out, format, validators, builtins, threads: args.threads, ...(config?.generate.groupAliases !== undefined ? { groupAliases: config.generate.groupAliases } : {}) };
  const read: ReadSources = fromCluster
    ? async () => (await (await cluster()).readClusterCrds(clusterSelection(args, config?.cluster, io.cwd), progressTo(io, args.quiet))).sources
    : () => readSources(crds ?? [], { cwd: io.cwd, readStdin: io.readStdin });
  // Files go to disk (or are compared with it) as they are made: the output is never held whole.
  return finishGenerate((sink) => generateInto(read, options, sink), out, args, io);
}

/** `generate --openapi DIR|FILE|cluster`: built-in APIs from the server's OpenAPI v3 documents. */
async function generateOpenApiCommand(args: GenerateArgs, io: CliIo): Promise<number> {
  const config = loadConfig(args.config, io.cwd);
  const outArg = args.out ?? config?.generate.out;
  if (outArg === undefined) throw new InputError("no output directory: pass --out or set out in the config file");
  if (args.crds !== undefined || args.cluster) throw new InputError("--openapi generates built-in APIs; CRDs (--crds, --cluster) are a separate run whose output composes with it (--builtins)");
  if (args.validators === true) throw new InputError("--validators is for CRDs; the built-in APIs are validated by the API server itself");
  if (args.crd !== undefined) throw new InputError("--crd selects CRDs; with --openapi use --group");
  const out = resolve(io.cwd, outArg);
  const specs = args.openapi ?? [];
  const { generateFromOpenApi } = await import("../generate-openapi.js");
  let sources;
  if (specs.length === 1 && specs[0] === "cluster") {
    const { readClusterOpenApi } = await import("../load/openapi-cluster.js");
    sources = await readClusterOpenApi({ kubeconfig: args.kubeconfig !== undefined ? resolve(io.cwd, args.kubeconfig) : config?.cluster?.kubeconfig, context: args.context ?? config?.cluster?.context }, progressTo(io, args.quiet));
  } else {
    if (specs.includes("cluster")) throw new InputError("--openapi cluster reads every document from the cluster; do not mix it with files");
    sources = readSources(specs.map((s) => (s === STDIN_SENTINEL ? "-" : s)), { cwd: io.cwd, readStdin: io.readStdin });
  }
  const result = await generateFromOpenApi(sources, { out, format: args.format ?? config?.generate.format ?? "auto", groups: args.group });
  return finishGenerate((sink) => {
    for (const [path, text] of result.files) sink.file(path, text);
    return Promise.resolve({ kinds: kindCount(result.model), files: result.files.size, notes: result.notes });
  }, out, args, io);
}

/** Runs a generation into the output directory (or, with `--check`, against it) and reports. */
async function finishGenerate(generateTo: (sink: OutputSink) => Promise<RunSummary>, out: string, args: GenerateArgs, io: CliIo): Promise<number> {
  const shownOut = relative(io.cwd, out) || ".";
  const notes = (result: RunSummary): void => {
    if (!args.quiet) for (const note of result.notes) io.stderr(`note: ${note}\n`);
  };
  if (args.check) {
    const check = new OutputCheck(out);
    const result = await generateTo(check);
    notes(result);
    const diff = check.finish();
    const total = diff.differ.length + diff.missing.length + diff.stale.length;
    if (total === 0) {
      if (!args.quiet) io.stderr(`${shownOut} is up to date (${result.files} files)\n`);
      return 0;
    }
    const lines = [
      ...diff.differ.map((p) => `  differs: ${p}`),
      ...diff.missing.map((p) => `  missing: ${p}`),
      ...diff.stale.map((p) => `  stale:   ${p}`),
    ];
    io.stderr(`${shownOut} is out of date (${total} files); run kube-codegen generate:\n${lines.join("\n")}\n`);
    return 1;
  }
  const staged = new StagedOutput(out);
  let result: RunSummary;
  try {
    result = await generateTo(staged);
  } catch (err) {
    staged.abort();
    throw err;
  }
  const { written, removed } = staged.commit();
  notes(result);
  if (!args.quiet) io.stderr(`generated ${result.kinds} kinds in ${result.files} files under ${shownOut} (${written} written, ${removed} removed)\n`);
  return 0;
}

/**
 * The cluster loader, imported only when a command reads a cluster: it pulls in the runtime and
 * @kubernetes/client-node, about half a second of start-up that file inputs do not need.
 */
function cluster(): Promise<typeof import("../load/cluster.js")> {
  return import("../load/cluster.js");
}

function clusterSelection(args: ClusterArgs, config: ClusterConfig | undefined, cwd: string): ClusterSelection {
  const kubeconfig = args.kubeconfig !== undefined ? resolve(cwd, args.kubeconfig) : config?.kubeconfig;
  return { kubeconfig, context: args.context ?? config?.context, groups: args.group ?? config?.groups, crds: args.crd ?? config?.crds };
}

/** Progress lines go to stderr (never stdout), unless quiet. */
function progressTo(io: CliIo, quiet: boolean): (message: string) => void {
  return (message) => {
    if (!quiet) io.stderr(`${message}\n`);
  };
}

interface ExportArgs extends ClusterArgs {
  out: string;
  quiet: boolean;
  config?: string | undefined;
}

async function exportCommand(args: ExportArgs, io: CliIo): Promise<number> {
  if (!args.cluster) throw new InputError("crds export reads from a cluster: pass --cluster");
  const config = loadConfig(args.config, io.cwd);
  const { objects, sources } = await (await cluster()).readClusterCrds(clusterSelection(args, config?.cluster, io.cwd), progressTo(io, args.quiet));
  // What a cluster answers is input like any other: bounded before it is written anywhere.
  loadCrds(sources);
  const files = new Map<string, string>();
  for (const o of objects) files.set(`${o.metadata.name ?? "crd"}.yaml`, yaml.dump(o, { lineWidth: -1, noRefs: true }));
  const out = resolve(io.cwd, args.out);
  const { written, removed } = writeOutput(out, withManifest(files));
  if (!args.quiet) io.stderr(`exported ${objects.length} CRDs to ${relative(io.cwd, out) || "."} (${written} written, ${removed} removed)\n`);
  return 0;
}

interface DiffArgs {
  old?: string | undefined;
  new?: string | undefined;
  format?: DiffFormat | undefined;
  failOn?: FailOn | undefined;
  show?: Severity | undefined;
  config?: string | undefined;
  output?: string | undefined;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  group?: string[] | undefined;
  crd?: string[] | undefined;
  listRules: boolean;
  quiet: boolean;
}

/** Exit codes: 0 no finding at or above --fail-on, 1 some, 2 the tool failed (bad input, git, cluster). */
async function diffCommand(args: DiffArgs, io: CliIo): Promise<number> {
  if (args.listRules) {
    io.stdout(renderRules());
    return 0;
  }
  if (args.old === undefined || args.new === undefined) throw new UsageError("diff needs two inputs: kube-codegen diff OLD NEW");
  const config = loadConfig(args.config, io.cwd);
  const env = {
    cwd: io.cwd,
    readStdin: io.readStdin,
    kubeconfig: args.kubeconfig !== undefined ? resolve(io.cwd, args.kubeconfig) : config?.cluster?.kubeconfig,
    context: args.context ?? config?.cluster?.context,
    progress: progressTo(io, args.quiet),
  };
  const unsentinel = (s: string): string => (s === STDIN_SENTINEL ? "-" : s);
  // A cluster side holds every CRD of the cluster: unless --group or --crd says otherwise, it is
  // narrowed to the API groups of the other side, so that unrelated CRDs are not "removed".
  const specs = [unsentinel(args.old), unsentinel(args.new)] as const;
  const sides: (DiffSide | undefined)[] = [undefined, undefined];
  for (const i of [0, 1]) if (!isClusterSpec(specs[i] as string)) sides[i] = await readDiffSide(specs[i] as string, env);
  for (const i of [0, 1]) {
    if (sides[i] !== undefined) continue;
    const other = sides[1 - i];
    const groups = args.group ?? (args.crd === undefined && other !== undefined ? groupsOf(other) : undefined);
    sides[i] = await readDiffSide(specs[i] as string, { ...env, groups, crds: args.crd });
  }
  const [before, after] = sides as [DiffSide, DiffSide];
  const diffConfig = config?.diff;
  const result = diffCrds(before, after, {
    ...(diffConfig?.severity !== undefined ? { severity: diffConfig.severity } : {}),
    ...(diffConfig?.waivers !== undefined ? { waivers: diffConfig.waivers } : {}),
  });
  const failOn = args.failOn ?? diffConfig?.failOn ?? "breaking";
  const format = args.format ?? diffConfig?.format ?? "text";
  if (args.show !== undefined && (format === "json" || format === "sarif")) throw new UsageError(`--show applies to the text, markdown and github reports; a ${format} report always lists every finding`);
  // From the config, `show` applies where it can: json and sarif reports stay complete.
  const show = args.show ?? (format === "json" || format === "sarif" ? undefined : diffConfig?.show);
  const report = renderReport(result, format, { failOn, show });
  if (args.output !== undefined) {
    const target = resolve(io.cwd, args.output);
    try {
      writeFileSync(target, report);
    } catch (err) {
      throw new CodegenError(`cannot write the report to ${args.output}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (!args.quiet) io.stderr(`${result.summary.breaking} breaking, ${result.summary.warning} warnings, ${result.summary.info} info; report written to ${args.output}\n`);
  } else {
    io.stdout(report);
  }
  return fails(result, failOn) ? 1 : 0;
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CodegenError) {
    io.stderr(`kube-codegen: error: ${err.message}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`kube-codegen: internal error: ${message}\n`);
  if (process.env["KUBE_CODEGEN_DEBUG"] !== undefined && err instanceof Error && err.stack !== undefined) io.stderr(`${err.stack}\n`);
  return 2;
}
