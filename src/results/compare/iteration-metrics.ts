// Each metric's value in one iteration, in the unit METRIC_INFO names; shared by
// the run's summaries, compare and the report so all read the samples the same way.
import type { MeasuredMetric, Metric, ReportedMetric } from "../metrics.js";
import type { RunEntry } from "../schema.js";

export type Iteration = RunEntry["iterations"][number];

export const METRIC_OF_ITERATION: { [M in MeasuredMetric]: (i: Iteration) => number } & { [M in ReportedMetric]: (i: Iteration) => number | undefined } = {
  bootTimeMs: (i) => i.bootNs / 1e6,
  runTimeMs: (i) => i.runNs / 1e6,
  vmmStartupMs: (i) => i.vmmStartupNs / 1e6,
  peakMemoryMiB: (i) => i.peakRssBytes / 2 ** 20,
  guestBootTimeMs: (i) => (i.guestReportedBootNs === undefined ? undefined : i.guestReportedBootNs / 1e6),
  vmmBootTimeMs: (i) => (i.vmmReportedBootNs === undefined ? undefined : i.vmmReportedBootNs / 1e6),
};

/** The metric over `iterations`, or undefined when one of them lacks it (a reported metric). */
export function metricSamples(iterations: readonly Iteration[], metric: Metric): number[] | undefined {
  const values = iterations.map((i): number | undefined => METRIC_OF_ITERATION[metric](i));
  return values.every((v): v is number => v !== undefined) ? values : undefined;
}
