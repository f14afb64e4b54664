import type { ApiModel, GroupVersionModel } from "../model/api.js";
import { descriptorName } from "./kind-file.js";
import { importLine, jsdoc, layoutPropertyValue, layoutSignature, layoutUnionAlias, stringArrayProperty, stringLiteral } from "./print.js";
import { GENERATED_HEADER, type EmittedFile } from "./types-file.js";

/**
 * Root `fake.ts`: `createFakeClientset(...objects)`, the clientset on the runtime's in-memory API
 * server (`@kube-codegen/runtime/fake`), and the resources it serves with what the fake needs of
 * each CRD (schema facets as JSON text, validator when generated, selectable fields). A file of its
 * own, so that services importing `index.ts` never load the fake.
 */
export function emitFakeFile(api: ApiModel, validators: boolean, options: { readonly builtins?: string | undefined } = {}): EmittedFile {
  const gvs: GroupVersionModel[] = api.groups.flatMap((g) => g.versions);
  const resources: string[] = [];
  let exact = true;
  const property = (key: string, value: string): void => {
    const p = layoutPropertyValue("    ", key, value);
    resources.push(...p.lines);
    exact &&= p.exact;
  };
  for (const gv of gvs) {
    for (const k of gv.kinds) {
      resources.push("  entry({");
      property("descriptor", `${gv.accessor}.${descriptorName(k)}`);
      // Built-in kinds (from OpenAPI) carry no structural schema: stored as sent, no defaults.
      if (k.fakeSchemaJson !== "") property("schema", stringLiteral(k.fakeSchemaJson));
      if (validators) property("validator", `${gv.accessor}.${k.validatorName}`);
      if (k.selectableFields.length > 0) resources.push(...stringArrayProperty("    ", "selectableFields", k.selectableFields, ","));
      resources.push("  }),");
    }
  }
  const composed = options.builtins;
  const members = gvs.flatMap((gv) => gv.kinds.map((k) => `${gv.accessor}.${k.typeName}`));
  const union = layoutUnionAlias("FakeObject", composed === undefined ? members : [...members, "BuiltinFakeObject"]);
  exact &&= union.exact;
  const sig = layoutSignature("", "export function createFakeClientsetWith", ["options: FakeClientsetOptions<FakeObject> = {}"], ": FakeClientset {");
  exact &&= sig.exact;
  const lines = [
    GENERATED_HEADER,
    "",
    ...importLine(["createFakeRestClient", "type FakeClientsetOptions", "type FakeResource", "type FakeRestClient"], "@kube-codegen/runtime/fake", false),
    ...gvs.map((gv) => `import * as ${gv.accessor} from ${stringLiteral(`./${gv.folder}/index.js`)};`),
    ...importLine(["clientsetFor", "type Clientset"], "./index.js", false),
    // Composed with the built-in package: the fake serves its kinds too.
    ...(composed === undefined ? [] : importLine(["fakeResources as builtinFakeResources", "type FakeObject as BuiltinFakeObject"], `${composed}/fake`, false)),
    "",
    ...jsdoc("", "The clientset on an in-memory API server: the same typed clients, plus the fake's tracker,\nreactors and record of actions on `rest`.", []),
    "export interface FakeClientset extends Clientset {",
    "  readonly rest: FakeRestClient;",
    "}",
    "",
    ...jsdoc("", "An object of any kind the fake serves: what it can start with.", []),
    ...union.lines,
    "",
    // Each entry goes through a FakeResource-typed call: an array of hundreds of object literals,
    // each with its own descriptor type, would cost the checker a subtype reduction of every pair.
    ...jsdoc("", "One entry of `fakeResources`, typed as what the fake takes.", []),
    "function entry(resource: FakeResource): FakeResource {",
    "  return resource;",
    "}",
    "",
    ...jsdoc("", "Every resource the fake serves, with what it knows of the CRD: the schema (defaults, pruning,\nlist types), the validator and the selectable fields.", []),
    "export const fakeResources: readonly FakeResource[] = [",
    ...(composed === undefined ? [] : ["  ...builtinFakeResources,"]),
    ...resources,
    "];",
    "",
    ...jsdoc("", "A clientset on a fresh in-memory API server holding `objects` (created in order, as a client would).", []),
    "export function createFakeClientset(...objects: FakeObject[]): FakeClientset {",
    "  return createFakeClientsetWith({ objects });",
    "}",
    "",
    ...jsdoc("", "A clientset on a fresh in-memory API server with options: objects, history size, clock, bookmarks.", []),
    ...sig.lines,
    "  const rest = createFakeRestClient({ ...options, resources: fakeResources });",
    "  return { ...clientsetFor(rest), rest };",
    "}",
    "",
  ];
  return { text: lines.join("\n"), exact };
}

