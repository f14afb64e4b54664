import { expect, test } from "@jest/globals";
import { join } from "node:path";
import { REPO } from "../support/paths.js";
import { typecheck } from "../support/typecheck.js";

// Jest only strips the tests' types; this is where they are checked, with the flags users turn
// on (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess), so that a test cannot call
// the runtime in a way a user's compiler would refuse.
test("the test suites and their support code type-check (tsc 7, --strict)", () => {
  const dirs = ["unit", "golden", "corpus", "e2e", "support", "envtest"];
  // envtest/examples: the README's jest example, as users would compile it.
  const r = typecheck([...dirs.map((d) => join(REPO, "test", d, "*.ts")), join(REPO, "envtest/examples/*.ts")], "ts7", {
    // The tests import @kubernetes/client-node, whose dependencies' declarations do not all check.
    skipLibCheck: true,
    // Jest's global setup is loaded by Node itself and imports its helpers as .ts.
    allowImportingTsExtensions: true,
  });
  expect(r.output).toBe("");
  expect(r.ok).toBe(true);
}, 120_000);
