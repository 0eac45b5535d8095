// The metrics a performance run summarises, with their labels, units and which
// way is better. Kept apart from the zod schema so that what only renders runs
// need not load zod.

/** What the tool measures itself, in every iteration. */
export const MEASURED_METRICS = ["bootTimeMs", "runTimeMs", "vmmStartupMs", "peakMemoryMiB"] as const;
/** What a guest or VMM states itself, beside the tool's figure, where it does. */
export const REPORTED_METRICS = ["guestBootTimeMs", "vmmBootTimeMs"] as const;
/** What a server guest gives (the http workload): its first answer, the load it serves, its memory while serving. */
export const SERVING_METRICS = ["firstAnswerMs", "requestsPerSecond", "latencyP50Ms", "latencyP90Ms", "latencyP99Ms", "latencyMaxMs", "idleMemoryMiB", "loadMemoryMiB"] as const;
export const METRICS = [...MEASURED_METRICS, ...REPORTED_METRICS, ...SERVING_METRICS] as const;
export type MeasuredMetric = (typeof MEASURED_METRICS)[number];
/** Metrics that only some iterations have. */
export type OptionalMetric = (typeof REPORTED_METRICS)[number] | (typeof SERVING_METRICS)[number];
export type Metric = (typeof METRICS)[number];

export interface MetricInfo {
  label: string;
  unit: string;
  /** Which way is better: lower for times and memory, higher for throughput. */
  better: "lower" | "higher";
}

export const METRIC_INFO: Record<Metric, MetricInfo> = {
  bootTimeMs: { label: "Time to boot", unit: "ms", better: "lower" },
  runTimeMs: { label: "Time to run", unit: "ms", better: "lower" },
  vmmStartupMs: { label: "VMM start-up", unit: "ms", better: "lower" },
  peakMemoryMiB: { label: "Total memory usage", unit: "MiB", better: "lower" },
  guestBootTimeMs: { label: "Time to boot (guest-reported)", unit: "ms", better: "lower" },
  vmmBootTimeMs: { label: "Time to boot (VMM-reported)", unit: "ms", better: "lower" },
  firstAnswerMs: { label: "Time to first answer", unit: "ms", better: "lower" },
  requestsPerSecond: { label: "Requests per second", unit: "req/s", better: "higher" },
  latencyP50Ms: { label: "Latency p50", unit: "ms", better: "lower" },
  latencyP90Ms: { label: "Latency p90", unit: "ms", better: "lower" },
  latencyP99Ms: { label: "Latency p99", unit: "ms", better: "lower" },
  latencyMaxMs: { label: "Latency max", unit: "ms", better: "lower" },
  idleMemoryMiB: { label: "Memory idle (before load)", unit: "MiB", better: "lower" },
  loadMemoryMiB: { label: "Memory under load (peak)", unit: "MiB", better: "lower" },
};
