import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { httpsRequest } from "@kube-codegen/envtest";
import { silentLogger } from "@kube-codegen/runtime";
import {
  crdConversion,
  mutatingWebhookConfiguration,
  selfSignedCertificates,
  validatingWebhookConfiguration,
  WebhookServer,
  withConversion,
  writeCertificates,
  type SelfSignedCertificates,
} from "@kube-codegen/runtime/webhook";
import { gizmoConversion, gizmoDefaulting, gizmoValidation } from "../support/gizmo-webhooks.js";

let dir = "";
let certs: SelfSignedCertificates;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kcg-webhook-"));
  certs = selfSignedCertificates({ hosts: ["127.0.0.1", "webhook.ns.svc"] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("selfSignedCertificates", () => {
  test("a CA and a serving certificate it signed, for the hosts given (IPs as IP SANs)", () => {
    const ca = new X509Certificate(certs.caPem);
    const leaf = new X509Certificate(certs.certPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.subjectAltName).toBe("IP Address:127.0.0.1, DNS:webhook.ns.svc");
    expect(leaf.checkPrivateKey(createPrivateKey(certs.keyPem))).toBe(true);
    expect(() => selfSignedCertificates({ hosts: [] })).toThrow("give at least one host name or IP address");
  });

  test("signedBy: a new serving certificate under the same CA", () => {
    const again = selfSignedCertificates({ hosts: ["127.0.0.1"], signedBy: certs });
    expect(again.caPem).toBe(certs.caPem);
    expect(new X509Certificate(again.certPem).verify(new X509Certificate(certs.caPem).publicKey)).toBe(true);
    expect(again.certPem).not.toBe(certs.certPem);
  });
});

/** The fingerprint of the certificate a TLS server presents. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, ca: certs.caPem, servername: "webhook.ns.svc" }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on("error", reject);
  });
}

describe("WebhookServer", () => {
  let server: WebhookServer;
  let files: ReturnType<typeof writeCertificates>;
  const abort = new AbortController();
  beforeAll(async () => {
    files = writeCertificates(join(dir, "certs"), certs);
    server = new WebhookServer({ webhooks: [gizmoValidation, gizmoDefaulting], conversions: [gizmoConversion], certFile: files.certFile, keyFile: files.keyFile, port: 0, host: "127.0.0.1", certCheckIntervalMs: 50, logger: silentLogger });
    await server.start(abort.signal);
  });
  afterAll(() => abort.abort());
  const url = (path: string): string => `https://127.0.0.1:${server.port}${path}`;

  test("serves each webhook on its path; the apiserver's ?timeout= query is ignored", async () => {
    expect(server.paths).toEqual(["/convert-conversion-example-com-gizmo", "/mutate-conversion-example-com-v1-gizmo", "/validate-conversion-example-com-v1-gizmo"]);
    const review = { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: "u1", kind: { group: "conversion.example.com", version: "v1", kind: "Gizmo" }, resource: { group: "conversion.example.com", version: "v1", resource: "gizmos" }, operation: "CREATE", userInfo: {}, object: { apiVersion: "conversion.example.com/v1", kind: "Gizmo", metadata: { name: "g" }, spec: { appearance: { color: "black" }, size: { value: 1, unit: "Gi" } } } } };
    const r = await httpsRequest(url("/validate-conversion-example-com-v1-gizmo?timeout=10s"), { caPem: certs.caPem, method: "POST", body: review });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "u1", allowed: false, status: { code: 403, reason: "Forbidden", message: "black gizmos are sold out" } } });
    const c = await httpsRequest(url("/convert-conversion-example-com-gizmo"), { caPem: certs.caPem, method: "POST", body: { apiVersion: "apiextensions.k8s.io/v1", kind: "ConversionReview", request: { uid: "c1", desiredAPIVersion: "conversion.example.com/v1", objects: [] } } });
    expect(JSON.parse(c.body)).toEqual({ apiVersion: "apiextensions.k8s.io/v1", kind: "ConversionReview", response: { uid: "c1", convertedObjects: [], result: { status: "Success" } } });
  });

  test.each([
    ["an unknown path", "/nope", "POST", "application/json", "{}", 404, "no webhook on /nope"],
    ["GET", "/convert-conversion-example-com-gizmo", "GET", undefined, undefined, 405, "webhooks accept POST only"],
    ["another content type", "/convert-conversion-example-com-gizmo", "POST", "text/plain", "{}", 415, "the body must be application/json"],
    ["a body that is not JSON", "/convert-conversion-example-com-gizmo", "POST", "application/json", "{", 400, "the body is not JSON"],
    ["an AdmissionReview of another version", "/validate-conversion-example-com-v1-gizmo", "POST", "application/json", JSON.stringify({ apiVersion: "admission.k8s.io/v1beta1", kind: "AdmissionReview", request: { uid: "x" } }), 400, "expected an admission.k8s.io/v1 AdmissionReview"],
    ["a review without a request", "/validate-conversion-example-com-v1-gizmo", "POST", "application/json", JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview" }), 400, "the AdmissionReview has no request with a uid and a kind"],
    ["a ConversionReview without objects", "/convert-conversion-example-com-gizmo", "POST", "application/json", JSON.stringify({ apiVersion: "apiextensions.k8s.io/v1", kind: "ConversionReview", request: { uid: "x", desiredAPIVersion: "a/v1" } }), 400, "the ConversionReview has no request with a uid, desiredAPIVersion and objects"],
    ["null", "/convert-conversion-example-com-gizmo", "POST", "application/json", "null", 400, "expected an apiextensions.k8s.io/v1 ConversionReview"],
  ])("refuses %s with a clear error", async (_name, path, method, contentType, body, status, error) => {
    const r = await rawPost(path, method, contentType, body);
    expect({ status: r.status, body: JSON.parse(r.body) as unknown }).toEqual({ status, body: { error } });
  });

  /** A request with the body text as it is (httpsRequest JSON-encodes bodies). */
  async function rawPost(path: string, method: string, contentType: string | undefined, body: string | undefined): Promise<{ status: number; body: string }> {
    const https = await import("node:https");
    return new Promise((resolve, reject) => {
      const req = https.request(url(path), { method, ca: certs.caPem, headers: contentType !== undefined ? { "content-type": contentType } : {}, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  test("a body over the limit is refused with 413", async () => {
    const small = new WebhookServer({ conversions: [gizmoConversion], certFile: files.certFile, keyFile: files.keyFile, port: 0, host: "127.0.0.1", maxBodyBytes: 100, logger: silentLogger });
    expect(small.listening).toBe(false);
    await small.start();
    expect(small.listening).toBe(true);
    try {
      const r = await httpsRequest(`https://127.0.0.1:${small.port}/convert-conversion-example-com-gizmo`, { caPem: certs.caPem, method: "POST", body: { pad: "x".repeat(200) } });
      expect({ status: r.status, body: JSON.parse(r.body) as unknown }).toEqual({ status: 413, body: { error: "the body is larger than 100 bytes" } });
    } finally {
      await small.stop();
    }
    expect(small.listening).toBe(false);
  });

  test("new certificate files are served without a restart; a half-written pair is ignored until complete", async () => {
    const before = await servedFingerprint(server.port);
    expect(before).toBe(new X509Certificate(certs.certPem).fingerprint256);
    const renewed = selfSignedCertificates({ hosts: ["127.0.0.1", "webhook.ns.svc"], signedBy: certs });
    writeFileSync(files.certFile, renewed.certPem); // the key does not match yet
    await new Promise((r) => setTimeout(r, 200));
    expect(await servedFingerprint(server.port)).toBe(before);
    writeFileSync(files.keyFile, renewed.keyPem);
    const want = new X509Certificate(renewed.certPem).fingerprint256;
    for (let i = 0; i < 50 && (await servedFingerprint(server.port)) !== want; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await servedFingerprint(server.port)).toBe(want);
  });

  test("certificate files that are missing or do not pair: a clear error naming them, nothing listening", async () => {
    const missing = new WebhookServer({ webhooks: [gizmoValidation], certFile: join(dir, "nope.crt"), keyFile: files.keyFile, port: 0 });
    await expect(missing.start()).rejects.toThrow(`webhook server: cannot read ${join(dir, "nope.crt")} (ENOENT)`);
    const other = writeCertificates(join(dir, "other"), selfSignedCertificates({ hosts: ["127.0.0.1"] }));
    const mismatched = new WebhookServer({ webhooks: [gizmoValidation], certFile: files.certFile, keyFile: other.keyFile, port: 0 });
    await expect(mismatched.start()).rejects.toThrow(`webhook server: ${files.certFile} and ${other.keyFile} are not a certificate and its key`);
    expect(() => mismatched.port).toThrow("the webhook server is not listening");
    const busy = new WebhookServer({ webhooks: [gizmoValidation], certFile: files.certFile, keyFile: files.keyFile, port: server.port, host: "127.0.0.1" });
    await expect(busy.start()).rejects.toThrow(`webhook server: cannot listen on 127.0.0.1:${server.port} (listen EADDRINUSE`);
    await expect(busy.start()).rejects.toThrow("EADDRINUSE"); // not "already started"
  });

  test("two webhooks on one path, or start twice, are errors", async () => {
    expect(() => new WebhookServer({ webhooks: [gizmoValidation, gizmoValidation], certFile: "x", keyFile: "y" })).toThrow("two webhooks on path /validate-conversion-example-com-v1-gizmo");
    await expect(server.start()).rejects.toThrow("the webhook server is already started");
  });
});

describe("webhook configurations", () => {
  test("validating and mutating configurations: rules from the descriptor, options, the CA bundle in base64", () => {
    const target = { url: "https://127.0.0.1:9443", caPem: certs.caPem };
    const bundle = Buffer.from(certs.caPem).toString("base64");
    expect(validatingWebhookConfiguration("gizmos", [gizmoValidation], target)).toEqual({
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingWebhookConfiguration",
      metadata: { name: "gizmos" },
      webhooks: [
        {
          name: "vgizmo.conversion.example.com",
          clientConfig: { url: "https://127.0.0.1:9443/validate-conversion-example-com-v1-gizmo", caBundle: bundle },
          rules: [{ apiGroups: ["conversion.example.com"], apiVersions: ["v1"], resources: ["gizmos"], operations: ["CREATE", "UPDATE"], scope: "Namespaced" }],
          admissionReviewVersions: ["v1"],
          sideEffects: "None",
          failurePolicy: "Fail",
          matchPolicy: "Equivalent",
          timeoutSeconds: 10,
        },
      ],
    });
    const m = mutatingWebhookConfiguration("gizmos", [gizmoDefaulting], { service: { namespace: "shop", name: "webhooks" }, injectCaFrom: "shop/webhook-cert" });
    expect(m.metadata).toEqual({ name: "gizmos", annotations: { "cert-manager.io/inject-ca-from": "shop/webhook-cert" } });
    expect(m.webhooks[0]?.clientConfig).toEqual({ service: { namespace: "shop", name: "webhooks", path: "/mutate-conversion-example-com-v1-gizmo", port: 443 } });
    expect(m.webhooks[0]?.reinvocationPolicy).toBe("Never");
    expect(() => validatingWebhookConfiguration("x", [gizmoDefaulting], target)).toThrow("webhook mgizmo.conversion.example.com is mutating, not validating");
    expect(() => validatingWebhookConfiguration("x", [gizmoValidation], { url: "http://127.0.0.1" })).toThrow("the API server calls webhooks over https only");
    expect(() => validatingWebhookConfiguration("x", [gizmoValidation], {})).toThrow("a webhook target needs a url or a service (not both)");
  });

  test("the CRD's spec.conversion, and withConversion checking the CRD's versions", () => {
    const target = { url: "https://127.0.0.1:9443/", caPem: certs.caPem };
    expect(crdConversion(gizmoConversion, target)).toEqual({ strategy: "Webhook", webhook: { clientConfig: { url: "https://127.0.0.1:9443/convert-conversion-example-com-gizmo", caBundle: Buffer.from(certs.caPem).toString("base64") }, conversionReviewVersions: ["v1"] } });
    const crd = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "gizmos.conversion.example.com" }, spec: { group: "conversion.example.com", names: { kind: "Gizmo" }, versions: [{ name: "v1" }, { name: "v1beta1" }] } };
    expect(withConversion(crd, gizmoConversion, target).spec.conversion).toEqual(crdConversion(gizmoConversion, target));
    expect(crd.spec).not.toHaveProperty("conversion");
    expect(() => withConversion({ ...crd, spec: { ...crd.spec, versions: [...crd.spec.versions, { name: "v2" }] } }, gizmoConversion, target)).toThrow("CRD gizmos.conversion.example.com has versions the webhook does not convert: v2 (it converts v1, v1beta1; hub conversion.example.com/v1)");
    expect(() => withConversion({ ...crd, spec: { ...crd.spec, names: { kind: "Widget" } } }, gizmoConversion, target)).toThrow("CRD gizmos.conversion.example.com is conversion.example.com Widget; the webhook converts conversion.example.com Gizmo");
  });
});
