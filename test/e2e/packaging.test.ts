import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createResourceClient, isAlreadyExists, namespaceResource, type KubeObject, type ResourceDescriptor, type RestClient } from "@kube-codegen/runtime";
import { describeE2E } from "../support/e2e.js";
import { IN_CI, REPO, SHARED_CRDS, sharedFixtures } from "../support/paths.js";
import { codeBlocks, type CodeBlock } from "../support/readme.js";
import { rootDevDependency, run, tsc, userEnv, USER_COMPILER_OPTIONS, writeJson } from "../support/user-project.js";
import { adminRest, installCrds } from "./support.js";

// The packages as a user gets them: `npm pack` of every workspace package, installed from the
// tarballs into a project of its own in the system's temp folder (no workspace, no access to the
// repository's node_modules), then the README's quick start and code blocks, as written there.

interface Workspace {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly exports: Record<string, string | Record<string, string>>;
  readonly bin?: Record<string, string>;
}
/** Every package the workspace publishes (not the private examples). */
const PACKAGES: readonly Workspace[] = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { workspaces: string[] }).workspaces
  .map((dir) => ({ dir, ...(JSON.parse(readFileSync(join(REPO, dir, "package.json"), "utf8")) as Omit<Workspace, "dir">) }))
  .filter((w) => w.private !== true);
const CERT_CRD = join(SHARED_CRDS, "cert-manager/cert-manager.io_certificates.yaml");

/** A tarball `npm run pack` wrote, and the files in it. */
interface Packed {
  readonly workspace: Workspace;
  readonly path: string;
  readonly files: readonly string[];
}

/** The README's TypeScript blocks, each a module of the user's program (src/readme-N.ts). */
const BLOCKS: readonly CodeBlock[] = codeBlocks(join(REPO, "README.md")).filter((b) => b.lang === "ts");

/**
 * What the README's blocks leave to the reader: a logger, a work queue, an HTTP reply and a request
 * body. Defined here, once, and imported first by every block.
 */
const PRELUDE = `import type { KubeObject } from "@kube-codegen/runtime";

declare global {
  var log: { warn(context: unknown, err: unknown): void };
  var enqueue: (obj: KubeObject) => void;
  var signal: AbortSignal;
  var reply: (status: number, body: unknown) => void;
  var body: string;
  var input: unknown;
}

globalThis.log = { warn: (context, err) => console.log("warn", JSON.stringify(context), String(err)) };
globalThis.enqueue = (cert) => console.log(\`enqueue \${cert.metadata.namespace}/\${cert.metadata.name}\`);
globalThis.signal = AbortSignal.timeout(60_000);
globalThis.reply = (status, body) => console.log("reply", status, JSON.stringify(body));
const cert = { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "api", namespace: "payments" } };
globalThis.body = JSON.stringify({ ...cert, spec: { secretName: "api-tls", issuerRef: { name: "le" }, dnsNames: "api.example.com" } });
globalThis.input = { ...cert, spec: { secretName: "api-tls", issuerRef: { name: "le" }, dnsNames: ["api.example.com"] } };
`;

let work = "";
let app = "";
let packed: Packed[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "kcg-packaging-"));
}, 10_000);
afterAll(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

test("README.md has TypeScript blocks to build a program from", () => {
  expect(BLOCKS.length).toBeGreaterThanOrEqual(4);
});

test("npm run pack (the README's Install): each tarball holds the build, package.json, LICENSE and README, and nothing else", () => {
  expect(PACKAGES.map((p) => p.name).sort()).toEqual(expect.arrayContaining(["@kube-codegen/runtime", "kube-codegen"]));
  const dest = join(REPO, ".tmp/packages");
  rmSync(dest, { recursive: true, force: true });
  run("npm", ["run", "pack"], REPO);
  packed = PACKAGES.map((workspace) => {
    const path = join(dest, `${workspace.name.replace(/^@/, "").replace("/", "-")}-${workspace.version}.tgz`);
    const files = run("tar", ["-tzf", path], work).stdout.split("\n").filter((f) => f !== "" && !f.endsWith("/")).map((f) => f.replace(/^package\//, ""));
    return { workspace, path, files };
  });
  for (const { workspace, path, files } of packed) {
    const unexpected = files.filter((f) => !/^(dist\/.+\.(js|d\.ts)|schema\/[^/]+\.json|[^/]+\.sh|package\.json|LICENSE|README\.md)$/.test(f));
    expect({ name: workspace.name, unexpected }).toEqual({ name: workspace.name, unexpected: [] });
    expect(files).toEqual(expect.arrayContaining(["package.json", "LICENSE", "README.md", "dist/index.js", "dist/index.d.ts"]));
    // Everything package.json points at is in the tarball.
    const targets = [...Object.values(workspace.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e))), ...Object.values(workspace.bin ?? {})];
    for (const t of targets) expect(files).toContain(t.replace(/^\.\//, ""));
    // No source map, and no comment pointing at one.
    const dir = join(work, `unpacked-${workspace.dir}`);
    mkdirSync(dir);
    run("tar", ["-xzf", path, "-C", dir], work);
    expect(files.filter((f) => f.endsWith(".js") && readFileSync(join(dir, "package", f), "utf8").includes("sourceMappingURL"))).toEqual([]);
    process.stderr.write(`[packaging] ${workspace.name}: ${files.length} files, ${statSync(path).size} bytes packed\n`);
  }
}, 120_000);

test("the tarballs install into a fresh project outside the workspace, from the npm cache", () => {
  expect(packed.length).toBe(PACKAGES.length);
  app = join(work, "app");
  mkdirSync(join(app, "crds"), { recursive: true });
  writeJson(join(app, "package.json"), { name: "user-app", version: "1.0.0", private: true, type: "module" });
  const common = ["install", "--prefer-offline", "--no-audit", "--no-fund"];
  // As the README says: the runtime (and any other library package) first, then the generator as a devDependency.
  const generator = packed.filter((p) => p.workspace.bin !== undefined);
  run("npm", [...common, ...packed.filter((p) => p.workspace.bin === undefined).map((p) => p.path)], app);
  // The README's test examples import @jest/globals: the version the workspace's jest uses (cached).
  const jestGlobals = (JSON.parse(readFileSync(join(REPO, "node_modules/@jest/globals/package.json"), "utf8")) as { version: string }).version;
  run("npm", [...common, "--save-dev", ...generator.map((p) => p.path), `@types/node@${rootDevDependency("@types/node")}`, `@jest/globals@${jestGlobals}`], app);
  for (const p of packed) expect(existsSync(join(app, "node_modules", p.workspace.name, "package.json"))).toBe(true);
  expect(existsSync(join(app, "node_modules/.bin/kube-codegen"))).toBe(true);
  // A real install, not a link back into the repository.
  const resolved = spawnSync(process.execPath, ["--input-type=module", "-e", 'console.log(import.meta.resolve("@kube-codegen/runtime"))'], { cwd: app, env: userEnv(), encoding: "utf8" });
  expect(resolved.stdout.trim()).toBe(`file://${join(app, "node_modules/@kube-codegen/runtime/dist/index.js")}`);
}, 300_000);

const shared = sharedFixtures();
const needShared = (): void => {
  if (!shared.available && IN_CI) throw new Error(shared.reason);
};

test("npx kube-codegen generate, as in the README's quick start, writes the clients", () => {
  needShared();
  if (!shared.available) return;
  const quickStart = codeBlocks(join(REPO, "README.md")).find((b) => b.lang === "sh" && b.heading === "Quick start");
  const command = quickStart?.code.split("\n")[0] ?? "";
  expect(command).toBe("npx kube-codegen generate --crds ./crds --out ./src/generated");
  copyFileSync(CERT_CRD, join(app, "crds/certificates.yaml"));
  // The README's Webhooks section converts between the two versions of our fixture Gizmo.
  copyFileSync(join(REPO, "fixtures/webhooks/crds/gizmos.yaml"), join(app, "crds/gizmos.yaml"));
  // The README's validators section needs --validators on top.
  const [npx = "", ...args] = command.split(" ");
  // The built-ins section composes the CRD clients with @kube-codegen/api: --builtins.
  const r = run(npx, ["--no", ...args, "--validators", "--builtins"], app);
  expect(r.stderr).toMatch(/generated 3 kinds in \d+ files under src\/generated/);
  expect(existsSync(join(app, "src/generated/cert-manager.io/v1/validate.ts"))).toBe(true);
}, 120_000);

test("the README's code blocks type-check in the user's project with tsc 5.9 and 7 (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, skipLibCheck false)", () => {
  needShared();
  if (!shared.available) return;
  writeFileSync(join(app, "src/prelude.ts"), PRELUDE);
  BLOCKS.forEach((b, i) => writeFileSync(join(app, `src/readme-${i + 1}.ts`), `// README.md line ${b.line} (${b.heading})\nimport "./prelude.js";\n${b.code}`));
  writeJson(join(app, "tsconfig.json"), { compilerOptions: { ...USER_COMPILER_OPTIONS, rootDir: "src", outDir: "dist" }, include: ["src"] });
  const ts7 = tsc("ts7", app, ["--noEmit"]);
  expect(ts7.output).toBe("");
  const ts5 = tsc("ts5", app); // emits dist/, which the next test runs
  expect(ts5.output).toBe("");
  expect(ts5.ok && ts7.ok).toBe(true);
}, 180_000);

/** The README block that contains `marker`, compiled: dist/readme-N.js. */
function compiledBlock(marker: string): string {
  const i = BLOCKS.findIndex((b) => b.code.includes(marker));
  if (i < 0) throw new Error(`no README ts block contains ${marker}`);
  return join(app, `dist/readme-${i + 1}.js`);
}

test("the README's validator block runs: a wrong body answers 422 with the problem, a good object parses", () => {
  needShared();
  if (!shared.available) return;
  const r = run(process.execPath, [compiledBlock("validateCertificate.validate(")], app, {}, 60_000);
  const problem = { path: ".spec.dnsNames", message: "must be array", type: "Invalid value", text: 'spec.dnsNames: Invalid value: "string": spec.dnsNames in body must be of type array: "string"' };
  expect(r.stdout).toBe(`reply 422 ${JSON.stringify([problem])}\n`);
});

describeE2E("the packaged runtime against the real API server", (server) => {
  let rest: RestClient;
  beforeAll(async () => {
    if (!shared.available) return;
    rest = adminRest(server.kubeconfigPath);
    await installCrds(rest, [CERT_CRD]);
  }, 60_000);
  afterAll(() => rest?.close());

  test("the README's operator block syncs an informer from the cluster and hands the certificate to its handler", async () => {
    needShared();
    if (!shared.available) return;
    const certificates: ResourceDescriptor = {
      group: "cert-manager.io",
      version: "v1",
      kind: "Certificate",
      listKind: "CertificateList",
      plural: "certificates",
      singular: "certificate",
      shortNames: [],
      categories: [],
      scope: "Namespaced",
      subresources: { status: true },
    };
    type Dyn = { object: KubeObject; list: { metadata: { resourceVersion?: string }; items: KubeObject[] }; descriptor: ResourceDescriptor };
    for (const [descriptor, obj] of [
      [namespaceResource, { apiVersion: "v1", kind: "Namespace", metadata: { name: "payments" } }],
      [certificates, { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "api", namespace: "payments" }, spec: { secretName: "api-tls", issuerRef: { name: "letsencrypt" } } }],
    ] as const) {
      try {
        await createResourceClient<Dyn>(rest, descriptor).create(obj as KubeObject);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
    const r = run(process.execPath, [compiledBlock("createInformerFactory(")], app, { KUBECONFIG: server.kubeconfigPath }, 60_000);
    expect(r.stdout.split("\n")).toContain("enqueue payments/api");
    expect(r.stderr).toBe("");
  }, 90_000);
});
