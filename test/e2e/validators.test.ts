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

/** Objects, and whether the API server accepts them: the validator must say the same. */
const CASES: { what: string; value: Record<string, unknown>; server: boolean }[] = [
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
  { what: "null where not nullable and not required (the server drops it)", value: check({ ...ok, replicas: null }), server: true },
  { what: "a set list without duplicates", value: check({ ...ok, tags: ["a", "b"] }), server: true },
  { what: "a set list with a duplicate", value: check({ ...ok, tags: ["a", "a"] }), server: false },
  { what: "a list over maxItems", value: check({ ...ok, tags: ["a", "b", "c", "d"] }), server: false },
  { what: "a map within maxProperties", value: check({ ...ok, limits: { a: 1, b: 2 } }), server: true },
  { what: "a map over maxProperties", value: check({ ...ok, limits: { a: 1, b: 2, c: 3 } }), server: false },
  { what: "a map value of the wrong type", value: check({ ...ok, limits: { a: "x" } }), server: false },
  { what: "a case-insensitive RE2 pattern, matching", value: check({ ...ok, caseless: "ABC" }), server: true },
  { what: "a case-insensitive RE2 pattern, not matching", value: check({ ...ok, caseless: "xyz" }), server: false },
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
  { what: "format uuid: valid", value: check({ ...ok, id: "123e4567-e89b-12d3-a456-426614174000" }), server: true },
  { what: "format uuid: invalid", value: check({ ...ok, id: "123e4567" }), server: false },
  { what: "format ipv4: invalid", value: check({ ...ok, address: "1.2.3.256" }), server: false },
  { what: "format date-time: valid", value: check({ ...ok, since: "2024-02-29T10:00:00Z" }), server: true },
  { what: "CEL on a date-time field (a timestamp in rules): too early", value: check({ ...ok, since: "1999-12-31T23:00:00Z" }), server: false },
  { what: "CEL on a duration field (a duration in rules): 30m", value: check({ ...ok, window: "30m" }), server: true },
  { what: "CEL on a duration field (a duration in rules): 2h", value: check({ ...ok, window: "2h" }), server: false },
  { what: "format date-time: invalid", value: check({ ...ok, since: "2023-02-29T10:00:00Z" }), server: false },
  { what: "map list with distinct keys", value: check({ ...ok, ports: [{ name: "a" }, { name: "a", protocol: "UDP" }] }), server: true },
  { what: "map list with a duplicate key (after defaulting)", value: check({ ...ok, ports: [{ name: "a" }, { name: "a", protocol: "TCP" }] }), server: false },
  { what: "CEL on spec with fieldPath: min <= max", value: check({ ...ok, min: 1, max: 2 }), server: true },
  { what: "CEL on spec with fieldPath: min > max", value: check({ ...ok, min: 3, max: 2 }), server: false },
  { what: "CEL url library: https", value: check({ ...ok, endpoint: "https://example.com/x" }), server: true },
  { what: "CEL url library: http", value: check({ ...ok, endpoint: "http://example.com/x" }), server: false },
  { what: "CEL cidr library: /16", value: check({ ...ok, network: "10.0.0.0/16" }), server: true },
  { what: "CEL cidr library with messageExpression: /4", value: check({ ...ok, network: "10.0.0.0/4" }), server: false },
  { what: "CEL quantity library: 512Mi", value: check({ ...ok, memory: "512Mi" }), server: true },
  { what: "CEL quantity library with reason Forbidden: 2Gi", value: check({ ...ok, memory: "2Gi" }), server: false },
  { what: "CEL format library: a DNS label", value: check({ ...ok, label: "my-label" }), server: true },
  { what: "CEL format library: not a DNS label", value: check({ ...ok, label: "My_Label" }), server: false },
  { what: "CEL macros and strings: one main", value: check({ ...ok, words: ["main", "dev"] }), server: true },
  { what: "CEL macros and strings: two mains", value: check({ ...ok, words: ["main", "main"] }), server: false },
  { what: "CEL macros and strings: upper case", value: check({ ...ok, words: ["main", "Dev"] }), server: false },
  { what: "a transition rule is skipped on create", value: check({ ...ok, immutable: "x" }), server: true },
  { what: "optionalOldSelf: evaluated on create with no old value", value: check({ ...ok, level: 1 }), server: true },
  { what: "a rule the validator cannot evaluate, on its true side", value: check({ ...ok, opt: { a: "good" } }), server: true },
  { what: "a label key that is not a qualified name", value: { ...check(ok), metadata: { name: "x", labels: { "bad key": "v" } } }, server: false },
  { what: "a label value that is too long", value: { ...check(ok), metadata: { name: "x", labels: { app: "v".repeat(64) } } }, server: false },
  { what: "labels and annotations that are fine", value: { ...check(ok), metadata: { name: "x", labels: { "example.com/app": "my_app.v1" }, annotations: { "Example.com/Note": "any text at all" } } }, server: true },
  { what: "an annotation key that is not a qualified name", value: { ...check(ok), metadata: { name: "x", annotations: { "a/b/c": "v" } } }, server: false },
  { what: "generateName that is not a DNS subdomain prefix", value: { ...check(ok), metadata: { generateName: "Bad_" } }, server: false },
  { what: "generateName that is one", value: { ...check(ok), metadata: { generateName: "good-" } }, server: true },
  { what: "metadata.name that is not a DNS subdomain", value: { ...check(ok), metadata: { name: "Not_A_Name" } }, server: false },
];

/** Updates: the stored object, the new one, and whether the server accepts the update. */
const UPDATES: { what: string; before: Spec; after: Spec; server: boolean }[] = [
  { what: "an immutable field unchanged", before: { ...ok, immutable: "x" }, after: { ...ok, immutable: "x", replicas: 2 }, server: true },
  { what: "an immutable field changed", before: { ...ok, immutable: "x" }, after: { ...ok, immutable: "y" }, server: false },
  { what: "optionalOldSelf: level grows", before: { ...ok, level: 1 }, after: { ...ok, level: 2 }, server: true },
  { what: "optionalOldSelf: level shrinks", before: { ...ok, level: 2 }, after: { ...ok, level: 1 }, server: false },
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
    const expected = c.server;
    expect({ valid: verdict.valid, problems: verdict.valid ? [] : verdict.problems }).toEqual({ valid: expected, problems: expected ? [] : expect.arrayContaining([expect.anything()]) });
  });

  test.each(UPDATES.map((u) => [u.what, u] as const))("update: %s", async (_what, u) => {
    const name = `u-${Math.random().toString(36).slice(2, 10)}`;
    const stored = (await cs.rest.request({ verb: "create", method: "POST", path: `/apis/validation.example.com/v1/namespaces/${ns}/checks`, body: { ...check(u.before), metadata: { name } } })) as Record<string, unknown>;
    const next = { ...stored, spec: u.after };
    let accepted = true;
    try {
      await cs.rest.request({ verb: "update", method: "PUT", path: `/apis/validation.example.com/v1/namespaces/${ns}/checks/${name}`, query: { dryRun: "All" }, body: next });
    } catch (err) {
      if (!(err instanceof ApiStatusError && err.code === 422)) throw err;
      accepted = false;
    }
    expect(accepted).toBe(u.server);
    expect(validationV1.validateCheck.validate(next, { old: stored }).valid).toBe(u.server);
  });

  test("problems read like the server's, with the rule's message, messageExpression and reason", async () => {
    const pairs: { server: string; ours: string }[] = [];
    const specs = [{ ...ok, min: 3, max: 2 }, { ...ok, network: "10.0.0.0/4" }, { ...ok, memory: "2Gi" }, { ...ok, label: "A_b" }, { ...ok, replicas: 12 }, { ...ok, mode: "slow" }, { ...ok, name: "ab" }, { ...ok, id: "x" }, { ...ok, since: "2023-02-29T10:00:00Z" }, { ...ok, window: "2h" }, { ...ok, immutable: "x", address: "1.2.3.256" }, { ...ok, tags: ["a", "a"] }, { ...ok, ports: [{ name: "a" }, { name: "a" }] }];
    const values = [...specs.map((spec) => check(spec)), { ...check(ok), metadata: { name: "x", labels: { "bad key": "a b" } } }];
    for (const value of values) {
      const asked = await serverAccepts(value);
      const r = validationV1.validateCheck.validate(value);
      expect(r.valid).toBe(false);
      if (r.valid) continue;
      // The server's message holds each of our lines (it adds the kind and name in front).
      for (const p of r.problems) pairs.push({ server: asked.message.replace(/^.*? is invalid: /, ""), ours: p.text });
    }
    expect(pairs.filter((p) => !p.server.includes(p.ours))).toEqual([]);
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
    // The one rule of the fixture it cannot evaluate is listed, with the reason, in every result.
    expect(r.notChecked).toEqual([{ path: ".spec.opt", what: "self.?a.orValue('') != 'bad'", reason: expect.stringMatching(/^the engine cannot parse it: /) }]);
    expect(() => validationV1.validateCheck.parse(bad)).toThrow(ValidationError);
    expect(() => validationV1.validateCheck.parse(bad)).toThrow(/^invalid Check \(validation\.example\.com\/v1\): spec\.name: Invalid value: "A": /);
    const good: unknown = check(ok);
    if (validationV1.validateCheck.is(good)) expect(good.spec?.mode).toBe("fast");
    else throw new Error("a valid object was refused");
  });
});
