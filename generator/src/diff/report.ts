import { readFileSync } from "node:fs";
import { fails, type DiffResult, type FailOn, type Waiver } from "./diff.js";
import { RULES, ruleById } from "./rules/index.js";
import { SEVERITIES, type Finding, type Severity } from "./types.js";

/** The output formats of `kube-codegen diff`. */
export const DIFF_FORMATS = ["text", "json", "markdown", "github", "sarif"] as const;
/** One of {@link DIFF_FORMATS}. */
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** How a report is rendered. */
export interface ReportOptions {
  /** The least severity that fails the run, stated in the report. */
  readonly failOn: FailOn;
  /**
   * The least severity listed in the text, markdown and github formats (default `info`: all).
   * Findings below it are still counted in the summary. The json and sarif reports are always
   * complete.
   */
  readonly show?: Severity | undefined;
}

/** The findings a report lists at `show`, and how many it leaves out. */
function listed(r: DiffResult, show: Severity | undefined): { findings: readonly Finding[]; hidden: number } {
  if (show === undefined || show === "info") return { findings: r.findings, hidden: 0 };
  const limit = SEVERITIES.indexOf(show);
  const findings = r.findings.filter((f) => SEVERITIES.indexOf(f.severity) <= limit);
  return { findings, hidden: r.findings.length - findings.length };
}

function hiddenNote(hidden: number, show: Severity | undefined): string {
  return `${hidden} finding${hidden === 1 ? "" : "s"} below ${show ?? "info"} not listed (--show ${show ?? "info"})`;
}

/** Renders a diff result; every format ends with a newline. */
export function renderReport(result: DiffResult, format: DiffFormat, options: ReportOptions): string {
  switch (format) {
    case "text":
      return renderText(result, options);
    case "json":
      return `${JSON.stringify(jsonReport(result, options), null, 2)}\n`;
    case "markdown":
      return renderMarkdown(result, options);
    case "github":
      return renderGithub(result, options);
    case "sarif":
      return `${JSON.stringify(sarifReport(result), null, 2)}\n`;
  }
}

let toolVersion: string | undefined;

/** The generator package's version (read once from its package.json). */
export function version(): string {
  if (toolVersion === undefined) {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    toolVersion = pkg.version ?? "0.0.0";
  }
  return toolVersion;
}

// ---- JSON -------------------------------------------------------------------------------------

/** The JSON report; its JSON Schema is `generator/schema/diff-report.schema.json`. */
export interface JsonReport {
  readonly $schema: string;
  readonly tool: { readonly name: "kube-codegen"; readonly version: string };
  readonly old: string;
  readonly new: string;
  readonly failOn: FailOn;
  readonly failed: boolean;
  readonly summary: DiffResult["summary"];
  readonly crds: DiffResult["crds"];
  readonly findings: readonly Finding[];
  readonly waivers: DiffResult["waivers"];
}

export const REPORT_SCHEMA_ID = "https://kube-codegen.dev/schema/diff-report/v1.json";

/** The report as JSON, following `diff-report.schema.json`. */
export function jsonReport(result: DiffResult, options: ReportOptions): JsonReport {
  return {
    $schema: REPORT_SCHEMA_ID,
    tool: { name: "kube-codegen", version: version() },
    old: result.old,
    new: result.new,
    failOn: options.failOn,
    failed: fails(result, options.failOn),
    summary: result.summary,
    crds: result.crds,
    findings: result.findings,
    waivers: result.waivers,
  };
}

// ---- text -------------------------------------------------------------------------------------

const LABEL: Record<Severity, string> = { breaking: "BREAKING", warning: "WARNING ", info: "info    " };

function where(f: Finding): string {
  return f.file === undefined ? "" : f.line === undefined ? f.file : `${f.file}:${f.line}`;
}

function summaryLine(r: DiffResult): string {
  const s = r.summary;
  const waived = s.waived > 0 ? `, ${s.waived} waived` : "";
  return `${s.breaking} breaking, ${s.warning} warning${s.warning === 1 ? "" : "s"}, ${s.info} info${waived}; suggested version bump for generated clients: ${s.semver}`;
}

function waiverText(w: Waiver): string {
  return `${w.rule} at ${w.path}${w.crd !== undefined ? ` in ${w.crd}` : ""} (${w.reason})`;
}

function renderText(r: DiffResult, options: ReportOptions): string {
  const out: string[] = [`kube-codegen diff ${r.old} → ${r.new}`];
  const c = r.crds;
  out.push(`CRDs: ${c.compared.length} compared, ${c.added.length} added${c.added.length > 0 ? ` (${c.added.join(", ")})` : ""}, ${c.removed.length} removed${c.removed.length > 0 ? ` (${c.removed.join(", ")})` : ""}`);
  let crd = "";
  const { findings, hidden } = listed(r, options.show);
  for (const f of findings) {
    if (f.crd !== crd) {
      crd = f.crd;
      out.push("", crd);
    }
    const label = f.waived !== undefined ? `waived  ` : LABEL[f.severity];
    const at = [f.version, f.path].filter((x) => x !== undefined).join(" ");
    out.push(`  ${label}  ${at}  ${f.message}  [${f.rule}]`);
    const details: string[] = [];
    if (f.typescript.change !== "none") details.push(`TypeScript: ${f.typescript.text}`);
    if (f.reason !== undefined) details.push(f.reason);
    if (f.waived !== undefined) details.push(`waived (${f.severity}): ${f.waived.reason}${f.waived.expires !== undefined ? `, until ${f.waived.expires}` : ""}`);
    const loc = where(f);
    if (loc !== "") details.push(loc);
    if (details.length > 0) out.push(`            ${details.join(" · ")}`);
  }
  if (r.waivers.expired.length > 0) {
    out.push("");
    for (const w of r.waivers.expired) out.push(`waiver expired on ${w.expires ?? ""}, no longer applied: ${waiverText(w)}`);
  }
  if (r.waivers.unused.length > 0) {
    out.push("");
    for (const w of r.waivers.unused) out.push(`waiver matched no finding: ${waiverText(w)}`);
  }
  if (hidden > 0) out.push("", hiddenNote(hidden, options.show));
  out.push("", `${summaryLine(r)}${fails(r, options.failOn) ? ` — fails (--fail-on ${options.failOn})` : ""}`);
  return `${out.join("\n")}\n`;
}

// ---- markdown ---------------------------------------------------------------------------------

/** GitHub refuses comments over 65,536 characters; stay well under. */
const MARKDOWN_BUDGET = 60_000;

function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;");
}

function code(text: string): string {
  return text === "" ? "" : `\`${text.replace(/`/g, "'")}\``;
}

function renderMarkdown(r: DiffResult, options: ReportOptions): string {
  const s = r.summary;
  const icon = fails(r, options.failOn) ? "❌" : s.breaking + s.warning > 0 ? "⚠️" : "✅";
  const lines: string[] = [
    `### ${icon} kube-codegen diff: ${s.breaking} breaking, ${s.warning} warning${s.warning === 1 ? "" : "s"}, ${s.info} info${s.waived > 0 ? `, ${s.waived} waived` : ""}`,
    "",
    `Compared ${code(r.old)} → ${code(r.new)}: ${r.crds.compared.length} CRDs compared, ${r.crds.added.length} added, ${r.crds.removed.length} removed. ` +
      `Suggested version bump for generated clients: **${s.semver}**.`,
  ];
  for (const w of r.waivers.expired) lines.push("", `> **Expired waiver** (${w.expires ?? ""}), no longer applied: ${cell(waiverText(w))}`);
  let used = lines.join("\n").length;
  const table = (findings: readonly Finding[]): string[] => {
    const rows = ["| Severity | Rule | CRD | Version | Path | Change | TypeScript |", "|---|---|---|---|---|---|---|"];
    let shown = 0;
    for (const f of findings) {
      const sev = f.waived !== undefined ? `waived ${f.severity}` : f.severity === "breaking" ? "🔴 breaking" : f.severity === "warning" ? "🟡 warning" : "info";
      const loc = where(f);
      const change = `${cell(f.message)}${f.reason !== undefined ? ` (${cell(f.reason)})` : ""}${f.waived !== undefined ? ` — waived: ${cell(f.waived.reason)}` : ""}${loc !== "" ? ` — ${code(loc)}` : ""}`;
      const row = `| ${sev} | ${code(f.rule)} | ${code(f.crd)} | ${f.version ?? ""} | ${code(f.path)} | ${change} | ${cell(f.typescript.text)} |`;
      if (used + row.length > MARKDOWN_BUDGET) break;
      used += row.length + 1;
      rows.push(row);
      shown++;
    }
    if (shown < findings.length) rows.push("", `… and ${findings.length - shown} more, not shown (the comment would be too long): run \`kube-codegen diff --format json\` for all of them.`);
    return rows;
  };
  const { findings, hidden } = listed(r, options.show);
  const important = findings.filter((f) => f.severity !== "info" || f.waived !== undefined);
  const info = findings.filter((f) => f.severity === "info" && f.waived === undefined);
  if (important.length > 0) lines.push("", ...table(important));
  if (info.length > 0) lines.push("", `<details><summary>${info.length} info finding${info.length === 1 ? "" : "s"}</summary>`, "", ...table(info), "", "</details>");
  if (hidden > 0) lines.push("", `_${hiddenNote(hidden, options.show)}._`);
  if (r.findings.length === 0) lines.push("", "No changes.");
  return `${lines.join("\n")}\n`;
}

// ---- GitHub workflow commands -----------------------------------------------------------------

function ghData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function ghProperty(text: string): string {
  return ghData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * One `::error` (breaking) or `::warning` (warning) annotation per finding that is not waived,
 * on the line of the new file when known; info findings are only counted in the closing notice.
 */
function renderGithub(r: DiffResult, options: ReportOptions): string {
  const out: string[] = [];
  for (const f of listed(r, options.show).findings) {
    if (f.waived !== undefined || f.severity === "info") continue;
    const props = [
      ...(f.file !== undefined ? [`file=${ghProperty(f.file)}`] : []),
      ...(f.line !== undefined ? [`line=${f.line}`] : []),
      `title=${ghProperty(`${f.rule}: ${f.crd}${f.version !== undefined ? ` ${f.version}` : ""} ${f.path}`)}`,
    ];
    const ts = f.typescript.change !== "none" ? ` TypeScript: ${f.typescript.text}.` : "";
    out.push(`::${f.severity === "breaking" ? "error" : "warning"} ${props.join(",")}::${ghData(`${f.message}${f.reason !== undefined ? ` (${f.reason})` : ""}.${ts}`)}`);
  }
  for (const w of r.waivers.expired) out.push(`::warning title=kube-codegen diff: expired waiver::${ghData(`waiver expired on ${w.expires ?? ""}, no longer applied: ${waiverText(w)}`)}`);
  out.push(`::notice title=kube-codegen diff::${ghData(summaryLine(r))}`);
  return `${out.join("\n")}\n`;
}

// ---- SARIF 2.1.0 ------------------------------------------------------------------------------

const SARIF_LEVEL: Record<Severity, "error" | "warning" | "note"> = { breaking: "error", warning: "warning", info: "note" };

/** The report as SARIF 2.1.0, for code scanning; waived findings carry `suppressions`. */
export function sarifReport(r: DiffResult): object {
  const ruleIndex = new Map(RULES.map((rule, i) => [rule.id, i]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "kube-codegen",
            version: version(),
            rules: RULES.map((rule) => ({ id: rule.id, shortDescription: { text: rule.summary } })),
          },
        },
        results: r.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule) ?? 0,
          level: SARIF_LEVEL[f.severity],
          message: { text: `${f.crd}${f.version !== undefined ? ` ${f.version}` : ""} ${f.path}: ${f.message}${f.reason !== undefined ? ` (${f.reason})` : ""}. TypeScript: ${f.typescript.text}.` },
          locations: [
            {
              ...(f.file !== undefined
                ? { physicalLocation: { artifactLocation: { uri: f.file }, ...(f.line !== undefined ? { region: { startLine: f.line } } : {}) } }
                : {}),
              logicalLocations: [{ fullyQualifiedName: `${f.crd}${f.version !== undefined ? `/${f.version}` : ""}${f.path}`, kind: "member" }],
            },
          ],
          properties: { crd: f.crd, ...(f.version !== undefined ? { version: f.version } : {}), path: f.path, typescript: f.typescript },
          ...(f.waived !== undefined ? { suppressions: [{ kind: "external", justification: f.waived.reason }] } : {}),
        })),
      },
    ],
  };
}

/** For `--list-rules`: one line per rule. */
export function renderRules(): string {
  return `${RULES.map((r) => `${r.id.padEnd(30)} ${r.scope === "crd" ? "crd   " : "schema"} ${r.summary}`).join("\n")}\n`;
}

export { ruleById };
