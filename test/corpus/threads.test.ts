import { describe, expect, test, afterAll } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { IN_CI, REPO, SHARED_CRDS, sharedFixtures } from "../support/paths.js";

// The pool of worker threads only exists in compiled code: these tests run the built CLI.
const shared = sharedFixtures();
const union = shared.available ? readFileSync(join(SHARED_CRDS, "UNION.txt"), "utf8").trim().split("\n") : [];
const tmp = mkdtempSync(join(tmpdir(), "kcg-threads-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function generate(threads: number, crds: string[], out: string, ...extra: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO, "generator/dist/cli/main.js"), "generate", "--threads", String(threads), "--crds", ...crds, "--out", out, ...extra], { cwd: SHARED_CRDS, encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    const p = join(dir, f);
    if (f.endsWith(".ts") || f.endsWith(".json")) files.set(f, readFileSync(p, "utf8"));
  }
  return files;
}

(shared.available || IN_CI ? describe : describe.skip)("generation on worker threads", () => {
  test("the union gives the same files and notes on 1, 2 and 3 threads", () => {
    const runs = [1, 2, 3].map((threads) => {
      const out = join(tmp, `union-${threads}`);
      const r = generate(threads, union, out, "--validators");
      expect(r.status).toBe(0);
      return { files: tree(out), notes: r.stderr.replace(/under \S+/, "under <out>") };
    });
    const [one, ...others] = runs;
    // The validators' notes (the CEL rules they cannot check) come from a worker when there is one.
    expect(one?.notes).toContain("generated 319 kinds");
    expect(one?.files.size).toBeGreaterThan(600);
    for (const r of others) {
      expect(r.notes).toBe(one?.notes);
      expect([...r.files.keys()]).toEqual([...(one?.files.keys() ?? [])]);
      for (const [path, text] of r.files) if (text !== one?.files.get(path)) throw new Error(`${path} differs between 1 thread and more`);
    }
  }, 120_000);

  describe("bad input: the error the sequential load reports, and nothing written", () => {
    // A copy of the union in a temporary folder, with files broken in the middle and at the end
    // of the order, whichever thread parses them.
    const dir = join(tmp, "broken");
    const names = union.map((f, i) => `${String(i).padStart(3, "0")}-${basename(f)}`);
    const setUp = (): void => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      union.forEach((f, i) => copyFileSync(join(SHARED_CRDS, f), join(dir, names[i] ?? "")));
    };
    const run = (threads: number): { status: number | null; stderr: string; wrote: boolean } => {
      const out = join(tmp, `broken-out-${threads}`);
      const r = generate(threads, [dir], out);
      return { ...r, wrote: existsSync(out) };
    };
    const cases: [string, () => void, RegExp][] = [
      [
        "YAML syntax errors in two files and a refused CRD in an earlier one",
        () => {
          for (const i of [100, names.length - 1]) writeFileSync(join(dir, names[i] ?? ""), `${readFileSync(join(dir, names[i] ?? ""), "utf8")}\n---\nkey: [unclosed\n`);
          const early = join(dir, names[50] ?? "");
          writeFileSync(early, readFileSync(early, "utf8").replace(/scope: (Namespaced|Cluster)/, "scope: Everywhere"));
        },
        /100-.*YAML syntax error/,
      ],
      [
        "a refused CRD only",
        () => {
          const f = join(dir, names[7] ?? "");
          writeFileSync(f, readFileSync(f, "utf8").replace(/scope: (Namespaced|Cluster)/, "scope: Everywhere"));
        },
        /007-.*spec\.scope.*Unsupported value: "Everywhere"/,
      ],
      [
        "a refused CRD inside a List inside a List",
        () => {
          const f = join(dir, names[9] ?? "");
          const docs = parseAllDocuments(readFileSync(f, "utf8").replace(/scope: (Namespaced|Cluster)/, "scope: Everywhere")).map((d) => d.toJS() as unknown);
          writeFileSync(f, stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "List", items: docs }] }));
        },
        /009-[^,]*, document 1, line \d+: at spec\.scope: .*Unsupported value: "Everywhere"/,
      ],
    ];
    test.each(cases)("%s", (_name, breakIt, expected) => {
      setUp();
      breakIt();
      const [one, two, three] = [1, 2, 3].map(run);
      expect(one?.status).toBe(2);
      expect(one?.stderr).toMatch(expected);
      expect(one?.wrote).toBe(false);
      for (const r of [two, three]) expect(r).toEqual(one);
    }, 120_000);
  });
});
