import { beforeAll, expect, test } from "@jest/globals";
import { ApiStatusError, ValidationError } from "@kube-codegen/runtime";
import { createClientset, validationV1, type Clientset } from "../../fixtures/generated/index.js";
import { describeE2E } from "../support/e2e.js";
import { fixtureCrds, freshNamespace, installCrds } from "./support.js";

type Spec = Record<string, unknown>;
const check = (spec: Spec, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: "validation.example.com/v1",
  kind: "Check",
  metadata: { name: `c-${Math.random().toString(36).slice(2, 10)}` },
  spec,
  ...extra,
});
const ok = { name: "abc", mode: "fast" };

/**
 * Objects, and whether the API server accepts them. `ours` is set where the validator knowingly
 * differs, with the reason.
 */
const CASES: { what: string; value: Record<string, unknown>; server: boolean; ours?: { verdict: boolean; why: string } }[] = [
  { what: "the minimal object", value: check(ok), server: true },
  { what: "a required field with a default left out (the server fills it)", value: check({ name: "abc" }), server: true },
  { what: "a required field left out", value: check({ mode: "fast" }), server: false },
  { what: "a string under minLength", value: check({ ...ok, name: "ab" }), server: false },
  { what: "a string over maxLength", value: check({ ...ok, name: "abcdefghijklm" }), server: false },
  { what: "a string against its pattern", value: check({ ...ok, name: "Abc" }), server: false },
  { what: "a value outside the enum", value: check({ ...ok, mode: "slow" }), server: false },
  { what: "an integer at an exclusive maximum", value: check({ ...ok, replicas: 10 }), server: false },
  { what: "an integer under it", value: check({ ...ok, replicas: 9 }), server: true },
  { what: "an integer under the minimum", value: check({ ...ok, replicas: -1 }), server: false },
  { what: "a fraction for an integer", value: check({ ...ok, replicas: 1.5 }), server: false },
  { what: "a string for an integer", value: check({ ...ok, replicas: "3" }), server: false },
  { what: "a multiple of 0.25", value: check({ ...ok, ratio: 0.75 }), server: true },
  { what: "not a multiple of 0.25", value: check({ ...ok, ratio: 0.3 }), server: false },
  { what: "int-or-string: a number", value: check({ ...ok, port: 8080 }), server: true },
  { what: "int-or-string: a string matching its pattern", value: check({ ...ok, port: "http" }), server: true },
  { what: "int-or-string: a string against its pattern", value: check({ ...ok, port: "HTTP" }), server: false },
  { what: "int-or-string: a boolean", value: check({ ...ok, port: true }), server: false },
  { what: "null where nullable", value: check({ ...ok, note: null }), server: true },
  {
    what: "null where not nullable and not required",
    value: check({ ...ok, replicas: null }),
    server: true,
    ours: { verdict: false, why: "the server drops the null; the generated type has no null there, so parse() must not answer one" },
  },
  { what: "a set list without duplicates", value: check({ ...ok, tags: ["a", "b"] }), server: true },
  { what: "a set list with a duplicate", value: check({ ...ok, tags: ["a", "a"] }), server: false },
  { what: "a list over maxItems", value: check({ ...ok, tags: ["a", "b", "c", "d"] }), server: false },
  { what: "a map within maxProperties", value: check({ ...ok, limits: { a: 1, b: 2 } }), server: true },
  { what: "a map over maxProperties", value: check({ ...ok, limits: { a: 1, b: 2, c: 3 } }), server: false },
  { what: "a map value of the wrong type", value: check({ ...ok, limits: { a: "x" } }), server: false },
  { what: "a case-insensitive RE2 pattern, matching", value: check({ ...ok, caseless: "ABC" }), server: true },
  {
    what: "a case-insensitive RE2 pattern, not matching",
    value: check({ ...ok, caseless: "xyz" }),
    server: false,
    ours: { verdict: true, why: "(?i) is not JavaScript: the pattern is not checked, and the generator says so" },
  },
  { what: "unknown fields where they are preserved", value: check({ ...ok, extra: { known: true, anything: { deep: 1 } } }), server: true },
  { what: "a known field of the wrong type where unknown ones are preserved", value: check({ ...ok, extra: { known: "yes" } }), server: false },
  { what: "an embedded resource", value: check({ ...ok, template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { size: 1 } } }), server: true },
  { what: "an embedded resource with a wrong field", value: check({ ...ok, template: { apiVersion: "v1", kind: "Pod", spec: { size: "big" } } }), server: false },
  { what: "oneOf: exactly one", value: check({ ...ok, choice: { a: "x" } }), server: true },
  { what: "oneOf: none", value: check({ ...ok, choice: {} }), server: false },
  { what: "oneOf: both", value: check({ ...ok, choice: { a: "x", b: "y" } }), server: false },
  { what: "an unknown field (pruned)", value: check({ ...ok, bogus: 1 }), server: true },
  { what: "a wrong kind", value: { ...check(ok), kind: "Other" }, server: false },
  { what: "status of the wrong type", value: check(ok, { status: { phase: 3 } }), server: false },
];

describeE2E("generated validators agree with the API server", (server) => {
  let cs: Clientset;
  let ns: string;
  beforeAll(async () => {
    cs = createClientset({ kubeconfigPath: server.kubeconfigPath });
    await installCrds(cs.rest, fixtureCrds("validation.yaml"));
    ns = await freshNamespace(cs.rest, "validate");
  }, 60_000);

  async function serverAccepts(value: Record<string, unknown>, strict = false): Promise<{ accepted: boolean; message: string }> {
    try {
      await cs.rest.request({ verb: "create", method: "POST", path: `/apis/validation.example.com/v1/namespaces/${ns}/checks`, query: { dryRun: "All", ...(strict ? { fieldValidation: "Strict" } : {}) }, body: value });
      return { accepted: true, message: "" };
    } catch (err) {
      if (err instanceof ApiStatusError && (err.code === 422 || err.code === 400)) return { accepted: false, message: err.message };
      throw err;
    }
  }

  test.each(CASES.map((c) => [c.what, c] as const))("%s", async (_what, c) => {
    const asked = await serverAccepts(c.value);
    expect({ server: asked.accepted, message: asked.message }).toEqual({ server: c.server, message: expect.any(String) });
    const verdict = validationV1.validateCheck.validate(c.value);
    const expected = c.ours?.verdict ?? c.server;
    expect({ valid: verdict.valid, problems: verdict.valid ? [] : verdict.problems }).toEqual({ valid: expected, problems: expected ? [] : expect.arrayContaining([expect.anything()]) });
  });

  test("unknown fields: refused with unknownFields error, as fieldValidation=Strict refuses them", async () => {
    for (const value of [check({ ...ok, bogus: 1 }), check({ ...ok, extra: { known: true, anything: 1 } }), check(ok, { spare: true })]) {
      const asked = await serverAccepts(value, true);
      const ours = validationV1.validateCheck.validate(value, { unknownFields: "error" });
      expect({ value, ours: ours.valid }).toEqual({ value, ours: asked.accepted });
    }
  });

  test("problems name the field; parse throws them all, is narrows", () => {
    const bad = check({ name: "A", replicas: 1.5, tags: ["x", "x"], port: "HTTP" });
    const r = validationV1.validateCheck.validate(bad);
    expect(r.valid).toBe(false);
    if (r.valid) return;
    expect(r.problems.map((p) => p.path).sort()).toEqual([".spec.name", ".spec.name", ".spec.port", ".spec.replicas", ".spec.tags"]);
    expect(() => validationV1.validateCheck.parse(bad)).toThrow(ValidationError);
    expect(() => validationV1.validateCheck.parse(bad)).toThrow(/^invalid Check \(validation\.example\.com\/v1\): \.spec\.name: /);
    const good: unknown = check(ok);
    if (validationV1.validateCheck.is(good)) expect(good.spec?.mode).toBe("fast");
    else throw new Error("a valid object was refused");
  });
});
