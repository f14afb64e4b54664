import { beforeAll, expect, test } from "@jest/globals";
import * as yaml from "js-yaml";
import { ApiStatusError, createRestClient, createValidator, loadKubeConfig, type RestClient, type Validator } from "@kube-codegen/runtime";
import { validationSchema } from "../../generator/src/model/validation.js";
import { describeE2E } from "../support/e2e.js";
import { freshNamespace, installCrds } from "./support.js";

/**
 * Ratcheting: objects stored under a looser schema, then the CRD tightened (a maxLength, a CEL
 * rule). An update that leaves the offending fields as they were is accepted by the server; one
 * that changes them is refused. The validator, given the stored object as `old`, must agree.
 */
const crd = (strict: boolean): Record<string, unknown> => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "ratchets.ratchet.example.com" },
  spec: {
    group: "ratchet.example.com",
    names: { plural: "ratchets", singular: "ratchet", kind: "Ratchet", listKind: "RatchetList" },
    scope: "Namespaced",
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                properties: {
                  name: strict ? { type: "string", maxLength: 5 } : { type: "string" },
                  size: { type: "integer" },
                  note: strict ? { type: "string", maxLength: 20, "x-kubernetes-validations": [{ rule: "self.startsWith('n')", message: "must start with n" }] } : { type: "string" },
                  items: {
                    type: "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["key"],
                    items: { type: "object", required: ["key"], properties: { key: { type: "string" }, value: strict ? { type: "integer", maximum: 10 } : { type: "integer" } } },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
});

describeE2E("validators ratchet on update as the API server does", (server) => {
  let rest: RestClient;
  let ns: string;
  let validator: Validator<unknown>;
  const path = (name = ""): string => `/apis/ratchet.example.com/v1/namespaces/${ns}/ratchets${name === "" ? "" : `/${name}`}`;
  const stored: Record<string, Record<string, unknown>> = {};
  beforeAll(async () => {
    rest = createRestClient(loadKubeConfig({ kubeconfigPath: server.kubeconfigPath }));
    await installCrds(rest, [yaml.dump(crd(false))]);
    ns = await freshNamespace(rest, "ratchet");
    const spec = { name: "much-too-long", size: 1, note: "x", items: [{ key: "a", value: 50 }, { key: "b", value: 1 }] };
    stored["old"] = (await rest.request({ verb: "create", method: "POST", path: path(), body: { apiVersion: "ratchet.example.com/v1", kind: "Ratchet", metadata: { name: "old" }, spec } })) as Record<string, unknown>;
    // Tighten the CRD and wait until the server enforces it.
    const current = (await rest.request({ verb: "get", method: "GET", path: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/ratchets.ratchet.example.com" })) as Record<string, unknown>;
    await rest.request({ verb: "update", method: "PUT", path: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/ratchets.ratchet.example.com", body: { ...crd(true), metadata: current["metadata"] } });
    const strictVersion = (crd(true)["spec"] as { versions: { schema: { openAPIV3Schema: Record<string, unknown> } }[] }).versions[0]?.schema.openAPIV3Schema ?? {};
    validator = createValidator("Ratchet (ratchet.example.com/v1)", JSON.stringify(validationSchema(strictVersion as never, { apiVersion: "ratchet.example.com/v1", kind: "Ratchet" }).schema));
    for (let i = 0; i < 100 && (await accepts({ apiVersion: "ratchet.example.com/v1", kind: "Ratchet", metadata: { name: "probe" }, spec: { name: "much-too-long" } })); i++) await new Promise((r) => setTimeout(r, 100));
  }, 60_000);

  async function accepts(body: Record<string, unknown>, update?: string): Promise<boolean> {
    try {
      await rest.request(update === undefined ? { verb: "create", method: "POST", path: path(), query: { dryRun: "All" }, body } : { verb: "update", method: "PUT", path: path(update), query: { dryRun: "All" }, body });
      return true;
    } catch (err) {
      if (err instanceof ApiStatusError && err.code === 422) return false;
      throw err;
    }
  }

  const CASES: { what: string; change: (spec: Record<string, unknown>) => Record<string, unknown>; server: boolean }[] = [
    { what: "another field changed: the stored violations ratchet", change: (s) => ({ ...s, size: 2 }), server: true },
    { what: "the too-long name changed to another too-long one", change: (s) => ({ ...s, name: "still-too-long" }), server: false },
    { what: "the note the rule refuses changed", change: (s) => ({ ...s, note: "y" }), server: false },
    { what: "the note changed to one the rule accepts", change: (s) => ({ ...s, note: "nice" }), server: true },
    { what: "a map-list item left as it was, another changed", change: (s) => ({ ...s, items: [{ key: "a", value: 50 }, { key: "b", value: 2 }] }), server: true },
    { what: "the map-list item over the maximum changed", change: (s) => ({ ...s, items: [{ key: "a", value: 51 }, { key: "b", value: 1 }] }), server: false },
  ];

  test.each(CASES.map((c) => [c.what, c] as const))("%s", async (_what, c) => {
    const old = stored["old"] as Record<string, unknown>;
    const next = { ...old, spec: c.change(old["spec"] as Record<string, unknown>) };
    expect(await accepts(next, "old")).toBe(c.server);
    expect(validator.validate(next, { old }).valid).toBe(c.server);
  });

  test("without the stored object, the same change is judged as a create", () => {
    const old = stored["old"] as Record<string, unknown>;
    expect(validator.validate({ ...old, spec: { ...(old["spec"] as object), size: 2 } }).valid).toBe(false);
  });
});
