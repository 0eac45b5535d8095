// The metrics a performance run summarises, with their labels and units. Kept
// apart from the zod schema so that what only renders runs need not load zod.

/** What the tool measures itself, in every iteration. */
export const MEASURED_METRICS = ["bootTimeMs", "runTimeMs", "vmmStartupMs", "peakMemoryMiB"] as const;
/** What a guest or VMM states itself, beside the tool's figure, where it does. */
export const REPORTED_METRICS = ["guestBootTimeMs", "vmmBootTimeMs"] as const;
export const METRICS = [...MEASURED_METRICS, ...REPORTED_METRICS] as const;
export type MeasuredMetric = (typeof MEASURED_METRICS)[number];
export type ReportedMetric = (typeof REPORTED_METRICS)[number];
export type Metric = (typeof METRICS)[number];

export const METRIC_INFO: Record<Metric, { label: string; unit: string }> = {
  bootTimeMs: { label: "Time to boot", unit: "ms" },
  runTimeMs: { label: "Time to run", unit: "ms" },
  vmmStartupMs: { label: "VMM start-up", unit: "ms" },
  peakMemoryMiB: { label: "Total memory usage", unit: "MiB" },
  guestBootTimeMs: { label: "Time to boot (guest-reported)", unit: "ms" },
  vmmBootTimeMs: { label: "Time to boot (VMM-reported)", unit: "ms" },
};
