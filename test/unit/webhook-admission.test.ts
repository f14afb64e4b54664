import { describe, expect, test } from "@jest/globals";
import jsonpatch from "fast-json-patch";
import { silentLogger, type Logger } from "@kube-codegen/runtime";
import { AdmissionDenied, mutatingWebhook, validatingWebhook, type AdmissionRequest, type AdmissionResponse } from "@kube-codegen/runtime/webhook";
import type { conversionV1 } from "../../fixtures/webhooks/generated/index.js";
import { gizmoDefaulting, gizmoValidation } from "../support/gizmo-webhooks.js";
import { conversionV1 as v1 } from "../../fixtures/webhooks/generated/index.js";

const gizmo = (spec: Partial<conversionV1.GizmoSpec> = {}, labels?: Record<string, string>): conversionV1.Gizmo => ({
  apiVersion: "conversion.example.com/v1",
  kind: "Gizmo",
  metadata: { name: "g", namespace: "ns", ...(labels !== undefined ? { labels } : {}) },
  spec: { appearance: { color: "red" }, size: { value: 1, unit: "Gi" }, ...spec },
});

const request = (operation: AdmissionRequest["operation"], object: unknown, oldObject?: unknown, extra: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
  uid: "uid-1",
  kind: { group: "conversion.example.com", version: "v1", kind: "Gizmo" },
  resource: { group: "conversion.example.com", version: "v1", resource: "gizmos" },
  operation,
  userInfo: { username: "admin" },
  namespace: "ns",
  name: "g",
  ...(object !== undefined ? { object } : {}),
  ...(oldObject !== undefined ? { oldObject } : {}),
  ...extra,
});

/** A logger that keeps its lines. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const make = (fields: Record<string, unknown>): Logger => ({
    info: (m, f) => void lines.push(JSON.stringify({ level: "info", m, ...fields, ...f })),
    error: (m, e, f) => void lines.push(JSON.stringify({ level: "error", m, error: e instanceof Error ? e.message : String(e), ...fields, ...f })),
    with: (f) => make({ ...fields, ...f }),
  });
  return Object.assign(make({}), { lines });
}

const applied = (original: unknown, r: AdmissionResponse): unknown => {
  expect(r.patchType).toBe("JSONPatch");
  const ops = JSON.parse(Buffer.from(r.patch ?? "", "base64").toString("utf8")) as jsonpatch.Operation[];
  return jsonpatch.applyPatch(structuredClone(original), ops, true, false).newDocument;
};

describe("validating webhooks", () => {
  test.each([
    ["a red gizmo is allowed, with a warning when untagged", request("CREATE", gizmo()), { uid: "uid-1", allowed: true, warnings: ["an untagged gizmo is hard to find"] }],
    ["a tagged one without warnings", request("CREATE", gizmo({ tags: ["x"] })), { uid: "uid-1", allowed: true }],
    ["a black one is denied with the reason", request("CREATE", gizmo({ appearance: { color: "black" } })), { uid: "uid-1", allowed: false, status: { code: 403, reason: "Forbidden", message: "black gizmos are sold out" } }],
    ["an update that grows is allowed (no answer = allowed)", request("UPDATE", gizmo({ size: { value: 2, unit: "Gi" } }), gizmo()), { uid: "uid-1", allowed: true }],
    ["an update that shrinks is denied", request("UPDATE", gizmo({ size: { value: 512, unit: "Mi" } }), gizmo()), { uid: "uid-1", allowed: false, status: { code: 403, reason: "Forbidden", message: "spec.size cannot shrink (from 1Gi)" } }],
    ["a DELETE without a handler is allowed", request("DELETE", null, gizmo()), { uid: "uid-1", allowed: true }],
  ])("%s", async (_name, req, want) => {
    expect(await gizmoValidation.review(req, silentLogger)).toEqual(want);
  });

  test("its rule lists the operations that have a handler", () => {
    expect(gizmoValidation.operations).toEqual(["CREATE", "UPDATE"]);
    expect(gizmoValidation.path).toBe("/validate-conversion-example-com-v1-gizmo");
  });

  test("a webhook without handlers or operations is refused when declared", () => {
    expect(() => validatingWebhook<conversionV1.Gizmo>(v1.gizmoResource, {}, { name: "empty.example.com" })).toThrow("validating webhook empty.example.com: no handler and no operations (the API server refuses a rule without operations)");
    expect(validatingWebhook<conversionV1.Gizmo>(v1.gizmoResource, {}, { name: "all.example.com", operations: ["CREATE"] }).operations).toEqual(["CREATE"]);
  });

  test("a request of another kind or version is refused, naming both", async () => {
    const r = await gizmoValidation.review(request("CREATE", gizmo(), undefined, { kind: { group: "conversion.example.com", version: "v1beta1", kind: "Gizmo" } }), silentLogger);
    expect(r).toEqual({ uid: "uid-1", allowed: false, status: { code: 400, message: "webhook vgizmo.conversion.example.com serves conversion.example.com/v1 Gizmo, not conversion.example.com/v1beta1 Gizmo" } });
  });

  test("a handler that throws: denied with a safe message, the error logged (never its stack in the answer)", async () => {
    const log = recordingLogger();
    const w = validatingWebhook<conversionV1.Gizmo>(v1.gizmoResource, { validateCreate: () => { throw new Error("database password is hunter2"); } }, { name: "boom.example.com" });
    const r = await w.review(request("CREATE", gizmo()), log);
    expect(r).toEqual({ uid: "uid-1", allowed: false, status: { code: 500, reason: "InternalError", message: "internal error in webhook boom.example.com (request uid-1; see its log)" } });
    expect(JSON.stringify(r)).not.toMatch(/hunter2|at .*\.ts/);
    expect(log.lines).toHaveLength(1);
    expect(JSON.parse(log.lines[0] ?? "{}")).toMatchObject({ level: "error", error: "database password is hunter2", webhook: "boom.example.com", uid: "uid-1", operation: "CREATE" });
  });

  test("AdmissionDenied thrown from a handler (sync or async) is a denial with its message and code", async () => {
    const w = validatingWebhook<conversionV1.Gizmo>(v1.gizmoResource, { validateDelete: async () => { throw new AdmissionDenied("protected", 422); } }, { name: "p.example.com" });
    expect(await w.review(request("DELETE", null, gizmo()), silentLogger)).toEqual({ uid: "uid-1", allowed: false, status: { code: 422, reason: "Invalid", message: "protected" } });
  });

  test("handlers see dryRun and the request", async () => {
    const seen: unknown[] = [];
    const w = validatingWebhook<conversionV1.Gizmo>(v1.gizmoResource, { validateCreate: (_g, ctx) => void seen.push([ctx.dryRun, ctx.operation, ctx.request.userInfo.username]) }, { name: "d.example.com", sideEffects: "NoneOnDryRun" });
    await w.review(request("CREATE", gizmo(), undefined, { dryRun: true }), silentLogger);
    await w.review(request("CREATE", gizmo()), silentLogger);
    expect(seen).toEqual([[true, "CREATE", "admin"], [false, "CREATE", "admin"]]);
  });
});

describe("mutating webhooks", () => {
  test("default() changes a copy; the JSON patch (base64) turns the original into it", async () => {
    const original = gizmo({}, { "app.kubernetes.io/name": "g" });
    const frozen = JSON.stringify(original);
    const r = await gizmoDefaulting.review(request("CREATE", original), silentLogger);
    expect(JSON.stringify(original)).toBe(frozen); // the request's object is untouched
    expect(r.allowed).toBe(true);
    expect(applied(original, r)).toEqual({
      ...original,
      metadata: { ...original.metadata, labels: { "app.kubernetes.io/name": "g", "conversion.example.com/defaulted": "true" } },
      spec: { ...original.spec, appearance: { color: "red", finish: "matte" }, priority: 5, tags: ["new"] },
    });
    // Keys with "/" and "~" are escaped as RFC 6901 says.
    const ops = JSON.parse(Buffer.from(r.patch ?? "", "base64").toString("utf8")) as { path: string }[];
    expect(ops.map((o) => o.path)).toContain("/metadata/labels/conversion.example.com~1defaulted");
  });

  test("nothing to default: no patch at all", async () => {
    const done = gizmo({ appearance: { color: "red", finish: "glossy" }, priority: 1, tags: [] }, { "conversion.example.com/defaulted": "true" });
    expect(await gizmoDefaulting.review(request("CREATE", done), silentLogger)).toEqual({ uid: "uid-1", allowed: true });
  });

  test("removing, replacing inside arrays, undefined and Date values become what JSON makes of them", async () => {
    const w = mutatingWebhook<conversionV1.Gizmo>(v1.gizmoResource, {
      default(g) {
        g.spec.tags = ["a~b", "c"];
        delete g.spec.priority;
        (g.spec.appearance as { finish?: unknown }).finish = undefined;
        (g.metadata as Record<string, unknown>)["creationTimestamp"] = new Date("2026-01-02T03:04:05Z");
      },
    }, { name: "m.example.com" });
    const original = gizmo({ tags: ["x", "y", "z"], priority: 3, appearance: { color: "red", finish: "glossy" } });
    const r = await w.review(request("CREATE", original), silentLogger);
    expect(applied(original, r)).toEqual({ ...original, metadata: { ...original.metadata, creationTimestamp: "2026-01-02T03:04:05.000Z" }, spec: { appearance: { color: "red" }, size: original.spec.size, tags: ["a~b", "c"] } });
  });

  test("a defaulting that throws is a safe denial; DELETE (no object) is allowed untouched", async () => {
    const w = mutatingWebhook<conversionV1.Gizmo>(v1.gizmoResource, { default: () => { throw new TypeError("cannot read x of undefined"); } }, { name: "m.example.com", operations: ["CREATE", "DELETE"] });
    expect((await w.review(request("CREATE", gizmo()), silentLogger)).status?.message).toBe("internal error in webhook m.example.com (request uid-1; see its log)");
    expect(await w.review(request("DELETE", null, gizmo()), silentLogger)).toEqual({ uid: "uid-1", allowed: true });
    expect(gizmoDefaulting.operations).toEqual(["CREATE"]);
    expect(gizmoDefaulting.path).toBe("/mutate-conversion-example-com-v1-gizmo");
  });
});
