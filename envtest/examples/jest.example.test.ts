// jest: an integration test on a real kube-apiserver (a generated clientset works the same way:
// createClientset(env.config("admin"))).
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { startEnvironment, type Environment } from "@kube-codegen/envtest";
import { createResourceClient, createRestClient, isForbidden, type KubeObject, type ResourceDescriptor } from "@kube-codegen/runtime";

const crd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "notes.example.com" },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { kind: "Note", plural: "notes", singular: "note", listKind: "NoteList" },
    versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { text: { type: "string" } } } } } } }],
  },
};
const notes = { group: "example.com", version: "v1", kind: "Note", listKind: "NoteList", plural: "notes", singular: "note", shortNames: [], categories: [], scope: "Namespaced", subresources: {} } as const satisfies ResourceDescriptor;
type Note = KubeObject & { spec?: { text?: string } };
type NoteKind = { object: Note; list: { metadata: { resourceVersion?: string }; items: Note[] }; descriptor: typeof notes };

let env: Environment;
beforeAll(async () => {
  env = await startEnvironment({ crds: [crd] }); // finds or builds kube-apiserver and etcd
}, 120_000);
afterAll(() => env?.stop());

test("the admin creates a note; the unprivileged user may not read it", async () => {
  const admin = createRestClient(env.config("admin"));
  try {
    const created = await createResourceClient<NoteKind>(admin, notes, "default").create({ apiVersion: "example.com/v1", kind: "Note", metadata: { name: "hello" }, spec: { text: "hi" } });
    expect(created.metadata.generation).toBe(1);
    const refused = await createResourceClient<NoteKind>(env.user, notes, "default").get("hello").catch((err: unknown) => err);
    expect(isForbidden(refused)).toBe(true);
  } finally {
    admin.close();
  }
});
