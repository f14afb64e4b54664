import { expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { httpsRequest } from "@kube-codegen/envtest";
import { describeE2E } from "../support/e2e.js";
import { REPO } from "../support/paths.js";

describeE2E("envtest: a real kube-apiserver backed by etcd", (server) => {
  const admin = (path: string, method = "GET", body?: unknown, contentType?: string) =>
    httpsRequest(`${server.url}${path}`, { caPem: server.caPem, token: server.adminToken, method, body, ...(contentType !== undefined ? { contentType } : {}) });
  const crdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  const crd = yaml.load(readFileSync(join(REPO, "fixtures/crds/widgets.yaml"), "utf8")) as { metadata: { name: string } };

  test("became ready within 15 s", () => {
    expect(server.startupMs).toBeLessThan(15_000);
  });

  test("installs a fixture CRD and waits for it to be Established", async () => {
    const created = await admin(crdPath, "POST", crd);
    expect([201, 409]).toContain(created.status);
    let established = false;
    for (let i = 0; i < 100 && !established; i++) {
      const got = JSON.parse((await admin(`${crdPath}/${crd.metadata.name}`)).body) as { status?: { conditions?: { type: string; status: string }[] } };
      established = got.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
      if (!established) await new Promise((r) => setTimeout(r, 100));
    }
    expect(established).toBe(true);
  });

  test("creates, reads, lists and deletes a custom resource over HTTPS", async () => {
    const base = "/apis/shop.example.com/v1/namespaces/default/widgets";
    const widget = { apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "smoke", labels: { app: "smoke" } }, spec: { size: "small" } };
    let created = await admin(base, "POST", widget);
    for (let i = 0; created.status === 404 && i < 50; i++) {
      // The discovery of a just-established CRD can lag a moment.
      await new Promise((r) => setTimeout(r, 100));
      created = await admin(base, "POST", widget);
    }
    expect(created.status).toBe(201);
    const obj = JSON.parse(created.body) as { metadata: { uid: string }; spec: { replicas: number } };
    expect(obj.spec.replicas).toBe(1); // the schema's default, applied by the server
    const got = await admin(`${base}/smoke`);
    expect(got.status).toBe(200);
    expect((JSON.parse(got.body) as { metadata: { uid: string } }).metadata.uid).toBe(obj.metadata.uid);
    const listed = JSON.parse((await admin(`${base}?labelSelector=app%3Dsmoke`)).body) as { items: { metadata: { name: string } }[] };
    expect(listed.items.map((i) => i.metadata.name)).toEqual(["smoke"]);
    expect((await admin(`${base}/smoke`, "DELETE")).status).toBe(200);
    expect((await admin(`${base}/smoke`)).status).toBe(404);
  });

  test("rejects an object that violates the schema with 422", async () => {
    const bad = { apiVersion: "shop.example.com/v1", kind: "Widget", metadata: { name: "bad" }, spec: { size: "huge" } };
    const res = await admin("/apis/shop.example.com/v1/namespaces/default/widgets", "POST", bad);
    expect(res.status).toBe(422);
    expect(res.body).toContain("spec.size");
  });

  test("answers 403 to the unprivileged user and 401 to a wrong token", async () => {
    const asUser = await httpsRequest(`${server.url}/apis/shop.example.com/v1/namespaces/default/widgets`, { caPem: server.caPem, token: server.userToken });
    expect(asUser.status).toBe(403);
    expect(asUser.body).toContain("unprivileged");
    const wrong = await httpsRequest(`${server.url}/apis/shop.example.com/v1/namespaces/default/widgets`, { caPem: server.caPem, token: "nope" });
    expect(wrong.status).toBe(401);
  });

  test("publishes the CRD's schema at /openapi/v3", async () => {
    const index = JSON.parse((await admin("/openapi/v3")).body) as { paths: Record<string, { serverRelativeURL: string }> };
    const entry = index.paths["apis/shop.example.com/v1"];
    expect(entry).toBeDefined();
    const doc = JSON.parse((await admin(entry?.serverRelativeURL ?? "")).body) as { components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.components.schemas)).toContain("com.example.shop.v1.Widget");
  });
});
