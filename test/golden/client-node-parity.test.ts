import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { REPO } from "../support/paths.js";

// Field parity of @kube-codegen/api with @kubernetes/client-node's models, walked with the type
// checker: every property of theirs must be in ours, equally required or optional, of the same
// scalar type. By design, not counted as differences: timestamps (theirs `Date`, ours the wire's
// RFC 3339 string), and the root apiVersion, kind (ours literal) and metadata, which ours requires
// (the server always sends them; the runtime's KubeObject needs them).
const KINDS: readonly [string, string, string][] = [
  ["Pod", "coreV1.Pod", "V1Pod"],
  ["Deployment", "appsV1.Deployment", "V1Deployment"],
  ["StatefulSet", "appsV1.StatefulSet", "V1StatefulSet"],
  ["DaemonSet", "appsV1.DaemonSet", "V1DaemonSet"],
  ["Job", "batchV1.Job", "V1Job"],
  ["CronJob", "batchV1.CronJob", "V1CronJob"],
  ["Service", "coreV1.Service", "V1Service"],
  ["Ingress", "networkingV1.Ingress", "V1Ingress"],
  ["ConfigMap", "coreV1.ConfigMap", "V1ConfigMap"],
  ["Secret", "coreV1.Secret", "V1Secret"],
  ["ServiceAccount", "coreV1.ServiceAccount", "V1ServiceAccount"],
  ["Role", "rbacAuthorizationV1.Role", "V1Role"],
  ["RoleBinding", "rbacAuthorizationV1.RoleBinding", "V1RoleBinding"],
  ["ClusterRole", "rbacAuthorizationV1.ClusterRole", "V1ClusterRole"],
  ["Namespace", "coreV1.Namespace", "V1Namespace"],
  ["Node", "coreV1.Node", "V1Node"],
  ["Lease", "coordinationV1.Lease", "V1Lease"],
  ["Event (core/v1)", "coreV1.Event", "CoreV1Event"],
  ["Event (events.k8s.io/v1)", "eventsV1.Event", "EventsV1Event"],
  ["PersistentVolumeClaim", "coreV1.PersistentVolumeClaim", "V1PersistentVolumeClaim"],
  ["NetworkPolicy", "networkingV1.NetworkPolicy", "V1NetworkPolicy"],
];

/**
 * Differences between Kubernetes 1.36 (client-node 2.0's models) and 1.37 (our test apiserver),
 * each checked in the two OpenAPI documents, not in our generator: the test fails if one goes away.
 */
const VERSION_DIFFERENCES: readonly string[] = [
  // 1.37 requires the spec of the workload kinds.
  "Deployment.spec: required in ours, optional in theirs",
  "StatefulSet.spec: required in ours, optional in theirs",
  "DaemonSet.spec: required in ours, optional in theirs",
  // 1.37's documents list no required fields for the workload conditions; 1.36's had type and status.
  "Deployment.status.conditions[*].status: optional in ours, required in theirs",
  "Deployment.status.conditions[*].type: optional in ours, required in theirs",
  "StatefulSet.status.conditions[*].status: optional in ours, required in theirs",
  "StatefulSet.status.conditions[*].type: optional in ours, required in theirs",
  "DaemonSet.status.conditions[*].status: optional in ours, required in theirs",
  "DaemonSet.status.conditions[*].type: optional in ours, required in theirs",
  // An alpha field of 1.36 that 1.37 replaced (NodeAllocatableResourceClaimStatus: containers, mapping, overhead, resourceClaimName).
  "Pod.status.nodeAllocatableResourceClaimStatuses[*].resources: missing in ours",
];

type Kind = "string" | "number" | "boolean" | "Date" | "int-or-string" | "array" | "map" | "object" | "unknown";

let dir: string;
let checker: ts.TypeChecker;
let pairs: Map<string, [ts.Type, ts.Type]>;

beforeAll(() => {
  dir = join(REPO, ".tmp", `parity-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const lines = [
    'import type { appsV1, batchV1, coordinationV1, coreV1, eventsV1, networkingV1, rbacAuthorizationV1 } from "../../api/src/index.js";',
    `import type { ${KINDS.map((k) => k[2]).join(", ")} } from "@kubernetes/client-node";`,
    "export interface Pairs {",
    ...KINDS.map(([name, ours, theirs]) => `  ${JSON.stringify(name)}: [${ours}, ${theirs}];`),
    "}",
  ];
  const file = join(dir, "pairs.ts");
  writeFileSync(file, lines.join("\n"));
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    types: ["node"],
    typeRoots: [join(REPO, "node_modules/@types")],
    paths: { "@kube-codegen/runtime": [join(REPO, "runtime/dist/index.d.ts")] },
  });
  checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const decl = source?.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "Pairs");
  if (decl === undefined) throw new Error("no Pairs interface");
  const diagnostics = ts.getPreEmitDiagnostics(program, source).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  if (diagnostics.length > 0) throw new Error(diagnostics.join("\n"));
  pairs = new Map();
  for (const p of checker.getPropertiesOfType(checker.getTypeAtLocation(decl))) {
    const tuple = checker.getTypeOfSymbol(p);
    const [ours, theirs] = checker.getTypeArguments(tuple as ts.TypeReference);
    if (ours === undefined || theirs === undefined) throw new Error(`no pair for ${p.name}`);
    pairs.set(p.name, [ours, theirs]);
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kindOf(t: ts.Type): Kind {
  const type = checker.getNonNullableType(t);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return "unknown";
  if (type.isUnion()) {
    const kinds = new Set(type.types.map(kindOf));
    if (kinds.size === 1) return [...kinds][0] ?? "unknown";
    if (kinds.size === 2 && kinds.has("string") && kinds.has("number")) return "int-or-string";
    return kinds.has("object") ? "object" : "unknown";
  }
  if (type.flags & ts.TypeFlags.StringLike) return "string";
  if (type.flags & ts.TypeFlags.NumberLike) return "number";
  if (type.flags & ts.TypeFlags.BooleanLike) return "boolean";
  // Date, or a class extending it (client-node's V1MicroTime).
  if (type.getSymbol()?.getName() === "Date" || (type.isClassOrInterface() && checker.getBaseTypes(type).some((b) => b.getSymbol()?.getName() === "Date"))) return "Date";
  if (checker.isArrayType(type)) return "array";
  if (checker.getPropertiesOfType(type).length === 0 && checker.getIndexInfoOfType(type, ts.IndexKind.String) !== undefined) return "map";
  if (type.flags & ts.TypeFlags.Object) return "object";
  return "unknown";
}

function compare(ours: ts.Type, theirs: ts.Type, path: string, problems: string[], seen: Set<string>, root: boolean): void {
  const key = `${checker.typeToString(ours)}|${checker.typeToString(theirs)}`;
  if (seen.has(key)) return;
  seen.add(key);
  for (const p of checker.getPropertiesOfType(checker.getNonNullableType(theirs))) {
    // client-node renames a property named like a reserved word (`from` → `_from`); the wire name is ours.
    const wire = p.name.startsWith("_") && checker.getPropertyOfType(checker.getNonNullableType(theirs), p.name.slice(1)) === undefined ? p.name.slice(1) : p.name;
    const at = `${path}.${wire}`;
    const mine = checker.getPropertyOfType(checker.getNonNullableType(ours), wire);
    if (mine === undefined) {
      problems.push(`${at}: missing in ours`);
      continue;
    }
    const theirOptional = (p.flags & ts.SymbolFlags.Optional) !== 0;
    const ourOptional = (mine.flags & ts.SymbolFlags.Optional) !== 0;
    const rootField = root && ["apiVersion", "kind", "metadata"].includes(p.name);
    if (theirOptional !== ourOptional && !rootField) problems.push(`${at}: ${ourOptional ? "optional" : "required"} in ours, ${theirOptional ? "optional" : "required"} in theirs`);
    valueCompare(checker.getTypeOfSymbol(mine), checker.getTypeOfSymbol(p), at, problems, seen);
  }
}

function valueCompare(ours: ts.Type, theirs: ts.Type, at: string, problems: string[], seen: Set<string>): void {
  const [a, b] = [kindOf(ours), kindOf(theirs)];
  if (b === "Date" && a === "string") return; // timestamps: the wire's string, by design
  if (b === "unknown" || (b === "object" && (a === "map" || a === "unknown"))) return; // free-form on their side
  if (a !== b) {
    problems.push(`${at}: ${a} in ours, ${b} in theirs`);
    return;
  }
  if (a === "array") {
    const [x, y] = [checker.getTypeArguments(checker.getNonNullableType(ours) as ts.TypeReference)[0], checker.getTypeArguments(checker.getNonNullableType(theirs) as ts.TypeReference)[0]];
    if (x !== undefined && y !== undefined) valueCompare(x, y, `${at}[*]`, problems, seen);
  } else if (a === "map") {
    const [x, y] = [checker.getIndexInfoOfType(checker.getNonNullableType(ours), ts.IndexKind.String)?.type, checker.getIndexInfoOfType(checker.getNonNullableType(theirs), ts.IndexKind.String)?.type];
    if (x !== undefined && y !== undefined) valueCompare(x, y, `${at}[*]`, problems, seen);
  } else if (a === "object") {
    compare(ours, theirs, at, problems, seen, false);
  }
}

describe("field parity with @kubernetes/client-node's models (1.36) for 21 common kinds", () => {
  test("client-node's models are of the nearest Kubernetes minor", () => {
    const model = readFileSync(join(REPO, "node_modules/@kubernetes/client-node/dist/gen/models/V1Pod.d.ts"), "utf8");
    expect(model).toMatch(/OpenAPI spec version: release-1\.3[67]/);
  });

  const found = new Set<string>();
  test.each(KINDS.map((k) => [k[0]]))("%s: every property of theirs is in ours, equally required, of the same scalar type", (name) => {
    const pair = pairs.get(name);
    expect(pair).toBeDefined();
    const [ours, theirs] = pair as [ts.Type, ts.Type];
    const problems: string[] = [];
    compare(ours, theirs, name, problems, new Set(), true);
    expect(checker.getPropertiesOfType(theirs).length).toBeGreaterThan(2);
    const unexpected = problems.filter((p) => !VERSION_DIFFERENCES.includes(p));
    for (const p of problems) if (VERSION_DIFFERENCES.includes(p)) found.add(p);
    expect(unexpected).toEqual([]);
  });

  test("every listed 1.36 → 1.37 difference still exists (the list is not stale)", () => {
    expect([...found].sort()).toEqual([...VERSION_DIFFERENCES].sort());
  });

  test("the walk does find differences: a missing field, a required one, a scalar type", () => {
    const [ourLease] = pairs.get("Lease") as [ts.Type, ts.Type];
    const [, theirPod] = pairs.get("Pod") as [ts.Type, ts.Type];
    const [ourJob] = pairs.get("Job") as [ts.Type, ts.Type];
    const [, theirCronJob] = pairs.get("CronJob") as [ts.Type, ts.Type];
    const problems: string[] = [];
    compare(ourLease, theirPod, "LeaseVsPod", problems, new Set(), false);
    compare(ourJob, theirCronJob, "JobVsCronJob", problems, new Set(), false);
    expect(problems).toContain("LeaseVsPod.status: missing in ours");
    expect(problems).toContain("LeaseVsPod.apiVersion: required in ours, optional in theirs");
    expect(problems).toContain("JobVsCronJob.spec.schedule: missing in ours");
    expect(problems).toContain("JobVsCronJob.status.active: number in ours, array in theirs");
  });
});
