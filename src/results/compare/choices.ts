// What compare can be asked for: the significance level by default, the
// metrics by the short names --metrics takes, those the regression gate counts
// unless told otherwise, and the output formats. Kept apart from the statistics
// so that compare's definition offers them without loading any.
import type { Metric } from "../metrics.js";

/** The default significance level: p < 0.05. */
export const SIGNIFICANCE_LEVEL = 0.05;

/** Short names of the compared metrics, as --metrics takes them. */
export const COMPARED_METRICS = [
  "boot", "run", "startup", "memory", "size", "guest-boot", "vmm-boot",
  "first-answer", "rps", "p50", "p90", "p99", "max-latency", "idle-memory", "load-memory",
] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

/** Each sampled metric's short name; the image size ("size") is compared apart. */
export const COMPARED_METRIC_OF: Record<Metric, ComparedMetric> = {
  bootTimeMs: "boot",
  runTimeMs: "run",
  vmmStartupMs: "startup",
  peakMemoryMiB: "memory",
  guestBootTimeMs: "guest-boot",
  vmmBootTimeMs: "vmm-boot",
  firstAnswerMs: "first-answer",
  requestsPerSecond: "rps",
  latencyP50Ms: "p50",
  latencyP90Ms: "p90",
  latencyP99Ms: "p99",
  latencyMaxMs: "max-latency",
  idleMemoryMiB: "idle-memory",
  loadMemoryMiB: "load-memory",
};

/**
 * The metrics the gate counts unless --metrics says otherwise: VMM start-up is
 * the VMM's own, not the guest's; of a server's, its first answer, throughput,
 * tail latency and memory under load (where both runs have them).
 */
export const DEFAULT_GATE_METRICS: readonly ComparedMetric[] = ["boot", "run", "memory", "size", "first-answer", "rps", "p99", "load-memory"];

export const COMPARE_FORMATS = ["table", "markdown", "csv", "json"] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];
