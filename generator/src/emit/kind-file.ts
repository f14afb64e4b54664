import type { GroupVersionModel, KindModel } from "../model/api.js";
import { docLine, importLine, stringArrayProperty, stringLiteral } from "./print.js";
import { GENERATED_HEADER, type EmittedFile } from "./types-file.js";

/** The descriptor constant's name for a kind: `certificateResource`. */
export function descriptorName(kind: KindModel): string {
  return `${kind.typeName.charAt(0).toLowerCase()}${kind.typeName.slice(1)}Resource`;
}

/** `<kind>.ts`: the kind's resource descriptor (GVR, names, scope, subresources). */
export function emitKindFile(gv: GroupVersionModel, kind: KindModel): EmittedFile {
  const sub: string[] = [];
  if (kind.subresources.status) sub.push("    status: true,");
  const scale = kind.subresources.scale;
  if (scale !== undefined) {
    sub.push("    scale: {");
    sub.push(`      specReplicasPath: ${stringLiteral(scale.specReplicasPath)},`);
    sub.push(`      statusReplicasPath: ${stringLiteral(scale.statusReplicasPath)},`);
    if (scale.labelSelectorPath !== undefined) sub.push(`      labelSelectorPath: ${stringLiteral(scale.labelSelectorPath)},`);
    sub.push("    },");
  }
  for (const extra of kind.builtin?.extraSubresources ?? []) sub.push(`    ${extra}: true,`);
  const builtin: string[] = [];
  if (kind.builtin !== undefined) {
    builtin.push(...stringArrayProperty("  ", "verbs", kind.builtin.verbs, ","));
    if (kind.builtin.strategicMergePatch) builtin.push("  strategicMergePatch: true,");
  }
  const lines = [
    GENERATED_HEADER,
    "",
    ...importLine(["InformerFor", "ListerForKind", "ResourceClientFor", "ResourceDescriptor"], "@kube-codegen/runtime", true),
    ...importLine([kind.typeName, kind.listTypeName], "./types.js", true),
    "",
    ...docLine("", `${kind.kind} in ${gv.apiVersion}: ${kind.scope === "Namespaced" ? "namespaced" : "cluster-scoped"}.`),
    `export const ${descriptorName(kind)} = {`,
    `  group: ${stringLiteral(gv.group)},`,
    `  version: ${stringLiteral(gv.version)},`,
    `  kind: ${stringLiteral(kind.kind)},`,
    `  listKind: ${stringLiteral(kind.listKind)},`,
    `  plural: ${stringLiteral(kind.plural)},`,
    `  singular: ${stringLiteral(kind.singular)},`,
    ...stringArrayProperty("  ", "shortNames", kind.shortNames, ","),
    ...stringArrayProperty("  ", "categories", kind.categories, ","),
    `  scope: ${stringLiteral(kind.scope)},`,
    ...(sub.length === 0 ? ["  subresources: {},"] : ["  subresources: {", ...sub, "  },"]),
    ...builtin,
    "} as const satisfies ResourceDescriptor;",
    "",
    ...docLine("", `${kind.kind}'s types and descriptor, for the runtime's generic client, informer and lister.`),
    `export interface ${kind.companionNames.kindTypes} {`,
    `  object: ${kind.typeName};`,
    `  list: ${kind.listTypeName};`,
    `  descriptor: typeof ${descriptorName(kind)};`,
    "}",
    "",
    ...docLine("", `A typed client for ${kind.kind} objects (from \`createClientset\`).`),
    ...typeAlias(kind.companionNames.client, `ResourceClientFor<${kind.companionNames.kindTypes}>`),
    "",
    ...docLine("", `A shared informer of ${kind.kind} objects (from \`createInformerFactory\`).`),
    ...typeAlias(kind.companionNames.informer, `InformerFor<${kind.companionNames.kindTypes}>`),
    "",
    ...docLine("", `Reads ${kind.kind} objects from an informer's cache; \`get\` answers undefined when absent.`),
    ...typeAlias(kind.companionNames.lister, `ListerForKind<${kind.companionNames.kindTypes}>`),
    "",
  ];
  return { text: lines.join("\n"), exact: true };
}

/** `export type Name = Rhs;`, with the right-hand side on its own line when too long (prettier's layout). */
function typeAlias(name: string, rhs: string): string[] {
  const one = `export type ${name} = ${rhs};`;
  return one.length <= 80 ? [one] : [`export type ${name} =`, `  ${rhs};`];
}
