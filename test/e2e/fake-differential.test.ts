import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { createRestClient, type RestClient } from "@kube-codegen/runtime";
import { createFakeRestClient, fakeResourcesFromCrd, type FakeRestClient } from "@kube-codegen/runtime/fake";
import { writeFileSync } from "node:fs";
import { fakeResources } from "../../fixtures/generated/fake.js";
import { describeE2E } from "../support/e2e.js";
import { gizmoCrd } from "./differential/crds.js";
import { makeSide, normalize, type Outcome } from "./differential/harness.js";
import { SCENARIOS } from "./differential/scenarios/index.js";
import { fixtureCrds, freshNamespace, installCrds } from "./support.js";

/**
 * A fresh fake serving what the generated fake.ts serves (the fixture kinds, with the schema facets
 * the generator extracted and the generated validators), plus the test's own Gizmo from its CRD.
 */
const newFake = (): FakeRestClient =>
  createFakeRestClient({ resources: [...fakeResources, ...fakeResourcesFromCrd(gizmoCrd)], bookmarkIntervalMs: 0 });

describeE2E("the fake clientset against the real API server (differential)", (server) => {
  let rest: RestClient;
  beforeAll(async () => {
    rest = createRestClient({ kubeconfigPath: server.kubeconfigPath });
    await installCrds(rest, [...fixtureCrds("widgets.yaml"), gizmoCrd]);
  });
  afterAll(() => rest.close());

  test("there are at least 60 scenarios", () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(60);
  });

  test.each(SCENARIOS.map((s) => [s.name, s] as const))("%s", async (_name, scenario) => {
    const ns = await freshNamespace(rest, "diff");
    const ns2 = await freshNamespace(rest, "diff2");
    const real: Outcome[] = [];
    await scenario.run(makeSide(rest, ns, ns2, real));
    const fakeRest = newFake();
    const fake: Outcome[] = [];
    await scenario.run(makeSide(fakeRest, ns, ns2, fake, fakeRest));
    fakeRest.close();
    const r = normalize(real);
    const f = normalize(fake);
    const dump = process.env["KUBE_CODEGEN_DIFF_DUMP"];
    if (dump !== undefined) writeFileSync(`${dump}/${scenario.name.replace(/[^a-z0-9]+/gi, "_")}.json`, JSON.stringify({ real: r, fake: f }, null, 1));
    if (scenario.differs === undefined) {
      expect(f).toEqual(r);
    } else {
      // A documented difference: equal once projected, and really different (else drop `differs`).
      expect(f.map(scenario.differs.project)).toEqual(r.map(scenario.differs.project));
      expect(f).not.toEqual(r);
    }
  });
});
