import { describe, expect, test } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unsupportedNode } from "../../generator/src/cli/node-version.js";
import { REPO } from "../support/paths.js";
import { registryNode } from "../support/registry-node.js";

const ENGINES = (JSON.parse(readFileSync(join(REPO, "generator/package.json"), "utf8")) as { engines: { node: string } }).engines.node;

describe("unsupportedNode", () => {
  test.each([
    ["20.19.0", ">=22.19", false],
    ["22.18.9", ">=22.19", false],
    ["v22.19.0", ">=22.19", true],
    ["22.19.0", ">=22.19", true],
    ["22.20.1", ">=22.19", true],
    ["24.0.0", ">=22.19", true],
    ["23.0.0", ">=22.19.3", true],
    ["22.19.2", ">=22.19.3", false],
  ])("Node %s against %s: supported %s", (version, range, ok) => {
    const problem = unsupportedNode(version, range, "/usr/bin/node");
    if (ok) expect(problem).toBeUndefined();
    else expect(problem).toBe(`kube-codegen: error: Node.js ${version} (/usr/bin/node) is too old: kube-codegen needs Node.js ${range}`);
  });

  test("an engines range it cannot read is a bug of ours, said plainly", () => {
    expect(() => unsupportedNode("24.0.0", "^22.19 || >=24", "node")).toThrow('engines.node must be ">=MAJOR.MINOR[.PATCH]", not "^22.19 || >=24"');
  });
});

describe("the CLI on an unsupported Node", () => {
  // Node 20 from the npm registry, as .ci/run installs Node 24: the Node a fresh machine has.
  test("prints one line naming the version found and the one needed, and exits 2", () => {
    const node20 = registryNode(20);
    const version = spawnSync(node20, ["--version"], { encoding: "utf8" }).stdout.trim().replace(/^v/, "");
    expect(version).toMatch(/^20\./);
    const r = spawnSync(node20, [join(REPO, "generator/dist/cli/main.js"), "generate", "--config", "fixtures/kube-codegen.config.yaml", "--check"], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`kube-codegen: error: Node.js ${version} (${node20}) is too old: kube-codegen needs Node.js ${ENGINES}\n`);
    expect(r.status).toBe(2);
  }, 300_000);

  test("the same CLI runs on this Node", () => {
    const r = spawnSync(process.execPath, [join(REPO, "generator/dist/cli/main.js"), "generate", "--config", "fixtures/kube-codegen.config.yaml", "--check", "--quiet"], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
