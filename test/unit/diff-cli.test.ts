import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { runCli } from "../../generator/src/cli/run.js";
import { IN_CI, REPO, SHARED_PAIRS } from "../support/paths.js";

const FIX = join(REPO, "fixtures/diff");
const schema = JSON.parse(readFileSync(join(REPO, "generator/schema/diff-report.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kcg-diff-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], cwd = dir, stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => stdin });
  return { code, stdout, stderr };
}

const pair = (rule: string): [string, string] => [join(FIX, rule, "old.yaml"), join(FIX, rule, "new.yaml")];

describe("kube-codegen diff: exit codes and --fail-on", () => {
  test("a breaking change exits 1 by default; --fail-on never exits 0", async () => {
    expect((await cli(["diff", ...pair("type-changed")])).code).toBe(1);
    expect((await cli(["diff", ...pair("type-changed"), "--fail-on", "never"])).code).toBe(0);
  });

  test("info findings pass by default and fail with --fail-on info; warnings with --fail-on warning", async () => {
    expect((await cli(["diff", ...pair("property-added")])).code).toBe(0);
    expect((await cli(["diff", ...pair("property-added"), "--fail-on", "info"])).code).toBe(1);
    expect((await cli(["diff", ...pair("map-type-changed")])).code).toBe(0);
    expect((await cli(["diff", ...pair("map-type-changed"), "--fail-on", "warning"])).code).toBe(1);
  });

  test("identical inputs: exit 0, no findings, bump none", async () => {
    const r = await cli(["diff", join(FIX, "type-changed/old.yaml"), join(FIX, "type-changed/old.yaml"), "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: unknown[]; summary: { semver: string } };
    expect(report.findings).toEqual([]);
    expect(report.summary.semver).toBe("none");
  });

  test("the text report names rule, path, values, TypeScript effect and file:line", async () => {
    const r = await cli(["diff", ...pair("type-changed")]);
    expect(r.stdout).toContain("BREAKING  v1 .spec.a  type changed from string to integer  [type-changed]");
    expect(r.stdout).toContain("TypeScript: `string` → `number` (in `WidgetSpec`)");
    expect(r.stdout).toMatch(/fixtures\/diff\/type-changed\/new\.yaml:18/);
    expect(r.stdout).toMatch(/1 breaking, 0 warnings, 0 info; suggested version bump for generated clients: major — fails \(--fail-on breaking\)\n$/);
    expect(r.stderr).toBe("");
  });

  test("TypeScript effects name the generated interfaces, of the property and of its parent", async () => {
    const before = join(dir, "iface-old.yaml");
    const after = join(dir, "iface-new.yaml");
    const text = readFileSync(join(FIX, "property-added/old.yaml"), "utf8");
    writeFileSync(before, text);
    writeFileSync(after, text.replace("spec: {type: object, properties: {a: {type: string}}}", "spec: {type: object, properties: {a: {type: string}, limits: {type: object, properties: {cpu: {type: string}}}}}"));
    const r = await cli(["diff", before, after]);
    expect(r.stdout).toContain("TypeScript: adds `limits?: WidgetSpecLimits` (in `WidgetSpec`)");
    const back = await cli(["diff", after, before]);
    expect(back.stdout).toContain("TypeScript: removes `limits?: WidgetSpecLimits` (in `WidgetSpec`)");
  });

  test("--show lists only findings at or above a severity; the summary still counts all; json and sarif refuse it", async () => {
    const before = join(dir, "show-old.yaml");
    const after = join(dir, "show-new.yaml");
    const text = readFileSync(join(FIX, "property-added/old.yaml"), "utf8");
    const spec = "spec: {type: object, properties: {a: {type: string}}}";
    writeFileSync(before, text.replace(spec, "spec: {type: object, properties: {a: {type: string}, c: {type: string}}}"));
    // a: string → integer (breaking), b added (info), c gets a default (warning).
    writeFileSync(after, text.replace(spec, "spec: {type: object, properties: {a: {type: integer}, b: {type: string}, c: {type: string, default: x}}}"));
    const json = JSON.parse((await cli(["diff", before, after, "--format", "json"])).stdout) as { findings: { rule: string; severity: string }[] };
    const bySeverity = (sev: string[]): string[] => json.findings.filter((f) => sev.includes(f.severity)).map((f) => `[${f.rule}]`);
    expect(bySeverity(["breaking"]).length).toBeGreaterThan(0);
    expect(bySeverity(["warning"]).length).toBeGreaterThan(0);
    expect(bySeverity(["info"]).length).toBeGreaterThan(0);
    const listedRules = (out: string): string[] => out.split("\n").flatMap((l) => /^ {2}\S.*(\[[a-z-]+\])$/.exec(l)?.[1] ?? []);
    const all = await cli(["diff", before, after]);
    expect(listedRules(all.stdout)).toEqual(json.findings.map((f) => `[${f.rule}]`));
    expect(all.stdout).not.toContain("not listed");
    const warn = await cli(["diff", before, after, "--show", "warning"]);
    expect(listedRules(warn.stdout)).toEqual(bySeverity(["breaking", "warning"]));
    const infos = bySeverity(["info"]).length;
    expect(warn.stdout).toContain(`${infos} finding${infos === 1 ? "" : "s"} below warning not listed (--show warning)`);
    expect(warn.stdout).toContain(`${infos} info;`);
    expect(warn.code).toBe(1);
    const breaking = await cli(["diff", before, after, "--show", "breaking"]);
    expect(listedRules(breaking.stdout)).toEqual(bySeverity(["breaking"]));
    const gh = await cli(["diff", before, after, "--show", "breaking", "--format", "github"]);
    expect(gh.stdout).not.toMatch(/^::warning /m);
    expect(gh.stdout).toMatch(/^::error /m);
    const md = await cli(["diff", before, after, "--show", "warning", "--format", "markdown"]);
    expect(md.stdout).not.toContain("<details>");
    expect(md.stdout).toContain("below warning not listed");
    // The config's diff.show: for text; a json report stays complete; the flag wins.
    const config = join(dir, "show-config.yaml");
    writeFileSync(config, "diff:\n  show: breaking\n");
    expect(listedRules((await cli(["diff", before, after, "--config", config])).stdout)).toEqual(bySeverity(["breaking"]));
    expect(listedRules((await cli(["diff", before, after, "--config", config, "--show", "info"])).stdout)).toEqual(json.findings.map((f) => `[${f.rule}]`));
    const fromConfigJson = JSON.parse((await cli(["diff", before, after, "--config", config, "--format", "json"])).stdout) as { findings: unknown[] };
    expect(fromConfigJson.findings).toHaveLength(json.findings.length);
    for (const format of ["json", "sarif"]) {
      const r = await cli(["diff", before, after, "--show", "warning", "--format", format]);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
      expect(r.stderr).toBe(`kube-codegen: error: --show applies to the text, markdown and github reports; a ${format} report always lists every finding\n`);
    }
  });

  test("--list-rules prints every rule id once", async () => {
    const r = await cli(["diff", "--list-rules"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l !== "").length).toBe(readdirCount(FIX));
  });
});

function readdirCount(root: string): number {
  return execFileSync("ls", [root], { encoding: "utf8" }).split("\n").filter((l) => l !== "").length;
}

describe("kube-codegen diff: formats", () => {
  test("json validates against the published JSON Schema (hand-written pairs, with a waiver and an expired one)", async () => {
    const config = join(dir, "waivers.yaml");
    writeFileSync(config, [
      "diff:",
      "  waivers:",
      "    - {rule: required-added, path: .spec.a, reason: migrated in release 2.0, expires: 2999-12-31}",
      "    - {rule: required-added, path: .status.*, reason: old waiver, expires: 2000-01-01}",
    ].join("\n"));
    for (const rule of ["required-added", "served-versions-diverge", "crd-added", "validation-rule-added"]) {
      const r = await cli(["diff", ...pair(rule), "--format", "json", "--config", config]);
      const report = JSON.parse(r.stdout) as unknown;
      expect({ rule, valid: validate(report), errors: validate.errors ?? null }).toEqual({ rule, valid: true, errors: null });
    }
  });

  test("json of a real pair validates too (hundreds of findings)", async () => {
    if (!existsSync(SHARED_PAIRS)) {
      if (IN_CI) throw new Error(`shared CRD pairs not found at ${SHARED_PAIRS}`);
      return;
    }
    const r = await cli(["diff", join(SHARED_PAIRS, "prometheus-operator/old"), join(SHARED_PAIRS, "prometheus-operator/new"), "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number }[] };
    expect(validate(report)).toBe(true);
    expect(report.findings.length).toBeGreaterThan(1000);
    // Lines point at the keyword in the new file: every min-tightened finding's line holds a min* keyword.
    const checked = report.findings.filter((f) => f.rule === "min-tightened");
    expect(checked.length).toBeGreaterThan(3);
    for (const f of checked) {
      const line = readFileSync(f.file, "utf8").split("\n")[f.line - 1] ?? "";
      expect(line).toMatch(/min(Length|Items|imum|Properties):/);
    }
  });

  test("markdown: a summary heading, a table of breaking and warning findings, info folded away", async () => {
    const r = await cli(["diff", ...pair("required-added"), "--format", "markdown"]);
    expect(r.stdout).toMatch(/^### ❌ kube-codegen diff: 1 breaking, 1 warning, 1 info\n/);
    expect(r.stdout).toContain("| Severity | Rule | CRD | Version | Path | Change | TypeScript |");
    expect(r.stdout).toContain("| 🔴 breaking | `required-added` | `widgets.diff.example.com` | v1 | `.spec.a` |");
    expect(r.stdout).toContain("<details><summary>1 info finding</summary>");
    expect(r.stdout).toContain("Suggested version bump for generated clients: **major**");
  });

  test("markdown stays under GitHub's comment limit on a large diff", async () => {
    if (!existsSync(SHARED_PAIRS)) return;
    const r = await cli(["diff", join(SHARED_PAIRS, "prometheus-operator/old"), join(SHARED_PAIRS, "prometheus-operator/new"), "--format", "markdown"]);
    expect(r.stdout.length).toBeLessThan(65_536);
    expect(r.stdout).toMatch(/… and \d+ more, not shown/);
  });

  test("github: ::error and ::warning annotations on the new file's line, escaped; a closing notice", async () => {
    const r = await cli(["diff", ...pair("required-added"), "--format", "github"]);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^::error file=.*fixtures\/diff\/required-added\/new\.yaml,line=\d+,title=required-added%3A widgets\.diff\.example\.com v1 \.spec\.a::property is now required/);
    expect(lines[1]).toMatch(/^::warning file=.*,line=\d+,title=required-added%3A widgets.diff.example.com v1 .status.s::/);
    expect(lines.at(-1)).toBe("::notice title=kube-codegen diff::1 breaking, 1 warning, 1 info; suggested version bump for generated clients: major");
    expect(lines).toHaveLength(3);
  });

  test("sarif: 2.1.0, one result per finding with level and region, rules listed, waived results suppressed", async () => {
    const config = join(dir, "waive-all.yaml");
    writeFileSync(config, "diff:\n  waivers:\n    - {rule: '*', path: '.status.**', reason: status is ours}\n");
    const r = await cli(["diff", ...pair("required-added"), "--format", "sarif", "--config", config]);
    const sarif = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number } } }[]; suppressions?: unknown[] }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run?.results.map((x) => [x.ruleId, x.level, x.suppressions !== undefined])).toEqual([
      ["required-added", "error", false],
      ["required-added", "note", false],
      ["required-added", "warning", true],
    ]);
    expect(run?.results[0]?.locations[0]?.physicalLocation.region.startLine).toBeGreaterThan(0);
    expect(run?.tool.driver.rules.map((x) => x.id)).toContain("required-added");
  });

  test("--output writes the report to a file", async () => {
    const out = join(dir, "report.md");
    const r = await cli(["diff", ...pair("type-changed"), "--format", "markdown", "--output", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(readFileSync(out, "utf8")).toMatch(/^### ❌ kube-codegen diff: 1 breaking/);
  });
});

describe("kube-codegen diff: config", () => {
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  test("a waiver with a path glob accepts the finding: exit 0, shown as waived with its reason", async () => {
    const config = write("w1.yaml", "diff:\n  waivers:\n    - rule: type-changed\n      path: .spec.*\n      reason: nobody sets a yet (ticket 42)\n");
    const r = await cli(["diff", ...pair("type-changed"), "--config", config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("waived (breaking): nobody sets a yet (ticket 42)");
    expect(r.stdout).toContain("0 breaking, 0 warnings, 0 info, 1 waived");
  });

  test("a waiver's crd glob reads like --crd: * crosses dots", async () => {
    const config = write("w4.yaml", "diff:\n  waivers:\n    - {rule: type-changed, path: .spec.a, crd: 'widgets.*', reason: r}\n");
    expect((await cli(["diff", ...pair("type-changed"), "--config", config])).code).toBe(0);
  });

  test("an expired waiver stops applying and says so", async () => {
    const config = write("w2.yaml", "diff:\n  waivers:\n    - {rule: type-changed, path: .spec.a, reason: temporary, expires: 2020-06-30}\n");
    const r = await cli(["diff", ...pair("type-changed"), "--config", config]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("waiver expired on 2020-06-30, no longer applied: type-changed at .spec.a (temporary)");
    const gh = await cli(["diff", ...pair("type-changed"), "--config", config, "--format", "github"]);
    expect(gh.stdout).toContain("::warning title=kube-codegen diff: expired waiver::waiver expired on 2020-06-30");
  });

  test("a waiver for another CRD does not apply, and is reported as unused", async () => {
    const config = write("w3.yaml", "diff:\n  waivers:\n    - {rule: type-changed, path: '**', crd: other.example.com, reason: r}\n");
    const r = await cli(["diff", ...pair("type-changed"), "--config", config]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("waiver matched no finding: type-changed at ** in other.example.com (r)");
  });

  test("severity overrides: a rule made a warning no longer fails; off drops it", async () => {
    const warn = write("s1.yaml", "diff:\n  severity:\n    type-changed: warning\n");
    const r = await cli(["diff", ...pair("type-changed"), "--config", warn]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("WARNING   v1 .spec.a  type changed");
    const off = write("s2.yaml", "diff:\n  failOn: info\n  severity:\n    description-changed: off\n");
    expect((await cli(["diff", ...pair("description-changed"), "--config", off])).code).toBe(0);
    expect((await cli(["diff", ...pair("property-added"), "--config", off])).code).toBe(1);
  });

  test.each([
    ["an unknown key", "diff:\n  failon: breaking\n", /unknown key diff\.failon \(known: failOn, format, show, severity, waivers\)/],
    ["a bad show", "diff:\n  show: errors\n", /diff\.show must be one of breaking, warning, info/],
    ["an unknown rule", "diff:\n  severity:\n    type-change: warning\n", /unknown rule "type-change" \(did you mean "type-changed"\?\)/],
    ["a bad severity", "diff:\n  severity:\n    type-changed: fatal\n", /diff\.severity\.type-changed must be one of breaking, warning, info, off/],
    ["a waiver without reason", "diff:\n  waivers:\n    - {rule: type-changed, path: .spec.a}\n", /diff\.waivers\[0\]\.reason is required/],
    ["a waiver with an unknown key", "diff:\n  waivers:\n    - {rule: type-changed, path: .spec.a, reason: r, until: 2030-01-01}\n", /unknown key diff\.waivers\[0\]\.until/],
    ["a bad date", "diff:\n  waivers:\n    - {rule: type-changed, path: .spec.a, reason: r, expires: next year}\n", /diff\.waivers\[0\]\.expires must be a date, YYYY-MM-DD/],
    ["a waiver that is not a mapping", "diff:\n  waivers:\n    - type-changed\n", /diff\.waivers\[0\] must be a mapping with rule, path and reason/],
  ])("%s in the config is an error (exit 2), never silently ignored", async (_name, text, message) => {
    const config = write("bad.yaml", text);
    const r = await cli(["diff", ...pair("type-changed"), "--config", config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("bad.yaml");
    expect(r.stdout).toBe("");
  });
});

describe("kube-codegen diff: bad input exits 2, never 1", () => {
  test.each([
    ["unparseable YAML", "spec:\n  a: [1, 2\n", /broken\.yaml, document 1, line \d+: YAML syntax error/],
    ["a file without a CRD", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", /no CustomResourceDefinition \(apiextensions\.k8s\.io\/v1\) found in broken\.yaml/],
    ["a version without a schema", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.diff.example.com}\nspec:\n  group: diff.example.com\n  names: {plural: widgets, kind: Widget}\n  scope: Namespaced\n  versions:\n    - {name: v1, served: true, storage: true}\n", /broken\.yaml, document 1, line 9: at spec\.versions\[0\]\.schema\.openAPIV3Schema: version v1 has no schema/],
  ])("%s", async (_name, text, message) => {
    writeFileSync(join(dir, "broken.yaml"), text);
    const r = await cli(["diff", join(FIX, "type-changed/old.yaml"), "broken.yaml"]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test("a missing file", async () => {
    const r = await cli(["diff", "nope.yaml", join(FIX, "type-changed/old.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kube-codegen: error: nope.yaml: cannot read the input: no such file or directory\n");
  });

  test("one input only", async () => {
    const r = await cli(["diff", join(FIX, "type-changed/old.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("diff needs two inputs");
  });

  test("stdin as one side", async () => {
    const r = await cli(["diff", "-", join(FIX, "type-changed/new.yaml"), "--format", "json"], dir, readFileSync(join(FIX, "type-changed/old.yaml"), "utf8"));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { old: string; findings: { rule: string }[] };
    expect(report.old).toBe("-");
    expect(report.findings.map((f) => f.rule)).toEqual(["type-changed"]);
  });
});

describe("kube-codegen diff: git:REF:PATH inputs", () => {
  let repo: string;
  const git = (...args: string[]): string =>
    execFileSync("git", args, { cwd: repo, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });

  beforeAll(() => {
    repo = join(dir, "repo");
    mkdirSync(join(repo, "deploy/crds"), { recursive: true });
    git("init", "-q", "-b", "main");
    cpSync(join(FIX, "type-changed/old.yaml"), join(repo, "deploy/crds/widgets.yaml"));
    writeFileSync(join(repo, "deploy/crds/README.md"), "not a CRD\n");
    git("add", "-A");
    git("commit", "-q", "-m", "v1");
    git("tag", "v1.0.0");
    cpSync(join(FIX, "type-changed/new.yaml"), join(repo, "deploy/crds/widgets.yaml"));
    writeFileSync(join(repo, "deploy/crds/gadgets.yaml"), readFileSync(join(FIX, "crd-added/new.yaml"), "utf8").split("\n---\n")[1] ?? "");
    git("add", "-A");
    git("commit", "-q", "-m", "v2");
  });

  test("two commits of a directory: the changed CRD and the added one", async () => {
    const r = await cli(["diff", "git:v1.0.0:deploy/crds", "git:HEAD:deploy/crds", "--format", "json"], repo);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; crd: string; file?: string }[]; crds: { added: string[] } };
    expect(report.crds.added).toEqual(["gadgets.diff.example.com"]);
    expect(report.findings.map((f) => `${f.rule} ${f.crd}`)).toEqual(["crd-added gadgets.diff.example.com", "type-changed widgets.diff.example.com"]);
    expect(report.findings.every((f) => f.file === undefined)).toBe(true);
  });

  test("a commit against the working tree, from a subdirectory (paths relative to it); findings point at the working file", async () => {
    const r = await cli(["diff", "git:HEAD~1:crds/widgets.yaml", "crds/widgets.yaml", "--format", "json"], join(repo, "deploy"));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; file?: string; line?: number }[] };
    expect(report.findings).toEqual([expect.objectContaining({ rule: "type-changed", file: "crds/widgets.yaml", line: 18 })]);
  });

  test.each([
    ["a missing ref", "git:v9.9.9:deploy/crds", /git:v9\.9\.9:deploy\/crds: unknown git revision "v9\.9\.9"/],
    ["a missing path", "git:HEAD:deploy/nothing", /git:HEAD:deploy\/nothing: no such path at HEAD \([0-9a-f]{12}\)/],
    ["a malformed spec", "git:HEAD", /expected git:REF:PATH/],
  ])("%s exits 2", async (_name, spec, message) => {
    const r = await cli(["diff", spec, "git:HEAD:deploy/crds"], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test("outside a git repository", async () => {
    const outside = mkdtempSync(join(tmpdir(), "kcg-nogit-"));
    try {
      const r = await cli(["diff", "git:HEAD:crds", join(FIX, "type-changed/new.yaml")], outside);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/not a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
