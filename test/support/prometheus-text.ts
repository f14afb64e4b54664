import { createRequire } from "node:module";

/** One metric family as parse-prometheus-text-format gives it. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
  readonly metrics: readonly { readonly labels?: Readonly<Record<string, string>>; readonly value?: string; readonly buckets?: Readonly<Record<string, string>>; readonly count?: string; readonly sum?: string }[];
}

/** Parses Prometheus text exposition with an independent parser (throws on malformed text). */
export const parsePrometheusText: (text: string) => MetricFamily[] = createRequire(import.meta.url)("parse-prometheus-text-format") as (text: string) => MetricFamily[];
