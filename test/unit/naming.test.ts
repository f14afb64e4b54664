import { describe, expect, test } from "@jest/globals";
import {
  FileNameRegistry,
  NameRegistry,
  groupAccessorBases,
  kebabCase,
  kindTypeName,
  pascalCase,
  resourceAccessor,
  versionSuffix,
} from "../../generator/src/model/naming.js";

describe("pascalCase", () => {
  test.each([
    ["dnsNames", "DnsNames"],
    ["x-forwarded-for", "XForwardedFor"],
    ["__proto__", "Proto"],
    ["$ref", "Ref"],
    ["kubernetes.io/name", "KubernetesIoName"],
    ["ipv4", "Ipv4"],
    ["-", ""],
    ["ünïcode", "Unicode"],
    ["日本", ""],
  ])("%s → %s", (given, want) => expect(pascalCase(given)).toBe(want));
});

describe("kebabCase", () => {
  test.each([
    ["ClusterIssuer", "cluster-issuer"],
    ["HTTPRoute", "http-route"],
    ["GRPCRoute", "grpc-route"],
    ["Certificate", "certificate"],
    ["interface", "interface"],
    ["VMClusterV2", "vm-cluster-v2"],
  ])("%s → %s", (given, want) => expect(kebabCase(given)).toBe(want));
});

describe("kindTypeName", () => {
  test.each([
    ["Certificate", "Certificate"],
    ["Record", "RecordResource"],
    ["Object", "ObjectResource"],
    ["Promise", "PromiseResource"],
    ["Date", "DateResource"],
    ["Error", "ErrorResource"],
    ["interface", "Interface"],
    ["ObjectMeta", "ObjectMetaResource"],
  ])("%s → %s", (given, want) => expect(kindTypeName(given)).toBe(want));
});

describe("resourceAccessor", () => {
  test.each([
    ["Certificate", "certificates", "certificates"],
    ["ClusterIssuer", "clusterissuers", "clusterIssuers"],
    ["ClusterPolicy", "clusterpolicies", "clusterPolicies"],
    ["HTTPRoute", "httproutes", "hTTPRoutes"],
    ["Ingress", "ingresses", "ingresses"],
    ["Foo", "bars", "bars"],
  ])("%s/%s → %s", (kind, plural, want) => expect(resourceAccessor(kind, plural)).toBe(want));
});

describe("versionSuffix", () => {
  test.each([
    ["v1", "V1"],
    ["v1alpha1", "V1alpha1"],
    ["v2beta2", "V2beta2"],
  ])("%s → %s", (given, want) => expect(versionSuffix(given)).toBe(want));
});

describe("groupAccessorBases", () => {
  test.each([
    ["one label each", ["cert-manager.io", "acme.cert-manager.io"], {}, { "cert-manager.io": "certmanager", "acme.cert-manager.io": "acme" }],
    [
      "equal first labels use more labels",
      ["monitoring.coreos.com", "monitoring.googleapis.com", "argoproj.io"],
      {},
      { "monitoring.coreos.com": "monitoringCoreos", "monitoring.googleapis.com": "monitoringGoogleapis", "argoproj.io": "argoproj" },
    ],
    [
      "equal first two labels use three",
      ["monitoring.example.com", "monitoring.example.org"],
      {},
      { "monitoring.example.com": "monitoringExampleCom", "monitoring.example.org": "monitoringExampleOrg" },
    ],
    ["an alias wins and removes the clash", ["monitoring.coreos.com", "monitoring.googleapis.com"], { "monitoring.coreos.com": "prom" }, { "monitoring.coreos.com": "prom", "monitoring.googleapis.com": "monitoring" }],
    ["leading digit", ["3scale.net"], {}, { "3scale.net": "g3scale" }],
  ] as const)("%s", (_name, groups, aliases, want) => {
    expect(Object.fromEntries(groupAccessorBases(groups, new Map(Object.entries(aliases))))).toEqual(want);
    // The order of the groups does not matter.
    expect(Object.fromEntries(groupAccessorBases([...groups].reverse(), new Map(Object.entries(aliases))))).toEqual(want);
  });
});

describe("NameRegistry", () => {
  test("first come first served, numbered after", () => {
    const r = new NameRegistry();
    expect(["FooBar", "FooBar", "FooBar", "Record", "class", "1x"].map((n) => r.claim(n))).toEqual([
      "FooBar",
      "FooBar2",
      "FooBar3",
      "RecordType",
      "classType",
      "T1x",
    ]);
  });
});

describe("FileNameRegistry", () => {
  test("reserved and case-insensitive names are suffixed", () => {
    const r = new FileNameRegistry();
    expect(["types", "index", "client", "foo", "Foo", "foo"].map((n) => r.claim(n))).toEqual(["types-2", "index-2", "client-2", "foo", "Foo-2", "foo-3"]);
  });
});
