// Each metric's value in one iteration, in the unit METRIC_INFO names; shared by
// the run's summaries, compare and the report so all read the samples the same way.
import type { MeasuredMetric, Metric, OptionalMetric } from "../metrics.js";
import type { RunEntry } from "../schema.js";

export type Iteration = RunEntry["iterations"][number];

const ms = (ns: number | undefined): number | undefined => (ns === undefined ? undefined : ns / 1e6);
const mib = (bytes: number | undefined): number | undefined => (bytes === undefined ? undefined : bytes / 2 ** 20);

export const METRIC_OF_ITERATION: { [M in MeasuredMetric]: (i: Iteration) => number } & { [M in OptionalMetric]: (i: Iteration) => number | undefined } = {
  bootTimeMs: (i) => i.bootNs / 1e6,
  runTimeMs: (i) => i.runNs / 1e6,
  vmmStartupMs: (i) => i.vmmStartupNs / 1e6,
  peakMemoryMiB: (i) => i.peakRssBytes / 2 ** 20,
  guestBootTimeMs: (i) => ms(i.guestReportedBootNs),
  vmmBootTimeMs: (i) => ms(i.vmmReportedBootNs),
  firstAnswerMs: (i) => ms(i.serving?.firstAnswerNs),
  requestsPerSecond: (i) => i.serving?.load.requestsPerSecond,
  latencyP50Ms: (i) => ms(i.serving?.load.latencyNs.p50),
  latencyP90Ms: (i) => ms(i.serving?.load.latencyNs.p90),
  latencyP99Ms: (i) => ms(i.serving?.load.latencyNs.p99),
  latencyMaxMs: (i) => ms(i.serving?.load.latencyNs.max),
  idleMemoryMiB: (i) => mib(i.serving?.idleRssBytes),
  loadMemoryMiB: (i) => mib(i.serving?.loadPeakRssBytes),
};

/** The metric over `iterations`, or undefined when one of them lacks it (a reported or serving metric). */
export function metricSamples(iterations: readonly Iteration[], metric: Metric): number[] | undefined {
  const values = iterations.map((i): number | undefined => METRIC_OF_ITERATION[metric](i));
  return values.every((v): v is number => v !== undefined) ? values : undefined;
}
