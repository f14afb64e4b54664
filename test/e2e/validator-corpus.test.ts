import { beforeAll, describe } from "@jest/globals";
import { IN_CI, sharedFixtures } from "../support/paths.js";
import { describeWithOwnApiServer } from "./own-apiserver.js";
import { fixtureCrds, freshNamespace, installCrds } from "./support.js";
import { corpusCrds } from "./corpus-crds.js";
import { differentialTest, type CorpusContext } from "./validator-differential.js";
import { samplesTest } from "./validator-samples.js";

/**
 * The validators against a real API server on the shared corpus: the upstream example objects and
 * the differential test. The corpus CRDs (about 240) go into an apiserver of this suite's own, so
 * the shared one keeps only what the other suites install.
 */
const shared = sharedFixtures();
if (!shared.available && !IN_CI) {
  process.stderr.write(`validator corpus suite skipped: ${shared.reason}\n`);
  describe.skip("validators agree with the API server on the corpus", () => undefined);
} else {
  describeWithOwnApiServer("validators agree with the API server on the corpus", {}, (own) => {
    let context: CorpusContext | undefined;
    beforeAll(async () => {
      const corpus = corpusCrds(fixtureCrds("validation.yaml"));
      await installCrds(own.cs.rest, corpus.texts);
      context = { rest: own.cs.rest, ns: await freshNamespace(own.cs.rest, "corpus"), versions: corpus.versions };
    }, 300_000);
    const ctx = (): CorpusContext => {
      if (context === undefined) throw new Error("the corpus CRDs were not installed");
      return context;
    };
    samplesTest(ctx);
    differentialTest(ctx);
  });
}
