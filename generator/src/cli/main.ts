#!/usr/bin/env -S node --max-semi-space-size=16
// The young generation is capped at 16 MB: generation allocates many short-lived strings, and
// V8's default lets the heap grow far past the live data (measured on the union corpus: 379 MB
// peak RSS without, 277 MB with, and no slower). It must be a startup flag, hence the shebang.
//
// Only the Node version check is imported statically: the rest of the CLI uses APIs an old Node
// lacks (node:fs globSync), which would fail while linking, with a SyntaxError and a stack trace,
// before any line of this file ran. So the CLI proper is loaded once the version is known good.
import { readFileSync } from "node:fs";
import { unsupportedNode } from "./node-version.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { engines: { node: string } };
const problem = unsupportedNode(process.versions.node, pkg.engines.node, process.execPath);
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 2;
} else {
  const { runCli } = await import("./run.js");
  process.exitCode = await runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: () => readFileSync(0, "utf8"),
  });
}
