import { describe, expect, test } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as prettier from "prettier";
import { generateFromOpenApi } from "../../generator/src/generate-openapi.js";
import { parseOpenApiDocuments } from "../../generator/src/load/openapi.js";
import { buildOpenApiModel, builtinAccessorBase } from "../../generator/src/model/openapi.js";
import type { KindModel } from "../../generator/src/model/api.js";
import type { SourceText } from "../../generator/src/load/sources.js";
import { REPO } from "../support/paths.js";

const DIR = join(REPO, "fixtures/openapi");
const sources = (): SourceText[] => readdirSync(DIR).sort().map((f) => ({ name: `fixtures/openapi/${f}`, text: readFileSync(join(DIR, f), "utf8") }));
const doc = (name: string, value: unknown): SourceText => ({ name, text: JSON.stringify(value) });

function kinds(): Map<string, KindModel> {
  const { model } = buildOpenApiModel(parseOpenApiDocuments(sources()).documents);
  return new Map(model.groups.flatMap((g) => g.versions.flatMap((v) => v.kinds.map((k) => [`${v.apiVersion}/${k.kind}`, k] as const))));
}

describe("OpenAPI v3 input: resources from the paths", () => {
  test.each([
    ["v1/ConfigMap", { plural: "configmaps", scope: "Namespaced", accessor: "configMaps", verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"], smp: true, status: false, scale: false, extra: [] }],
    ["v1/Namespace", { plural: "namespaces", scope: "Cluster", accessor: "namespaces", verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"], smp: true, status: true, scale: false, extra: [] }],
    ["v1/Pod", { plural: "pods", scope: "Namespaced", accessor: "pods", verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"], smp: true, status: true, scale: false, extra: ["log", "eviction"] }],
    ["v1/Binding", { plural: "bindings", scope: "Namespaced", accessor: "bindings", verbs: ["create"], smp: false, status: false, scale: false, extra: [] }],
    ["apps/v1/Deployment", { plural: "deployments", scope: "Namespaced", accessor: "deployments", verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"], smp: true, status: true, scale: true, extra: [] }],
  ])("%s", (key, want) => {
    const k = kinds().get(key);
    expect(k).toBeDefined();
    expect({
      plural: k?.plural,
      scope: k?.scope,
      accessor: k?.resourceAccessor,
      verbs: k?.builtin?.verbs,
      smp: k?.builtin?.strategicMergePatch,
      status: k?.subresources.status,
      scale: k?.subresources.scale !== undefined,
      extra: k?.builtin?.extraSubresources,
    }).toEqual(want);
  });

  test("the scale subresource maps the kind's spec.replicas and status.replicas", () => {
    expect(kinds().get("apps/v1/Deployment")?.subresources.scale).toEqual({ specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: undefined });
  });

  test.each([
    ["", "core"],
    ["apps", "apps"],
    ["rbac.authorization.k8s.io", "rbacAuthorization"],
    ["events.k8s.io", "events"],
    ["flowcontrol.apiserver.k8s.io", "flowcontrolApiserver"],
    ["apiregistration.k8s.io", "apiregistration"],
  ])("accessor base of group %j is %s", (group, base) => {
    expect(builtinAccessorBase(group)).toBe(base);
  });
});

describe("OpenAPI v3 input: shared definitions and wire types", () => {
  test("a definition is declared once, in its package's group version, and imported where used", async () => {
    const { files } = await generateFromOpenApi(sources(), { out: "/nonexistent" });
    const core = files.get("core/v1/types.ts") ?? "";
    const apps = files.get("apps/v1/types.ts") ?? "";
    expect(core).toMatch(/^export interface PodTemplateSpec \{$/m);
    expect(apps).not.toMatch(/interface PodTemplateSpec/);
    expect(apps).toContain('import type * as coreV1 from "../../core/v1/types.js";');
    expect(apps).toMatch(/^ {2}template: coreV1\.PodTemplateSpec;$/m);
    // meta/v1 types no served group version owns get a types-only module.
    expect(files.get("meta/v1/types.ts")).toMatch(/^export interface LabelSelector \{$/m);
    expect(apps).toMatch(/^ {2}selector: metaV1\.LabelSelector;$/m);
    expect(files.get("index.ts")).toContain('export type * as metaV1 from "./meta/v1/types.js";');
  });

  test("ObjectMeta, ListMeta, Time and IntOrString are the runtime's wire types", async () => {
    const { files } = await generateFromOpenApi(sources(), { out: "/nonexistent" });
    expect(files.get("apps/v1/types.ts")).toMatch(/^import type \{ ListMeta, ObjectMeta, Time \} from "@kube-codegen\/runtime";$/m);
    expect(files.get("apps/v1/types.ts")).toMatch(/^ {2}lastUpdate\?: Time;$/m);
    expect(files.get("core/v1/types.ts")).toMatch(/^ {2}port\?: IntOrString;$/m);
    expect(files.get("core/v1/types.ts")).not.toMatch(/interface ObjectMeta|interface ListMeta/);
    expect(files.get("meta/v1/types.ts")).not.toMatch(/ObjectMeta|Time\b/);
  });

  test("required follows the schema (also with a default), enums are aliases, merge keys are documented", async () => {
    const { files } = await generateFromOpenApi(sources(), { out: "/nonexistent" });
    const core = files.get("core/v1/types.ts") ?? "";
    expect(core).toMatch(/^ {2}name: string;$/m);
    expect(core).toMatch(/^export type NamespaceStatusPhase = "Active" \| "Terminating";$/m);
    expect(core).toContain("@patchStrategy merge (key: name)");
    expect(files.get("apps/v1/types.ts")).toMatch(/^ {2}revision: number;$/m);
    expect(files.get("apps/v1/types.ts")).toMatch(/^ {2}data\?: apimachineryRuntime\.RawExtension;$/m);
  });

  test("descriptors carry verbs and strategicMergePatch; informers only for listable, watchable kinds", async () => {
    const { files } = await generateFromOpenApi(sources(), { out: "/nonexistent" });
    expect(files.get("core/v1/binding.ts")).toMatch(/verbs: \["create"\],/);
    expect(files.get("core/v1/binding.ts")).not.toContain("strategicMergePatch");
    expect(files.get("apps/v1/deployment.ts")).toContain("  strategicMergePatch: true,");
    expect(files.get("core/v1/pod.ts")).toMatch(/ {4}log: true,\n {4}eviction: true,/);
    const client = files.get("core/v1/client.ts") ?? "";
    expect(client).toMatch(/^ {2}bindings\(namespace\?: string\): BindingClient;$/m);
    expect(client).not.toMatch(/^ {2}bindings\(\): BindingInformer;$/m);
    expect(client).toMatch(/^ {2}namespaces\(\): NamespaceInformer;$/m);
  });

  test("a definition named like a runtime type gets a name of its own; the runtime's keeps its name", async () => {
    const core = JSON.parse(readFileSync(join(DIR, "api__v1.json"), "utf8")) as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    core.components.schemas["io.k8s.api.core.v1.Condition"] = { type: "object", properties: { message: { type: "string" } } } as never;
    const status = core.components.schemas["io.k8s.api.core.v1.NamespaceStatus"];
    if (status?.properties !== undefined) {
      status.properties["conditions"] = { type: "array", items: { $ref: "#/components/schemas/io.k8s.api.core.v1.Condition" } };
      status.properties["since"] = { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" };
      status.properties["metaConditions"] = { type: "array", items: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Condition" } };
    }
    const edited = sources().map((s) => (s.name.endsWith("/api__v1.json") ? { ...s, text: JSON.stringify(core) } : s));
    const { files } = await generateFromOpenApi(edited, { out: "/nonexistent" });
    const types = files.get("core/v1/types.ts") ?? "";
    expect(types).toMatch(/^export interface Condition2 \{$/m);
    expect(types).toMatch(/^ {2}conditions\?: Condition2\[\];$/m);
    expect(types).toMatch(/^ {2}since\?: Time;$/m);
    expect(types).toMatch(/^ {2}metaConditions\?: Condition\[\];$/m);
    expect(types).toMatch(/^ {2}Condition,$/m); // imported from the runtime beside the local Condition2
  });

  test("with --group, other group versions give their types but no clients", async () => {
    const { files } = await generateFromOpenApi(sources(), { out: "/nonexistent", groups: ["apps"] });
    expect(files.has("apps/v1/client.ts")).toBe(true);
    expect(files.has("core/v1/client.ts")).toBe(false);
    expect(files.get("core/v1/types.ts")).toMatch(/^export interface PodTemplateSpec \{$/m);
    expect(files.get("index.ts")).toContain('export type * as coreV1 from "./core/v1/types.js";');
  });

  test("deterministic whatever the order of the documents, and already in prettier's layout", async () => {
    const a = await generateFromOpenApi(sources(), { out: "/nonexistent" });
    const b = await generateFromOpenApi([...sources()].reverse(), { out: "/nonexistent", format: "never" });
    expect([...b.files.entries()]).toEqual([...a.files.entries()]);
    for (const [path, text] of b.files) {
      if (path.endsWith(".ts")) expect({ path, text: await prettier.format(text, { parser: "typescript" }) }).toEqual({ path, text });
    }
  });
});

describe("OpenAPI v3 input: what is skipped and what is refused", () => {
  const base = { openapi: "3.0.0", info: { title: "t", version: "1" } };
  test("a custom resource's group version is left to the CRD path, with a note", async () => {
    const crd = doc("crd.json", {
      ...base,
      paths: { "/apis/shop.example.com/v1/widgets": { get: { "x-kubernetes-action": "list", "x-kubernetes-group-version-kind": { group: "shop.example.com", version: "v1", kind: "Widget" } } } },
      components: { schemas: { "com.example.shop.v1.Widget": { type: "object", "x-kubernetes-group-version-kind": [{ group: "shop.example.com", version: "v1", kind: "Widget" }] } } },
    });
    const { model, notes } = buildOpenApiModel(parseOpenApiDocuments([...sources(), crd]).documents);
    expect(model.groups.map((g) => g.name)).toEqual(["", "apps"]);
    expect(notes).toContain("/apis/shop.example.com/v1: no built-in (io.k8s.*) resources; custom resources are generated from their CRDs (--crds or --cluster)");
    // Neither clients nor types: the CRD's own generation owns them.
    const { files } = await generateFromOpenApi([...sources(), crd], { out: "/nonexistent" });
    expect([...files.keys()].filter((f) => f.startsWith("com/") || f.includes("shop"))).toEqual([]);
  });

  test.each([
    ["not JSON", doc("a.json", "x").text.slice(1), /a\.json: not JSON/],
    ["not OpenAPI 3", JSON.stringify({ swagger: "2.0", paths: {} }), /a\.json: not an OpenAPI 3 document/],
    ["two group versions", JSON.stringify({ ...base, paths: { "/api/v1/pods": {}, "/apis/apps/v1/deployments": {} } }), /a\.json: at paths: paths of more than one group version in one document \(\/api\/v1, \/apis\/apps\/v1\)/],
  ])("%s", (_name, text, message) => {
    expect(() => parseOpenApiDocuments([{ name: "a.json", text }])).toThrow(message);
  });

  test("a $ref to a definition the documents do not have names both", () => {
    const text = readFileSync(join(DIR, "apis__apps__v1.json"), "utf8").replace('"#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec"', '"#/components/schemas/io.k8s.api.core.v1.Missing"');
    const broken = sources().map((s) => (s.name.endsWith("apis__apps__v1.json") ? { ...s, text } : s)).filter((s) => !s.name.endsWith("api__v1.json"));
    expect(() => buildOpenApiModel(parseOpenApiDocuments(broken).documents)).toThrow(/apis__apps__v1\.json: io\.k8s\.api\.apps\.v1\.DeploymentSpec: \$ref to io\.k8s\.api\.core\.v1\.Missing, which the document does not define/);
  });

  test("a $ref outside the document is refused", () => {
    const text = readFileSync(join(DIR, "apis__apps__v1.json"), "utf8").replace('"#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec"', '"other.json#/PodTemplateSpec"');
    expect(() => buildOpenApiModel(parseOpenApiDocuments([{ name: "x.json", text }]).documents)).toThrow(/unsupported \$ref "other\.json#\/PodTemplateSpec"/);
  });
});

describe("composing CRD clients with the built-ins", () => {
  async function cli(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
    const { runCli } = await import("../../generator/src/cli/run.js");
    let stderr = "";
    const code = await runCli(args, { cwd, stdout: () => undefined, stderr: (t) => (stderr += t), readStdin: () => "" });
    return { code, stderr };
  }

  test("--builtins and the config's builtins: Clientset and InformerFactory extend the package's, on its connection and factory", async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "kcg-builtins-"));
    try {
      expect((await cli(["generate", "--crds", join(REPO, "fixtures/crds/widgets.yaml"), "--builtins", "--out", "a", "--quiet"], dir)).code).toBe(0);
      const index = readFileSync(join(dir, "a/index.ts"), "utf8");
      expect(index).toContain('import * as builtinApi from "@kube-codegen/api";');
      expect(index).toContain('export * from "@kube-codegen/api";');
      expect(index).toContain("export interface Clientset extends builtinApi.Clientset {");
      // One connection: the composed clientset is the package's on the same RestClient, plus the CRDs'.
      expect(index).toContain("  return clientsetFor(createRestClient(config));");
      expect(index).toContain("    ...builtinApi.clientsetFor(rest),");
      expect(index).toContain("export interface InformerFactory extends builtinApi.InformerFactory {");
      expect(index).toContain("  const base = builtinApi.createInformerFactory(clientset, options);");
      writeFileSync(join(dir, "kube-codegen.config.yaml"), `crds: [${JSON.stringify(join(REPO, "fixtures/crds/widgets.yaml"))}]\nout: b\nbuiltins: "@acme/k8s-api"\n`);
      expect((await cli(["generate", "--quiet"], dir)).code).toBe(0);
      expect(readFileSync(join(dir, "b/index.ts"), "utf8")).toContain('import * as builtinApi from "@acme/k8s-api";');
      writeFileSync(join(dir, "kube-codegen.config.yaml"), "crds: [x]\nout: c\nbuiltins: 3\n");
      const bad = await cli(["generate"], dir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/kube-codegen\.config\.yaml: builtins must be true, false or a package name/);
      // Without it, the output stands alone (the golden files are generated so).
      rmSync(join(dir, "kube-codegen.config.yaml"));
      expect((await cli(["generate", "--crds", join(REPO, "fixtures/crds/widgets.yaml"), "--out", "d", "--quiet"], dir)).code).toBe(0);
      expect(readFileSync(join(dir, "d/index.ts"), "utf8")).not.toContain("builtinApi");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("generate --openapi: what the CLI refuses", () => {
  test.each([
    [["--openapi", "fixtures/openapi", "--validators"], "--validators is for CRDs; the built-in APIs are validated by the API server itself"],
    [["--openapi", "fixtures/openapi", "--crds", "fixtures/crds"], "--openapi generates built-in APIs; CRDs (--crds, --cluster) are a separate run whose output composes with it (--builtins)"],
    [["--openapi", "fixtures/openapi", "--crd", "widgets.*"], "--crd selects CRDs; with --openapi use --group"],
    [["--openapi", "cluster", "fixtures/openapi"], "--openapi cluster reads every document from the cluster; do not mix it with files"],
    [["--openapi", "fixtures/openapi"], "no output directory: pass --out or set out in the config file"],
  ])("%j", async (args, message) => {
    const { runCli } = await import("../../generator/src/cli/run.js");
    let stderr = "";
    const out = args.includes("--out") || message.startsWith("no output") ? [] : ["--out", "/nonexistent/never-written"];
    const code = await runCli(["generate", ...args, ...out], { cwd: REPO, stdout: () => undefined, stderr: (t) => (stderr += t), readStdin: () => "" });
    expect({ code, stderr }).toEqual({ code: 2, stderr: `kube-codegen: error: ${message}\n` });
  });
});

test("composing: a CRD group whose accessor a built-in group has is refused at generate time (needs api built)", async () => {
  const { mkdirSync, rmSync, writeFileSync } = await import("node:fs");
  const { runCli } = await import("../../generator/src/cli/run.js");
  // Inside the repository, where @kube-codegen/api resolves (the workspace package).
  const dir = join(REPO, ".tmp", `clash-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, "crd.yaml"), readFileSync(join(REPO, "fixtures/crds/widgets.yaml"), "utf8").replace(/shop\.example\.com/g, "events.example.com"));
    let stderr = "";
    const io = { cwd: dir, stdout: () => undefined, stderr: (t: string) => void (stderr += t), readStdin: () => "" };
    expect(await runCli(["generate", "--crds", "crd.yaml", "--builtins", "--out", "out", "--quiet"], io)).toBe(2);
    expect(stderr).toBe("kube-codegen: error: groups @kube-codegen/api (built-in) and events.example.com both get the clientset accessor eventsV1; set groupAliases in the config to tell them apart\n");
    writeFileSync(join(dir, "kube-codegen.config.yaml"), "crds: [crd.yaml]\nout: out\nbuiltins: true\ngroupAliases: { events.example.com: exampleEvents }\n");
    stderr = "";
    expect(await runCli(["generate", "--quiet"], io)).toBe(0);
    expect(readFileSync(join(dir, "out/index.ts"), "utf8")).toContain("  readonly exampleEventsV1: exampleEventsV1.ExampleEventsV1Client;");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
