// The regression gate (`compare --fail-on-regression`): which rows of a
// comparison are significantly worse in B by more than a threshold, the way
// benchstat and github-action-benchmark gate a change in CI.
import type { ComparedMetric } from "./choices.js";
import type { Comparison, ComparisonRow } from "./compare.js";

export interface RegressionGate {
  /** Worse by more than this many percent (of A's median). */
  thresholdPercent: number;
  metrics: readonly ComparedMetric[];
}

/** Worse is a higher median in B where lower is better (times, memory), a lower one where higher is better (requests per second). */
export function isRegression(row: ComparisonRow, gate: RegressionGate): boolean {
  if (!gate.metrics.includes(row.metricKey) || !row.significant) return false;
  if (row.better === "higher") return row.medianB < row.medianA && row.changePercent !== null && -row.changePercent > gate.thresholdPercent;
  if (!(row.medianB > row.medianA)) return false;
  // From a median of 0 any growth is unbounded.
  return row.changePercent === null || row.changePercent > gate.thresholdPercent;
}

export function findRegressions(comparison: Comparison, gate: RegressionGate): ComparisonRow[] {
  return comparison.rows.filter((row) => isRegression(row, gate));
}
