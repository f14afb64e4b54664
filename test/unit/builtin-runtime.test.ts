import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { AGGREGATED_DISCOVERY_ACCEPT, KubeError, createResourceClient, createRestClient, discover, type KubeObject, type RestClient } from "@kube-codegen/runtime";

// The runtime's built-in extras against a local HTTP server: the bytes on the wire.
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end();
const seen: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] = [];
let server: Server;
let url = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  seen.length = 0;
  server.closeAllConnections();
});

function rest(): RestClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "local", server: url, skipTLSVerify: true }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "c", cluster: "local", user: "u" }],
    currentContext: "c",
  });
  return createRestClient({ kubeConfig: kc });
}

const base = { listKind: "PodList", singular: "pod", shortNames: [], categories: [], scope: "Namespaced" } as const;
const pods = { ...base, group: "", version: "v1", kind: "Pod", plural: "pods", subresources: { status: true, log: true, eviction: true }, strategicMergePatch: true } as const;
const widgets = { ...base, group: "shop.example.com", version: "v1", kind: "Widget", listKind: "WidgetList", plural: "widgets", singular: "widget", subresources: {} } as const;
const accounts = { ...base, group: "", version: "v1", kind: "ServiceAccount", listKind: "ServiceAccountList", plural: "serviceaccounts", singular: "serviceaccount", subresources: { token: true } } as const;
const json = (res: ServerResponse, body: unknown, status = 200): void => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

describe("pods/log", () => {
  test("getLog sends text/plain (JSON errors accepted) and returns the body as is", async () => {
    handler = (_req, res) => res.end("a\nb\n");
    const r = rest();
    expect(await createResourceClient(r, pods, "ns").getLog("p", { container: "app", previous: true, sinceSeconds: 10 })).toBe("a\nb\n");
    expect(seen[0]?.url).toBe("/api/v1/namespaces/ns/pods/p/log?container=app&previous=true&sinceSeconds=10");
    expect(seen[0]?.headers.accept).toBe("text/plain, application/json");
    r.close();
  });

  test("streamLog follows: lines as they come, split chunks, CRLF, a character cut between chunks, a last line without newline", async () => {
    const bytes = Buffer.from("é", "utf8");
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const parts: (string | Buffer)[] = ["one\ntw", "o\r\n", Buffer.concat([Buffer.from("caf"), bytes.subarray(0, 1)]), Buffer.concat([bytes.subarray(1), Buffer.from("\nlast")])];
      let i = 0;
      const next = (): void => {
        if (i === parts.length) {
          res.end();
          return;
        }
        res.write(parts[i++]);
        setTimeout(next, 5);
      };
      next();
    };
    const r = rest();
    const lines: string[] = [];
    for await (const line of createResourceClient(r, pods, "ns").streamLog("p", { tailLines: 3 })) lines.push(line);
    expect(lines).toEqual(["one", "two", "café", "last"]);
    expect(seen[0]?.url).toBe("/api/v1/namespaces/ns/pods/p/log?follow=true&tailLines=3");
    r.close();
  });

  test("breaking out of a followed log closes the connection", async () => {
    let closed = false;
    handler = (req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first\n");
      req.socket.on("close", () => (closed = true));
    };
    const r = rest();
    for await (const line of createResourceClient(r, pods, "ns").streamLog("p")) {
      expect(line).toBe("first");
      break;
    }
    for (let i = 0; i < 50 && !closed; i++) await new Promise((res) => setTimeout(res, 10));
    expect(closed).toBe(true);
    r.close();
  });
});

describe("strategic merge patch, eviction, token", () => {
  test("a strategic patch goes out as application/strategic-merge-patch+json on a built-in kind", async () => {
    handler = (_req, res) => json(res, { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } });
    const r = rest();
    await createResourceClient(r, pods, "ns").patch("p", { type: "strategic", patch: { spec: { containers: [{ name: "app", $patch: "delete" }] } } as never });
    expect(seen[0]).toMatchObject({ method: "PATCH", url: "/api/v1/namespaces/ns/pods/p", body: '{"spec":{"containers":[{"name":"app","$patch":"delete"}]}}' });
    expect(seen[0]?.headers["content-type"]).toBe("application/strategic-merge-patch+json");
    r.close();
  });

  test("a custom resource's client refuses a strategic patch before sending anything (the server would answer 415)", () => {
    const r = rest();
    const client = createResourceClient(r, widgets, "ns") as unknown as { patch(n: string, p: { type: "strategic"; patch: object }): Promise<KubeObject> };
    expect(() => client.patch("w", { type: "strategic", patch: {} })).toThrow(new KubeError("Widget does not accept strategic merge patches (custom resources never do): use a merge, JSON or apply patch"));
    expect(seen).toEqual([]);
    r.close();
  });

  test("evict posts a policy/v1 Eviction with its delete options", async () => {
    handler = (_req, res) => json(res, { kind: "Status", apiVersion: "v1", status: "Success", code: 201 }, 201);
    const r = rest();
    const status = await createResourceClient(r, pods, "ns").evict("p", { gracePeriodSeconds: 5, dryRun: true });
    expect(status.status).toBe("Success");
    expect(seen[0]).toMatchObject({ method: "POST", url: "/api/v1/namespaces/ns/pods/p/eviction" });
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "p", namespace: "ns" }, deleteOptions: { gracePeriodSeconds: 5, dryRun: ["All"] } });
    r.close();
  });

  test("createToken posts an authentication.k8s.io/v1 TokenRequest", async () => {
    handler = (_req, res, body) => json(res, { ...JSON.parse(body), status: { token: "x.y.z", expirationTimestamp: "2026-01-01T00:00:00Z" } }, 201);
    const r = rest();
    const tr = await createResourceClient(r, accounts, "ns").createToken("sa", { audiences: ["vault"], expirationSeconds: 600 });
    expect(tr.status?.token).toBe("x.y.z");
    expect(seen[0]).toMatchObject({ method: "POST", url: "/api/v1/namespaces/ns/serviceaccounts/sa/token" });
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", metadata: {}, spec: { audiences: ["vault"], expirationSeconds: 600 } });
    r.close();
  });
});

describe("discovery against a server without aggregated discovery", () => {
  test("asks for aggregated discovery, gets the legacy documents, reads every group version's resource list", async () => {
    handler = (req, res) => {
      const docs: Record<string, unknown> = {
        "/api": { kind: "APIVersions", versions: ["v1"] },
        "/apis": { kind: "APIGroupList", groups: [{ name: "shop.example.com", versions: [{ groupVersion: "shop.example.com/v1beta1", version: "v1beta1" }, { groupVersion: "shop.example.com/v1", version: "v1" }], preferredVersion: { groupVersion: "shop.example.com/v1", version: "v1" } }] },
        "/api/v1": { kind: "APIResourceList", resources: [{ name: "pods", singularName: "pod", namespaced: true, kind: "Pod", verbs: ["create", "get", "list", "watch", "proxy"], shortNames: ["po"] }, { name: "pods/log", namespaced: true, kind: "Pod", verbs: ["get"] }, { name: "pods/status", namespaced: true, kind: "Pod", verbs: ["get"] }] },
        "/apis/shop.example.com/v1": { kind: "APIResourceList", resources: [{ name: "widgets", singularName: "", namespaced: false, kind: "Widget", verbs: ["get", "list"] }] },
        "/apis/shop.example.com/v1beta1": { kind: "APIResourceList", resources: [] },
      };
      const doc = docs[req.url ?? ""];
      if (doc === undefined) json(res, { kind: "Status", apiVersion: "v1", status: "Failure", code: 404, reason: "NotFound" }, 404);
      else json(res, doc);
    };
    const r = rest();
    const d = await discover(r);
    expect(seen.filter((s) => s.url === "/api" || s.url === "/apis").map((s) => s.headers.accept)).toEqual([AGGREGATED_DISCOVERY_ACCEPT, AGGREGATED_DISCOVERY_ACCEPT]);
    expect(d.descriptorFor("v1", "po")).toEqual({
      group: "", version: "v1", kind: "Pod", listKind: "PodList", plural: "pods", singular: "pod", shortNames: ["po"], categories: [], scope: "Namespaced",
      subresources: { log: true, status: true }, verbs: ["get", "list", "watch", "create"],
    });
    expect(d.descriptorFor("shop.example.com", "widgets")).toMatchObject({ version: "v1", singular: "widget", scope: "Cluster", verbs: ["get", "list"] });
    expect(d.groupVersions.map((g) => `${g.group}/${g.version}:${String(g.preferred)}`)).toEqual(["/v1:true", "shop.example.com/v1beta1:false", "shop.example.com/v1:true"]);
    r.close();
  });
});
