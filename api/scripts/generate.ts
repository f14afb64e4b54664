// Regenerates api/src from the pinned test API server's /openapi/v3 (`npm run generate:api`), or
// with --check says whether api/src is up to date. Needs the envtest binaries (@kube-codegen/envtest).
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findBinaries, startApiServer } from "@kube-codegen/envtest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const { runCli } = (await import(join(REPO, "generator/dist/index.js"))) as typeof import("../../generator/src/index.js");

const binaries = findBinaries(true);
if ("missing" in binaries) {
  process.stderr.write(`generate:api needs a kube-apiserver: ${binaries.missing}\n`);
  process.exit(2);
}
const server = await startApiServer({ binaries });
let code = 2;
try {
  code = await runCli(
    ["generate", "--openapi", "cluster", "--kubeconfig", server.kubeconfigPath, "--context", "admin", "--out", join(REPO, "api/src"), ...process.argv.slice(2)],
    { cwd: REPO, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), readStdin: () => "" },
  );
} finally {
  await server.stop();
}
process.exit(code);
