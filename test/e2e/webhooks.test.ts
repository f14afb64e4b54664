import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { connect } from "node:tls";
import { X509Certificate } from "node:crypto";
import { join } from "node:path";
import { load } from "js-yaml";
import { createClientset as createBuiltins, type apiextensionsV1, type Clientset as Builtins } from "@kube-codegen/api";
import { startApiServer, type ApiServer } from "@kube-codegen/envtest";
import { ApiStatusError, createRestClient, isNotFound, silentLogger, type RestClient } from "@kube-codegen/runtime";
import {
  mutatingWebhookConfiguration,
  selfSignedCertificates,
  validatingWebhook,
  validatingWebhookConfiguration,
  WebhookServer,
  withConversion,
  writeCertificates,
  type AdmissionRequest,
  type AdmissionWebhook,
  type ConversionRequest,
  type ConversionWebhook,
  type SelfSignedCertificates,
} from "@kube-codegen/runtime/webhook";
import { createClientset, type Clientset, type conversionV1, type conversionV1beta1 } from "../../fixtures/webhooks/generated/index.js";
import { describeE2E, e2eBinaries } from "../support/e2e.js";
import { gizmoConversion, gizmoDefaulting, gizmoValidation, PRIORITY_ANNOTATION } from "../support/gizmo-webhooks.js";
import { REPO } from "../support/paths.js";
import { freshNamespace, installCrds } from "./support.js";

// The real API server calls our webhooks on https://127.0.0.1:<port>, trusting the CA bundle of the
// configurations: admission (validating, mutating, dry run, failure policies) and the conversion
// of the fixture Gizmo between v1beta1 and v1. An apiserver of its own (the webhooks apply to all of
// it), without the watch cache, so that every read reaches etcd and its conversions can be watched.

const CRD_FILE = join(REPO, "fixtures/webhooks/crds/gizmos.yaml");
const binaries = e2eBinaries();

/** The fixture CRD, typed. */
const fixtureCrd = (): apiextensionsV1.CustomResourceDefinition => load(readFileSync(CRD_FILE, "utf8")) as apiextensionsV1.CustomResourceDefinition;

/** A webhook that records the requests it answers. */
function recorded(w: AdmissionWebhook, seen: AdmissionRequest[]): AdmissionWebhook {
  return { ...w, review: (req, log) => (seen.push(req), w.review(req, log)) };
}

function recordedConversion(c: ConversionWebhook<conversionV1.Gizmo>, seen: ConversionRequest[]): ConversionWebhook<conversionV1.Gizmo> {
  return { ...c, path: c.path, review: (req, log) => (seen.push(req), c.review(req, log)) };
}

/** POSTs JSON to the webhook server, trusting its CA. */
function postJson(url: string, body: unknown, caPem: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: "POST", ca: caPem, headers: { "content-type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

/** The fingerprint of the certificate a TLS server on loopback presents, trusting `caPem`. */
function servedFingerprint(port: number, caPem: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, ca: caPem, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on("error", reject);
  });
}

/** The object as etcd holds it (custom resources are stored as JSON). */
async function stored(api: ApiServer, namespace: string, name: string): Promise<{ apiVersion: string; spec: unknown }> {
  const key = Buffer.from(`/registry/conversion.example.com/gizmos/${namespace}/${name}`).toString("base64");
  const r = (await (await fetch(`${api.etcdUrl}/v3/kv/range`, { method: "POST", body: JSON.stringify({ key }) })).json()) as { kvs?: { value: string }[] };
  const value = r.kvs?.[0]?.value;
  if (value === undefined) throw new Error(`${namespace}/${name} is not in etcd`);
  return JSON.parse(Buffer.from(value, "base64").toString("utf8")) as { apiVersion: string; spec: unknown };
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const errorOf = async (p: Promise<unknown>): Promise<ApiStatusError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiStatusError) return err;
    throw err;
  }
  throw new Error("the request succeeded");
};

const v1Gizmo = (name: string, spec: Partial<conversionV1.GizmoSpec> = {}, labels?: Record<string, string>): conversionV1.Gizmo => ({
  apiVersion: "conversion.example.com/v1",
  kind: "Gizmo",
  metadata: { name, ...(labels !== undefined ? { labels } : {}) },
  spec: { appearance: { color: "red" }, size: { value: 1, unit: "Gi" }, tags: ["t"], ...spec },
});

if (binaries === undefined) {
  describeE2E("webhooks called by the real API server", () => undefined);
} else {
  describe("webhooks called by the real API server", () => {
    let api: ApiServer;
    let rest: RestClient;
    let cs: Clientset;
    let builtins: Builtins;
    let server: WebhookServer;
    let certs: SelfSignedCertificates;
    let ns = "";
    let dir = "";
    const admissions: AdmissionRequest[] = [];
    const conversions: ConversionRequest[] = [];
    const target = (): { url: string; caPem: string } => ({ url: `https://127.0.0.1:${server.port}`, caPem: certs.caPem });

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "kcg-webhooks-e2e-"));
      certs = selfSignedCertificates({ hosts: ["127.0.0.1"] });
      const files = writeCertificates(dir, certs);
      server = new WebhookServer({
        webhooks: [recorded(gizmoValidation, admissions), recorded(gizmoDefaulting, admissions)],
        conversions: [recordedConversion(gizmoConversion, conversions)],
        certFile: files.certFile,
        keyFile: files.keyFile,
        port: 0,
        host: "127.0.0.1",
        logger: silentLogger,
        certCheckIntervalMs: 200,
      });
      await server.start();
      api = await startApiServer({ binaries, apiserverArgs: ["--watch-cache=false"] });
      rest = createRestClient({ kubeconfigPath: api.kubeconfigPath });
      cs = createClientset({ kubeconfigPath: api.kubeconfigPath });
      builtins = createBuiltins({ kubeconfigPath: api.kubeconfigPath });
      // The CRD starts with v1beta1 as its storage version, so that etcd holds both versions once
      // the conversion test moves storage to v1 (as a real upgrade does).
      const crd = fixtureCrd();
      const betaStorage = { ...crd, spec: { ...crd.spec, versions: crd.spec.versions.map((v) => ({ ...v, storage: v.name === "v1beta1" })) } };
      await installCrds(rest, [withConversion(betaStorage, gizmoConversion, target())]);
      await builtins.admissionregistrationV1.validatingWebhookConfigurations().create(validatingWebhookConfiguration("gizmos", [gizmoValidation], target()));
      await builtins.admissionregistrationV1.mutatingWebhookConfigurations().create(mutatingWebhookConfiguration("gizmos", [gizmoDefaulting], target()));
      ns = await freshNamespace(rest, "webhooks");
      // The apiserver picks configurations up from its informer: wait until a denial comes back.
      await eventually("the validating webhook to be called", async () => (await cs.conversionV1.gizmos(ns).create(v1Gizmo("probe", { appearance: { color: "black" } }), { dryRun: true }).then(() => false, () => true)));
    }, 120_000);

    afterAll(async () => {
      cs?.rest.close();
      builtins?.rest.close();
      rest?.close();
      await server?.stop();
      await api?.stop();
      if (dir !== "") rmSync(dir, { recursive: true, force: true });
    });

    describe("admission", () => {
      test("a validating webhook refuses with its reason, shown to the client", async () => {
        const err = await errorOf(cs.conversionV1.gizmos(ns).create(v1Gizmo("black", { appearance: { color: "black" } })));
        expect(err.code).toBe(403);
        expect(err.status.message).toBe('admission webhook "vgizmo.conversion.example.com" denied the request: black gizmos are sold out');
        await cs.conversionV1.gizmos(ns).create(v1Gizmo("grow"));
        const live = await cs.conversionV1.gizmos(ns).get("grow");
        const shrink = await errorOf(cs.conversionV1.gizmos(ns).update({ ...live, spec: { ...live.spec, size: { value: 10, unit: "Mi" } } }));
        expect(shrink.status.message).toBe('admission webhook "vgizmo.conversion.example.com" denied the request: spec.size cannot shrink (from 1Gi)');
        await cs.conversionV1.gizmos(ns).update({ ...live, spec: { ...live.spec, size: { value: 2, unit: "Gi" } } });
      });

      test("the webhook's warnings reach the client in Warning headers", async () => {
        const body = JSON.stringify({ ...v1Gizmo("untagged"), spec: { appearance: { color: "red" }, size: { value: 1, unit: "Gi" }, tags: [] } });
        const warning = await new Promise<string | string[] | undefined>((resolve, reject) => {
          const req = httpsRequest(`${api.url}/apis/conversion.example.com/v1/namespaces/${ns}/gizmos`, { method: "POST", ca: api.caPem, headers: { authorization: `Bearer ${api.adminToken}`, "content-type": "application/json" } }, (res) => {
            res.resume();
            res.on("end", () => (res.statusCode === 201 ? resolve(res.headers.warning) : reject(new Error(`status ${res.statusCode}`))));
          });
          req.on("error", reject);
          req.end(body);
        });
        expect(warning).toBe('299 - "an untagged gizmo is hard to find"');
      });

      test("a mutating webhook's defaults are on the stored object", async () => {
        const created = await cs.conversionV1.gizmos(ns).create({ ...v1Gizmo("plain"), spec: { appearance: { color: "red" }, size: { value: 1, unit: "Gi" } } });
        const live = await cs.conversionV1.gizmos(ns).get("plain");
        for (const g of [created, live]) {
          expect(g.spec).toEqual({ appearance: { color: "red", finish: "matte" }, size: { value: 1, unit: "Gi" }, priority: 5, tags: ["new"] });
          expect(g.metadata.labels).toEqual({ "conversion.example.com/defaulted": "true" });
        }
      });

      test("dryRun requests reach the webhooks with dryRun: true, and nothing is stored", async () => {
        const before = admissions.length;
        const answer = await cs.conversionV1.gizmos(ns).create(v1Gizmo("dry"), { dryRun: true });
        expect(answer.spec.priority).toBe(5);
        expect(await cs.conversionV1.gizmos(ns).get("dry").catch((e: unknown) => (isNotFound(e) ? "not found" : e))).toBe("not found");
        const seen = admissions.slice(before).filter((r) => r.name === "dry");
        expect(seen.map((r) => [r.kind.kind, r.operation, r.dryRun])).toEqual([
          ["Gizmo", "CREATE", true],
          ["Gizmo", "CREATE", true],
        ]);
        expect(admissions.slice(before).filter((r) => r.dryRun !== true)).toEqual([]);
      });

      test("the webhook down: failurePolicy Fail refuses, Ignore admits", async () => {
        const downDir = join(dir, "down");
        const files = writeCertificates(downDir, selfSignedCertificates({ hosts: ["127.0.0.1"], signedBy: certs }));
        const allowAll = (name: string, failurePolicy: "Fail" | "Ignore"): AdmissionWebhook =>
          validatingWebhook<conversionV1.Gizmo>({ ...gizmoValidation.resource }, {}, { name, failurePolicy, path: `/${failurePolicy}`, operations: ["CREATE"], objectSelector: { matchLabels: { policy: failurePolicy } }, timeoutSeconds: 2 });
        const webhooks = [allowAll("fail.down.example.com", "Fail"), allowAll("ignore.down.example.com", "Ignore")];
        const downSeen: AdmissionRequest[] = [];
        const down = new WebhookServer({ webhooks: webhooks.map((w) => recorded(w, downSeen)), certFile: files.certFile, keyFile: files.keyFile, port: 0, host: "127.0.0.1", logger: silentLogger });
        await down.start();
        const port = down.port;
        await builtins.admissionregistrationV1.validatingWebhookConfigurations().create(validatingWebhookConfiguration("down", webhooks, { url: `https://127.0.0.1:${port}`, caPem: certs.caPem }));
        // While it is up, both are called and admit.
        for (const policy of ["Fail", "Ignore"]) {
          await eventually(`the ${policy} webhook to be called`, async () => {
            await cs.conversionV1.gizmos(ns).create(v1Gizmo(`up-${policy.toLowerCase()}`, {}, { policy }), { dryRun: true });
            return downSeen.some((r) => r.name === `up-${policy.toLowerCase()}`);
          });
        }
        await down.stop();
        const refused = await errorOf(cs.conversionV1.gizmos(ns).create(v1Gizmo("down-fail", {}, { policy: "Fail" })));
        expect(refused.code).toBe(500);
        expect(refused.status.message).toMatch(new RegExp(`^Internal error occurred: failed calling webhook "fail\\.down\\.example\\.com": failed to call webhook: Post "https://127\\.0\\.0\\.1:${port}/Fail\\?timeout=2s": dial tcp 127\\.0\\.0\\.1:${port}: connect: connection refused$`));
        const admitted = await cs.conversionV1.gizmos(ns).create(v1Gizmo("down-ignore", {}, { policy: "Ignore" }));
        expect(admitted.metadata.uid).toBeDefined();
        await builtins.admissionregistrationV1.validatingWebhookConfigurations().delete("down");
      });
    });

    describe("conversion", () => {
      const betaGizmo = (name: string, spec: conversionV1beta1.GizmoSpec): conversionV1beta1.Gizmo => ({
        apiVersion: "conversion.example.com/v1beta1",
        kind: "Gizmo",
        metadata: { name, annotations: { [PRIORITY_ANNOTATION]: "7", note: "kept" } },
        spec,
      });

      test("objects created as v1beta1 are stored as v1 and read back as either version with every field intact", async () => {
        // Objects written while v1beta1 was the storage version stay so in etcd.
        await cs.conversionV1beta1.gizmos(ns).create(betaGizmo("old-1", { color: "blue", size: "2Gi", tags: "a" }));
        await cs.conversionV1.gizmos(ns).create(v1Gizmo("old-2", { appearance: { color: "green", finish: "glossy" }, priority: 1 }));
        expect((await stored(api, ns, "old-1")).apiVersion).toBe("conversion.example.com/v1beta1");
        expect((await stored(api, ns, "old-2")).apiVersion).toBe("conversion.example.com/v1beta1");
        // Move storage to v1, as the fixture declares it.
        const crd = fixtureCrd();
        const live = await builtins.apiextensionsV1.customResourceDefinitions().get("gizmos.conversion.example.com");
        await builtins.apiextensionsV1.customResourceDefinitions().update({ ...live, spec: { ...live.spec, versions: live.spec.versions.map((v) => ({ ...v, storage: v.name === "v1" })) } });
        expect(crd.spec.versions.find((v) => v.storage)?.name).toBe("v1");
        await eventually("v1 to be the storage version", async () => {
          await cs.conversionV1beta1.gizmos(ns).delete("probe-storage").catch(() => undefined);
          await cs.conversionV1beta1.gizmos(ns).create(betaGizmo("probe-storage", { color: "red", size: "1Gi" }));
          return (await stored(api, ns, "probe-storage")).apiVersion === "conversion.example.com/v1";
        });

        const sent = betaGizmo("new-1", { color: "purple", finish: "glossy", size: "10Gi", tags: "x,y,z" });
        await cs.conversionV1beta1.gizmos(ns).create(sent);
        expect(await stored(api, ns, "new-1")).toMatchObject({
          apiVersion: "conversion.example.com/v1",
          spec: { appearance: { color: "purple", finish: "glossy" }, size: { value: 10, unit: "Gi" }, tags: ["x", "y", "z"], priority: 7 },
        });
        const asBeta = await cs.conversionV1beta1.gizmos(ns).get("new-1");
        expect(asBeta.spec).toEqual(sent.spec);
        expect(asBeta.metadata.annotations).toEqual(sent.metadata.annotations);
        const asV1 = await cs.conversionV1.gizmos(ns).get("new-1");
        expect(asV1.spec).toEqual({ appearance: { color: "purple", finish: "glossy" }, size: { value: 10, unit: "Gi" }, tags: ["x", "y", "z"], priority: 7 });
        expect(asV1.metadata.annotations).toEqual({ note: "kept" });
        expect(asV1.metadata.uid).toBe(asBeta.metadata.uid);
      });

      test("a list of objects of mixed versions: the apiserver's conversions, and a mixed batch in one review", async () => {
        // etcd holds old-1 and old-2 as v1beta1 (written before the storage move), new-1 as v1.
        expect([(await stored(api, ns, "old-1")).apiVersion, (await stored(api, ns, "old-2")).apiVersion, (await stored(api, ns, "new-1")).apiVersion]).toEqual([
          "conversion.example.com/v1beta1",
          "conversion.example.com/v1beta1",
          "conversion.example.com/v1",
        ]);
        const name = (o: unknown): string => (o as { metadata: { name: string } }).metadata.name;
        const storedAs = async (n: string): Promise<string> => (await stored(api, ns, n)).apiVersion;
        // Listing as v1beta1 (from etcd: this apiserver runs without the watch cache): kube-apiserver
        // decodes every item into the version asked for (kubernetes#88995), so only the items stored as
        // v1 are sent, each in a review of its own; the list comes back all v1beta1, every field intact.
        let before = conversions.length;
        const asBeta = await cs.conversionV1beta1.gizmos(ns).list();
        const reviews = conversions.slice(before);
        const storedV1: string[] = [];
        for (const g of asBeta.items) if ((await storedAs(g.metadata.name ?? "")) === "conversion.example.com/v1") storedV1.push(g.metadata.name ?? "");
        expect(storedV1).toEqual(expect.arrayContaining(["new-1"]));
        expect(reviews.map((r) => [r.desiredAPIVersion, r.objects.map(name)])).toEqual(storedV1.map((n) => ["conversion.example.com/v1beta1", [n]]));
        expect(asBeta.items.every((g) => g.apiVersion === "conversion.example.com/v1beta1")).toBe(true);
        const beta = (n: string): conversionV1beta1.Gizmo | undefined => asBeta.items.find((g) => g.metadata.name === n);
        expect([beta("old-1")?.spec, beta("old-2")?.spec, beta("new-1")?.spec]).toEqual([
          // Defaulted by the v1 mutating webhook: matchPolicy Equivalent sends v1beta1 requests converted.
          { color: "blue", finish: "matte", size: "2Gi", tags: "a" },
          { color: "green", finish: "glossy", size: "1Gi", tags: "t" },
          { color: "purple", finish: "glossy", size: "10Gi", tags: "x,y,z" },
        ]);
        expect(beta("old-2")?.metadata.annotations).toEqual({ [PRIORITY_ANNOTATION]: "1" });
        before = conversions.length;
        const asV1 = await cs.conversionV1.gizmos(ns).list();
        expect(conversions.slice(before).flatMap((r) => r.objects.map(name)).sort()).toEqual(asV1.items.map((g) => g.metadata.name ?? "").filter((n) => !storedV1.includes(n)).sort());
        expect(asV1.items.find((g) => g.metadata.name === "old-1")?.spec).toEqual({ appearance: { color: "blue", finish: "matte" }, size: { value: 2, unit: "Gi" }, tags: ["a"], priority: 7 });
        // A review of several objects of both versions (as a server batching a list would send it), to
        // the same server the apiserver calls: one response, every object converted, in order.
        const raw = await rest.request<{ items: unknown[] }>({ verb: "list", method: "GET", path: `/apis/conversion.example.com/v1beta1/namespaces/${ns}/gizmos` });
        const mixed = [...raw.items.slice(0, 2), ...asV1.items.slice(0, 2)];
        const answer = await postJson(`https://127.0.0.1:${server.port}${gizmoConversion.path}`, { apiVersion: "apiextensions.k8s.io/v1", kind: "ConversionReview", request: { uid: "mixed-1", desiredAPIVersion: "conversion.example.com/v1", objects: mixed } }, certs.caPem);
        const response = (answer as { response: { uid: string; result: unknown; convertedObjects: conversionV1.Gizmo[] } }).response;
        expect([response.uid, response.result]).toEqual(["mixed-1", { status: "Success" }]);
        expect(response.convertedObjects.map((o) => [o.apiVersion, o.metadata.name])).toEqual(mixed.map((o) => ["conversion.example.com/v1", name(o)]));
        for (const o of response.convertedObjects) expect(o).toEqual(asV1.items.find((g) => g.metadata.name === o.metadata.name));
      });

      test("a conversion error reaches the client with the webhook's message", async () => {
        const err = await errorOf(cs.conversionV1beta1.gizmos(ns).create(betaGizmo("bad", { color: "red", size: "ten" })));
        expect(err.status.message).toContain('spec.size "ten" is not a size such as 512Mi or 10Gi');
        expect(err.status.message).toContain("conversion webhook for conversion.example.com/v1beta1, Kind=Gizmo failed");
        expect(await cs.conversionV1beta1.gizmos(ns).get("bad").catch((e: unknown) => (isNotFound(e) ? "not found" : e))).toBe("not found");
      });
    });

    describe("certificate rotation", () => {
      test("a new CA and certificate written over the files are served, and the apiserver trusting only the new CA calls the webhooks", async () => {
        const rotated = selfSignedCertificates({ hosts: ["127.0.0.1"], caName: "rotated-ca" });
        writeCertificates(dir, rotated); // as cert-manager renews the Secret and the kubelet updates the mount
        const want = new X509Certificate(rotated.certPem).fingerprint256;
        await eventually("the new certificate to be served", async () => (await servedFingerprint(server.port, rotated.caPem)) === want);
        // cainjector's part: the new CA bundle into every configuration.
        const next = { url: `https://127.0.0.1:${server.port}`, caPem: rotated.caPem };
        const admission = builtins.admissionregistrationV1;
        const v = await admission.validatingWebhookConfigurations().get("gizmos");
        await admission.validatingWebhookConfigurations().update({ ...v, webhooks: validatingWebhookConfiguration("gizmos", [gizmoValidation], next).webhooks });
        const m = await admission.mutatingWebhookConfigurations().get("gizmos");
        await admission.mutatingWebhookConfigurations().update({ ...m, webhooks: mutatingWebhookConfiguration("gizmos", [gizmoDefaulting], next).webhooks });
        const crd = await builtins.apiextensionsV1.customResourceDefinitions().get("gizmos.conversion.example.com");
        await builtins.apiextensionsV1.customResourceDefinitions().update(withConversion(crd, gizmoConversion, next));
        // Until the apiserver has the new bundles it fails (x509) or denies: wait for our own denial.
        await eventually("the webhooks to be called with the new CA", async () => {
          const denial = await errorOf(cs.conversionV1.gizmos(ns).create(v1Gizmo("black-again", { appearance: { color: "black" } }), { dryRun: true }));
          return denial.status.message === 'admission webhook "vgizmo.conversion.example.com" denied the request: black gizmos are sold out';
        });
        const created = await cs.conversionV1.gizmos(ns).create({ ...v1Gizmo("after-rotation"), spec: { appearance: { color: "red" }, size: { value: 1, unit: "Gi" } } });
        expect(created.spec.priority).toBe(5);
        await eventually("the conversion webhook to be called with the new CA", async () => (await cs.conversionV1beta1.gizmos(ns).get("after-rotation").then((g) => g.spec.size === "1Gi", () => false)));
      });
    });

    test("fixtures/webhooks/generated is what the generator makes of the fixture CRD", () => {
      const r = spawnSync(process.execPath, [join(REPO, "generator/dist/cli/main.js"), "generate", "--config", join(REPO, "fixtures/webhooks/kube-codegen.config.yaml"), "--check"], { cwd: REPO, encoding: "utf8" });
      expect(r.stderr).toBe("fixtures/webhooks/generated is up to date (11 files)\n");
      expect(r.status).toBe(0);
    });
  });
}
