// Each metric's value in one iteration, in the unit METRIC_INFO names; shared by
// compare and the report so both read the samples the same way.
import type { Metric, RunEntry } from "../schema.js";

export type Iteration = RunEntry["iterations"][number];

export const METRIC_OF_ITERATION: Record<Metric, (i: Iteration) => number> = {
  bootTimeMs: (i) => i.bootNs / 1e6,
  runTimeMs: (i) => i.runNs / 1e6,
  vmmStartupMs: (i) => i.vmmStartupNs / 1e6,
  peakMemoryMiB: (i) => i.peakRssBytes / 2 ** 20,
};
