import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { REPO } from "../support/paths.js";
import { registryNode } from "../support/registry-node.js";
import { userEnv } from "../support/user-project.js";

// The README's first command on a fresh machine: a copy of the work tree (what is committed plus
// what is not yet), a PATH whose only Node is 20 (from the npm registry, the system Node of the
// machines this project runs on), and the command exactly as the README's first line says.

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kcg-fresh-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The README's first shell block, its commands without comments. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const block = /^```sh\n([\s\S]*?)\n```/m.exec(readme)?.[1] ?? "";
  return block.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim());
}

test("the README starts with the two commands: generate from fixtures/, run all tests", () => {
  expect(readmeCommands()).toEqual(["npm install && npm run generate:example", "npm test"]);
});

test("on a machine whose only Node is 20, the README's first command generates fixtures/generated and leaves git status clean", () => {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: REPO, encoding: "utf8" }).split("\n").filter((f) => f !== "");
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    try {
      copyFileSync(join(REPO, f), join(dir, f));
    } catch {
      // deleted in the work tree but not yet in the index
    }
  }
  const git = (...args: string[]): string => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir, encoding: "utf8" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "fresh clone");

  const node20 = dirname(registryNode(20));
  const others = (userEnv()["PATH"] ?? "").split(delimiter).filter((p) => p !== dirname(process.execPath) && !p.includes(join("kube-codegen", "node")));
  const env = { ...userEnv(), PATH: [node20, ...others].join(delimiter) };
  expect(spawnSync("node", ["--version"], { env, encoding: "utf8" }).stdout).toMatch(/^v20\./);

  const [first = ""] = readmeCommands();
  const r = spawnSync("sh", ["-c", first], { cwd: dir, env, encoding: "utf8", timeout: 400_000, maxBuffer: 64 << 20 });
  const output = `${r.stdout}${r.stderr}`;
  expect(output).not.toMatch(/SyntaxError|globSync/);
  expect(output).toMatch(/generated 24 kinds in 71 files under fixtures\/generated \(0 written, 0 removed\)/);
  expect(r.status).toBe(0);
  expect(git("status", "--porcelain")).toBe("");
}, 420_000);
