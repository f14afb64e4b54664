import { APPLY } from "./apply.js";
import type { Scenario } from "./common.js";
import { EDGES } from "./edges.js";
import { READS } from "./reads.js";
import { WRITES } from "./writes.js";

export type { Scenario } from "./common.js";

/** Every scenario of the differential test, in order. */
export const SCENARIOS: readonly Scenario[] = [...WRITES, ...APPLY, ...READS, ...EDGES];
