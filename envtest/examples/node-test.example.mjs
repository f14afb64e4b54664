// node --test: an integration test on a real kube-apiserver (run: node --test node-test.example.mjs)
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEnvironment } from "@kube-codegen/envtest";
import { createResourceClient, isForbidden } from "@kube-codegen/runtime";

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
const notes = { group: "example.com", version: "v1", kind: "Note", listKind: "NoteList", plural: "notes", singular: "note", shortNames: [], categories: [], scope: "Namespaced", subresources: {} };

let env;
before(async () => {
  env = await startEnvironment({ crds: [crd] }); // finds or builds kube-apiserver and etcd
});
after(() => env?.stop());

test("the admin creates a note; the unprivileged user may not read it", async () => {
  const asAdmin = createResourceClient(env.admin, notes, "default");
  const created = await asAdmin.create({ apiVersion: "example.com/v1", kind: "Note", metadata: { name: "hello" }, spec: { text: "hi" } });
  assert.equal(created.metadata.generation, 1);
  await assert.rejects(createResourceClient(env.user, notes, "default").get("hello"), isForbidden);
});
