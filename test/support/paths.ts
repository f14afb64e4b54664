import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** `../shared` beside the repository, or `KUBE_CODEGEN_SHARED`. */
export const SHARED = process.env["KUBE_CODEGEN_SHARED"] ?? resolve(REPO, "../shared");

/** The real-world CRDs (never copied into the repository). */
export const SHARED_CRDS = join(SHARED, "fixtures/crds");

/** The before/after CRD pairs for the schema diff. */
export const SHARED_PAIRS = join(SHARED, "fixtures/crd-pairs");

/**
 * Whether the shared fixtures are there. Under CI=true their absence is a failure: the caller's
 * test fails with this message instead of being skipped.
 */
export function sharedFixtures(): { available: boolean; reason: string } {
  const available = existsSync(join(SHARED_CRDS, "UNION.txt"));
  return {
    available,
    reason: available ? "" : `shared fixtures not found at ${SHARED_CRDS} (set KUBE_CODEGEN_SHARED to the shared/ folder)`,
  };
}

/** True when running in CI, where nothing may be skipped. */
export const IN_CI = process.env["CI"] === "true";
