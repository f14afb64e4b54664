import { afterAll, beforeAll, expect, test } from "@jest/globals";
import {
  DiscoveryError,
  createResourceClient,
  createRestClient,
  customResourceDefinitionResource,
  descriptorFor,
  discover,
  type KubeObject,
  type RestClient,
} from "@kube-codegen/runtime";
import { deploymentResource } from "../../api/src/apps/v1/deployment.js";
import { leaseResource } from "../../api/src/coordination.k8s.io/v1/lease.js";
import { podResource } from "../../api/src/core/v1/pod.js";
import { describeE2E } from "../support/e2e.js";
import { freshNamespace } from "./support.js";

describeE2E("discovery and the dynamic client against the real apiserver", (server) => {
  let rest: RestClient;
  let ns: string;

  beforeAll(async () => {
    rest = createRestClient({ kubeconfigPath: server.kubeconfigPath, context: "admin" });
    ns = await freshNamespace(rest, "discovery");
  });

  afterAll(() => rest.close());

  test("a built-in kind: the descriptor matches the generated one, and the dynamic client works with it", async () => {
    const d = await descriptorFor(rest, "apps/v1", "Deployment");
    const { strategicMergePatch: _smp, subresources: _sub, ...generated } = deploymentResource;
    expect(d).toMatchObject({ ...generated, shortNames: ["deploy"], categories: ["all"] });
    expect(d.subresources).toEqual({ status: true });
    const client = createResourceClient(rest, d, ns);
    const created = await client.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "dyn" },
      spec: { selector: { matchLabels: { app: "dyn" } }, template: { metadata: { labels: { app: "dyn" } }, spec: { containers: [{ name: "app", image: "nginx" }] } } },
    } as KubeObject);
    expect((await client.get("dyn")).metadata.uid).toBe(created.metadata.uid);
    expect((await client.list()).items.map((o) => o.metadata.name)).toEqual(["dyn"]);
  });

  test("plural, singular and short names; the core group; a group alone means its preferred version", async () => {
    const disco = await discover(rest);
    expect(disco.descriptorFor("apps/v1", "deploy").kind).toBe("Deployment");
    expect(disco.descriptorFor("v1", "pods")).toMatchObject({ group: "", version: "v1", kind: "Pod", scope: "Namespaced", subresources: { status: true, log: true, eviction: true } });
    expect(disco.descriptorFor("v1", "pod").plural).toBe("pods");
    expect(disco.descriptorFor("coordination.k8s.io", "Lease")).toMatchObject({ version: "v1", plural: leaseResource.plural, scope: "Namespaced" });
    expect(disco.descriptorFor("autoscaling", "HorizontalPodAutoscaler").version).toBe("v2");
    expect(disco.descriptorFor("v1", "Node").scope).toBe("Cluster");
    // The same verbs as the OpenAPI paths gave the generated descriptor.
    expect(disco.descriptorFor("v1", "Pod").verbs).toEqual(podResource.verbs);
    expect(disco.descriptorFor("v1", "bindings").verbs).toEqual(["create"]);
  });

  test("the legacy documents (per group version) give the same descriptors as aggregated discovery", async () => {
    const aggregated = await discover(rest);
    const legacy = await discover(rest, { aggregated: false });
    const key = (g: { group: string; version: string }): string => `${g.group}/${g.version}`;
    const byKey = new Map(legacy.groupVersions.map((g) => [key(g), g]));
    expect(legacy.groupVersions.map(key).sort()).toEqual(aggregated.groupVersions.map(key).sort());
    for (const gv of aggregated.groupVersions) {
      const other = byKey.get(key(gv));
      expect({ gv: key(gv), preferred: other?.preferred }).toEqual({ gv: key(gv), preferred: gv.preferred });
      const sort = (rs: readonly { plural: string }[]): unknown[] => [...rs].sort((a, b) => (a.plural < b.plural ? -1 : 1));
      expect({ gv: key(gv), resources: sort(other?.resources ?? []) }).toEqual({ gv: key(gv), resources: sort(gv.resources) });
    }
  });

  test("a CRD installed during the test is found once established, and its objects served", async () => {
    const group = `dyn${Date.now().toString(36)}.example.com`;
    const crds = createResourceClient(rest, customResourceDefinitionResource);
    await expect(descriptorFor(rest, `${group}/v1`, "Gizmo")).rejects.toThrow(`no group version "${group}/v1" on the server; its groups: core, `);
    await crds.create({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `gizmos.${group}` },
      spec: {
        group,
        scope: "Namespaced",
        names: { plural: "gizmos", singular: "gizmo", kind: "Gizmo", shortNames: ["gz"] },
        versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" } } } } } }, subresources: { status: {} } }],
      },
    } as KubeObject);
    let d;
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        d = await descriptorFor(rest, `${group}/v1`, "gz");
        break;
      } catch (err) {
        if (!(err instanceof DiscoveryError) || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(d).toMatchObject({ group, version: "v1", kind: "Gizmo", plural: "gizmos", singular: "gizmo", scope: "Namespaced", subresources: { status: true } });
    const gizmos = createResourceClient(rest, d, ns);
    await gizmos.create({ apiVersion: `${group}/v1`, kind: "Gizmo", metadata: { name: "g" }, spec: { size: 3 } } as KubeObject);
    expect((await gizmos.get("g")).kind).toBe("Gizmo");
    await crds.delete(`gizmos.${group}`);
  }, 60_000);

  test("a kind that does not exist: a clear error naming it and what there is", async () => {
    const disco = await discover(rest);
    expect(() => disco.descriptorFor("apps/v1", "Deploymint")).toThrow(DiscoveryError);
    expect(() => disco.descriptorFor("apps/v1", "Deploymint")).toThrow(/^no kind or resource "Deploymint" in apps\/v1; it serves: ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet$/);
    expect(() => disco.descriptorFor("apps/v9", "Deployment")).toThrow('the server serves group apps in v1, not "v9"');
    await expect(descriptorFor(rest, "nothere.example.com/v1", "Thing")).rejects.toThrow(/^no group version "nothere\.example\.com\/v1" on the server; its groups: core, /);
  });
});
