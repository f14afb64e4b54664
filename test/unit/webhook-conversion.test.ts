import { describe, expect, test } from "@jest/globals";
import { silentLogger } from "@kube-codegen/runtime";
import { conversion, ConversionError, roundTrip, type ConversionRequest } from "@kube-codegen/runtime/webhook";
import { conversionV1, conversionV1beta1 } from "../../fixtures/webhooks/generated/index.js";
import { gizmoConversion, PRIORITY_ANNOTATION } from "../support/gizmo-webhooks.js";

const meta = (name: string, extra: object = {}) => ({ name, namespace: "ns", uid: `uid-${name}`, resourceVersion: "7", generation: 2, ...extra });

const beta = (name: string, spec: conversionV1beta1.GizmoSpec, extra: object = {}): conversionV1beta1.Gizmo => ({ apiVersion: "conversion.example.com/v1beta1", kind: "Gizmo", metadata: meta(name, extra), spec });
const hub = (name: string, spec: conversionV1.GizmoSpec, extra: object = {}): conversionV1.Gizmo => ({ apiVersion: "conversion.example.com/v1", kind: "Gizmo", metadata: meta(name, extra), spec });

describe("hub-and-spoke conversion", () => {
  test("a mixed batch: every object converted to the desired version, in order, metadata kept", () => {
    const request: ConversionRequest = {
      uid: "rev-1",
      desiredAPIVersion: "conversion.example.com/v1",
      objects: [
        beta("a", { color: "red", size: "10Gi", tags: "x,y" }, { labels: { l: "1" } }),
        hub("b", { appearance: { color: "blue" }, size: { value: 5, unit: "Mi" } }),
        beta("c", { color: "green", size: "512Mi" }, { annotations: { [PRIORITY_ANNOTATION]: "9", other: "kept" } }),
      ],
    };
    const r = gizmoConversion.review(request, silentLogger);
    expect(r.result).toEqual({ status: "Success" });
    expect(r.uid).toBe("rev-1");
    expect(r.convertedObjects).toEqual([
      hub("a", { appearance: { color: "red" }, size: { value: 10, unit: "Gi" }, tags: ["x", "y"] }, { labels: { l: "1" } }),
      request.objects[1],
      hub("c", { appearance: { color: "green" }, size: { value: 512, unit: "Mi" }, priority: 9 }, { annotations: { other: "kept" } }),
    ]);
  });

  test("to a spoke: through the hub; the lossy field kept in an annotation", () => {
    const r = gizmoConversion.review({ uid: "rev-2", desiredAPIVersion: "conversion.example.com/v1beta1", objects: [hub("a", { appearance: { color: "red", finish: "glossy" }, size: { value: 1, unit: "Gi" }, priority: 3, tags: [] })] }, silentLogger);
    expect(r.convertedObjects).toEqual([beta("a", { color: "red", finish: "glossy", size: "1Gi", tags: "" }, { annotations: { [PRIORITY_ANNOTATION]: "3" } })]);
  });

  test("failures: each failing object named with its reason, no objects returned; an unexpected error is logged, not sent", () => {
    const errors: unknown[] = [];
    const log = { ...silentLogger, error: (_m: string, e: unknown) => void errors.push(e) };
    const w = conversion<conversionV1.Gizmo>(conversionV1.gizmoResource).spoke<conversionV1beta1.Gizmo>(conversionV1beta1.gizmoResource, {
      toHub: (o) => {
        if (o.spec.color === "crash") throw new RangeError("secret detail");
        return gizmoConversion.convert(o, "conversion.example.com/v1") as conversionV1.Gizmo;
      },
      fromHub: (h) => gizmoConversion.convert(h, "conversion.example.com/v1beta1") as conversionV1beta1.Gizmo,
    });
    const r = w.review(
      {
        uid: "rev-3",
        desiredAPIVersion: "conversion.example.com/v1",
        objects: [beta("ok", { color: "red", size: "1Gi" }), beta("bad", { color: "red", size: "ten" }), beta("boom", { color: "crash", size: "1Gi" }), { ...beta("old", { color: "red", size: "1Gi" }), apiVersion: "conversion.example.com/v1alpha1" }],
      },
      log,
    );
    expect(r).toEqual({
      uid: "rev-3",
      convertedObjects: [],
      result: {
        status: "Failure",
        message:
          'converting to conversion.example.com/v1: object 1 (conversion.example.com/v1beta1 ns/bad): spec.size "ten" is not a size such as 512Mi or 10Gi; ' +
          "object 2 (conversion.example.com/v1beta1 ns/boom): internal error (see the webhook's log); " +
          "object 3 (conversion.example.com/v1alpha1 ns/old): no conversion from conversion.example.com/v1alpha1 (this webhook converts conversion.example.com/v1, conversion.example.com/v1beta1)",
      },
    });
    expect(errors).toEqual([new RangeError("secret detail")]);
  });

  test("the server's rules hold whatever the conversion does: apiVersion, kind, name, uid restored; labels and annotations taken", () => {
    const sloppy = conversion<conversionV1.Gizmo>(conversionV1.gizmoResource).spoke<conversionV1beta1.Gizmo>(conversionV1beta1.gizmoResource, {
      toHub: (o) => ({ apiVersion: "conversion.example.com/v1", kind: "Gizmo", metadata: { name: "renamed", labels: { added: "yes" } }, spec: { appearance: { color: o.spec.color }, size: { value: 1, unit: "Gi" } } }),
      fromHub: () => {
        throw new ConversionError("one way only");
      },
    });
    const input = beta("a", { color: "red", size: "1Gi" }, { annotations: { gone: "x" } });
    const out = sloppy.convert(input, "conversion.example.com/v1");
    expect(out.metadata).toEqual({ ...meta("a"), labels: { added: "yes" } });
    expect(input.metadata.annotations).toEqual({ gone: "x" });
    expect(() => sloppy.convert(hub("h", { appearance: { color: "red" }, size: { value: 1, unit: "Gi" } }), "conversion.example.com/v1beta1")).toThrow(new ConversionError("one way only"));
  });

  test("declaring a spoke of another kind, or a version twice, is an error", () => {
    const w = conversion<conversionV1.Gizmo>(conversionV1.gizmoResource);
    expect(() => w.spoke({ ...conversionV1beta1.gizmoResource, kind: "Widget" }, { toHub: (o) => o as never, fromHub: (h) => h })).toThrow("spoke conversion.example.com/v1beta1 Widget is not a version of conversion.example.com Gizmo");
    expect(() => w.spoke(conversionV1.gizmoResource, { toHub: (o) => o as never, fromHub: (h) => h })).toThrow("version v1 of Gizmo declared twice");
    expect(gizmoConversion.spokeVersions).toEqual(["v1beta1"]);
    expect(gizmoConversion.path).toBe("/convert-conversion-example-com-gizmo");
  });
});

describe("roundTrip", () => {
  const full = beta("a", { color: "red", finish: "matte", size: "10Gi", tags: "x,y" }, { labels: { l: "1" }, annotations: { a: "1" } });

  test("spoke → hub → spoke and hub → spoke → hub keep every field", () => {
    expect(roundTrip(gizmoConversion, full, "conversion.example.com/v1")).toEqual([]);
    expect(roundTrip(gizmoConversion, hub("h", { appearance: { color: "red" }, size: { value: 3, unit: "Mi" }, priority: 4, tags: ["t"] }), "conversion.example.com/v1beta1")).toEqual([]);
  });

  test("a conversion that forgets a field is caught, unless the field is declared lossy", () => {
    const forgetful = conversion<conversionV1.Gizmo>(conversionV1.gizmoResource).spoke<conversionV1beta1.Gizmo>(conversionV1beta1.gizmoResource, {
      toHub: (o) => ({ ...(gizmoConversion.convert(o, "conversion.example.com/v1") as conversionV1.Gizmo), spec: { appearance: { color: o.spec.color }, size: { value: 10, unit: "Gi" } } }),
      fromHub: (h) => gizmoConversion.convert(h, "conversion.example.com/v1beta1") as conversionV1beta1.Gizmo,
    });
    expect(roundTrip(forgetful, full, "conversion.example.com/v1")).toEqual([
      { path: "/spec/tags", op: "remove" },
      { path: "/spec/finish", op: "remove" },
    ]);
    expect(roundTrip(forgetful, full, "conversion.example.com/v1", { lossy: ["/spec/tags", "/spec/finish"] })).toEqual([]);
  });
});
