import type { ApiModel, GroupVersionModel, KindModel } from "../model/api.js";
import { descriptorName } from "./kind-file.js";
import { exportList, importLine, jsdoc, layoutArrowProperty, layoutPropertyValue, layoutSignature, stringLiteral } from "./print.js";
import { GENERATED_HEADER, type EmittedFile } from "./types-file.js";

/** Resource accessor parameters: namespaced kinds take an optional namespace (all namespaces without). */
function accessorParams(kind: KindModel): string[] {
  return kind.scope === "Namespaced" ? ["namespace?: string"] : [];
}

/** Whether a kind gets an informer: it must be listable and watchable (every CRD is). */
function hasInformer(kind: KindModel): boolean {
  const verbs = kind.builtin?.verbs;
  return verbs === undefined || (verbs.includes("list") && verbs.includes("watch"));
}

/** `<group>/<version>/client.ts`: the group version's client interface and factory. */
export function emitGroupVersionClient(gv: GroupVersionModel): EmittedFile {
  let exact = true;
  const lines: string[] = [
    GENERATED_HEADER,
    "",
    ...importLine(["createResourceClient", "type RestClient", "type SharedInformerFactory"], "@kube-codegen/runtime", false),
  ];
  for (const k of gv.kinds) {
    const names = [descriptorName(k), `type ${k.companionNames.client}`, `type ${k.companionNames.informer}`, `type ${k.companionNames.kindTypes}`];
    lines.push(...importLine(names, `./${k.fileName}.js`, false));
  }
  lines.push("", ...jsdoc("", `The ${gv.apiVersion} resources.`, []), `export interface ${gv.clientTypeName} {`);
  for (const k of gv.kinds) {
    const what = k.scope === "Namespaced" ? `${k.kind} objects in \`namespace\`, or in all namespaces when it is left out.` : `${k.kind} objects (cluster-scoped).`;
    lines.push(...jsdoc("  ", what, []));
    const sig = layoutSignature("  ", k.resourceAccessor, accessorParams(k), `: ${k.companionNames.client};`);
    lines.push(...sig.lines);
    exact &&= sig.exact;
  }
  lines.push("}", "");
  lines.push(...jsdoc("", `The ${gv.apiVersion} client on a connection (see \`createClientset\`).`, []));
  const fn = layoutSignature("", "export function createClient", ["rest: RestClient"], `: ${gv.clientTypeName} {`);
  lines.push(...fn.lines, "  return {");
  exact &&= fn.exact;
  for (const k of gv.kinds) {
    const namespaced = k.scope === "Namespaced";
    const prop = layoutArrowProperty(
      "    ",
      k.resourceAccessor,
      namespaced ? "(namespace)" : "()",
      `createResourceClient<${k.companionNames.kindTypes}>`,
      namespaced ? ["rest", descriptorName(k), "namespace"] : ["rest", descriptorName(k)],
    );
    lines.push(...prop.lines);
    exact &&= prop.exact;
  }
  lines.push("  };", "}", "");
  lines.push(...jsdoc("", `Shared informers of the ${gv.apiVersion} resources.`, []), `export interface ${gv.informersTypeName} {`);
  for (const k of gv.kinds.filter(hasInformer)) {
    lines.push(...jsdoc("  ", `The ${k.kind} informer (in the factory's namespace${k.scope === "Cluster" ? "s: cluster-scoped" : ", or all"}).`, []));
    const sig = layoutSignature("  ", k.resourceAccessor, [], `: ${k.companionNames.informer};`);
    lines.push(...sig.lines);
    exact &&= sig.exact;
  }
  lines.push("}", "");
  lines.push(...jsdoc("", `The ${gv.apiVersion} informers of a factory (see \`createInformerFactory\`).`, []));
  const inf = layoutSignature("", "export function createInformers", ["factory: SharedInformerFactory"], `: ${gv.informersTypeName} {`);
  lines.push(...inf.lines, "  return {");
  exact &&= inf.exact;
  for (const k of gv.kinds.filter(hasInformer)) {
    const prop = layoutArrowProperty("    ", k.resourceAccessor, "()", `factory.informerFor<${k.companionNames.kindTypes}>`, [descriptorName(k)]);
    lines.push(...prop.lines);
    exact &&= prop.exact;
  }
  lines.push("  };", "}", "");
  return { text: lines.join("\n"), exact };
}

/** Options of the root index. */
export interface RootIndexOptions {
  /**
   * A package of pre-generated built-in clients (`@kube-codegen/api`) to compose with: its group
   * versions are re-exported, and `Clientset` and `InformerFactory` extend its own, on one
   * connection and one informer factory.
   */
  readonly builtins?: string | undefined;
}

/** Alias of the built-in package in a composed root index. */
const BUILTINS = "builtinApi";

/** Root `index.ts`: one namespace per group version, `Clientset` and `createClientset`. */
export function emitRootIndex(api: ApiModel, options: RootIndexOptions = {}): EmittedFile {
  const gvs: GroupVersionModel[] = api.groups.flatMap((g) => g.versions);
  const composed = options.builtins;
  let exact = true;
  const typeModules = api.typeModules ?? [];
  const lines: string[] = [
    GENERATED_HEADER,
    "",
    ...importLine(
      composed === undefined
        ? ["SharedInformerFactory", "createRestClient", "type ClientConfig", "type InformerFactoryOptions", "type RestClient"]
        : ["createRestClient", "type ClientConfig", "type InformerFactoryOptions", "type RestClient"],
      "@kube-codegen/runtime",
      false,
    ),
    ...(composed === undefined ? [] : [`import * as ${BUILTINS} from ${stringLiteral(composed)};`]),
    ...gvs.map((gv) => `import * as ${gv.accessor} from ${stringLiteral(`./${gv.folder}/index.js`)};`),
    "",
    ...(composed === undefined ? [] : [`export * from ${stringLiteral(composed)};`]),
    ...exportList(gvs.map((gv) => gv.accessor)),
    ...typeModules.map((m) => `export type * as ${m.accessor} from ${stringLiteral(`./${m.folder}/types.js`)};`),
    "",
    ...jsdoc("", "Typed clients for every group version, sharing one connection to the API server.", []),
    ...(composed === undefined
      ? [
          "export interface Clientset {",
          ...jsdoc("  ", "The connection: also a dynamic client for any resource (`createResourceClient`).", []),
          "  readonly rest: RestClient;",
        ]
      : [`export interface Clientset extends ${BUILTINS}.Clientset {`]),
    ...gvs.map((gv) => `  readonly ${gv.accessor}: ${gv.accessor}.${gv.clientTypeName};`),
    "}",
    "",
    ...jsdoc(
      "",
      "Connects to the cluster: the kubeconfig from the default places (KUBECONFIG, ~/.kube/config, or the\n" +
        "in-cluster service account) unless the options say otherwise. Call `clientset.rest.close()` when done.",
      [],
    ),
    "export function createClientset(config: ClientConfig = {}): Clientset {",
    "  return clientsetFor(createRestClient(config));",
    "}",
    "",
    ...jsdoc("", "The clientset on a connection: a real one, or the fake API server of `fake.ts`.", []),
    "export function clientsetFor(rest: RestClient): Clientset {",
    ...(composed === undefined ? ["  return {", "    rest,"] : ["  return {", `    ...${BUILTINS}.clientsetFor(rest),`]),
  ];
  for (const gv of gvs) {
    const p = layoutPropertyValue("    ", gv.accessor, `${gv.accessor}.createClient(rest)`);
    lines.push(...p.lines);
    exact &&= p.exact;
  }
  lines.push("  };", "}", "");
  lines.push(
    ...jsdoc("", "Shared informers for every group version: one informer per resource, created on first use.", []),
    ...(composed === undefined
      ? [
          "export interface InformerFactory {",
          ...jsdoc("  ", "The untyped factory underneath (informerFor any descriptor).", []),
          "  readonly factory: SharedInformerFactory;",
          ...jsdoc("  ", "Starts every informer asked for so far, and those asked for later.", []),
          "  start(): void;",
          ...jsdoc("  ", "Resolves when every started informer has synced; rejects if `signal` aborts first.", []),
          "  waitForCacheSync(signal?: AbortSignal): Promise<void>;",
          ...jsdoc("  ", "Stops every informer; nothing is left running (start after shutdown does nothing).", []),
          "  shutdown(): Promise<void>;",
        ]
      : [`export interface InformerFactory extends ${BUILTINS}.InformerFactory {`]),
    ...gvs.map((gv) => `  readonly ${gv.accessor}: ${gv.accessor}.${gv.informersTypeName};`),
    "}",
    "",
    ...jsdoc("", "Informers on a clientset's connection. The options apply to every informer.", []),
  );
  const sig = layoutSignature("", "export function createInformerFactory", ["clientset: Clientset", "options: InformerFactoryOptions = {}"], ": InformerFactory {");
  lines.push(...sig.lines);
  exact &&= sig.exact;
  lines.push(
    ...(composed === undefined
      ? [
          "  const factory = new SharedInformerFactory(clientset.rest, options);",
          "  return {",
          "    factory,",
          "    start: () => factory.start(),",
          "    waitForCacheSync: (signal) => factory.waitForCacheSync(signal),",
          "    shutdown: () => factory.shutdown(),",
        ]
      : [`  const base = ${BUILTINS}.createInformerFactory(clientset, options);`, "  const factory = base.factory;", "  return {", "    ...base,"]),
  );
  for (const gv of gvs) {
    const p = layoutPropertyValue("    ", gv.accessor, `${gv.accessor}.createInformers(factory)`);
    lines.push(...p.lines);
    exact &&= p.exact;
  }
  lines.push("  };", "}", "");
  return { text: lines.join("\n"), exact };
}
