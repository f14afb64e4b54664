// What the generation benchmarks share: the union corpus, the peers installed into bench/.peers
// (git-ignored, never the project's dependencies), and the OpenAPI document openapi-typescript gets.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "../../generator/node_modules/js-yaml/index.js";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED = process.env.KUBE_CODEGEN_SHARED ?? resolve(REPO, "../shared");
export const CRDS = join(SHARED, "fixtures/crds");
export const PEERS = join(REPO, "bench/.peers");

const PEER_PACKAGES = {
  "openapi-typescript": "7.13.0",
  "@kubernetes-models/crd-generate": "5.1.0",
  "cdk8s-cli": "2.207.60",
  "kubernetes-fluent-client": "3.11.11",
};

/** Progress to stderr (stdout carries the sections). */
export function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** The files of the union corpus (`UNION.txt`), absolute. */
export function unionFiles() {
  return readFileSync(join(CRDS, "UNION.txt"), "utf8").trim().split("\n").map((f) => join(CRDS, f));
}

/** Every YAML document of the files. */
export function loadDocs(files) {
  return files.flatMap((f) => yaml.loadAll(readFileSync(f, "utf8")).filter(Boolean));
}

/** Installs the peers into bench/.peers unless the same set is there already. */
export function installPeers() {
  const want = JSON.stringify({
    name: "kube-codegen-bench-peers",
    private: true,
    dependencies: PEER_PACKAGES,
    // kubernetes-fluent-client installs only with this quicktype-core (and Node >= 22.19).
    overrides: { "quicktype-core": "25.1.0" },
  }, null, 2);
  mkdirSync(PEERS, { recursive: true });
  const pj = join(PEERS, "package.json");
  if (existsSync(pj) && readFileSync(pj, "utf8") === want && existsSync(join(PEERS, "node_modules/.bin/cdk8s"))) return;
  writeFileSync(pj, want);
  log("installing peers into bench/.peers");
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: PEERS, stdio: "inherit" });
  if (r.status !== 0) throw new Error("npm install of the peers failed");
}

/** A peer's installed bin. */
export function peerBin(name) {
  return join(PEERS, "node_modules/.bin", name);
}

/** Writes the one OpenAPI document openapi-typescript gets: every served version's schema as a component. */
export function writeOpenApiDocument(docs, file) {
  const schemas = {};
  for (const d of docs) {
    for (const v of d.spec.versions) {
      if (!v.served) continue;
      schemas[`${d.spec.group}.${v.name}.${d.spec.names.kind}`] = v.schema.openAPIV3Schema;
    }
  }
  writeFileSync(file, JSON.stringify({ openapi: "3.0.3", info: { title: "union", version: "1" }, paths: {}, components: { schemas } }));
  return file;
}
