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

/** Lower is better for every metric, so worse means a higher median in B. */
export function isRegression(row: ComparisonRow, gate: RegressionGate): boolean {
  if (!gate.metrics.includes(row.metricKey) || !row.significant || !(row.medianB > row.medianA)) return false;
  // From a median of 0 any growth is unbounded.
  return row.changePercent === null || row.changePercent > gate.thresholdPercent;
}

export function findRegressions(comparison: Comparison, gate: RegressionGate): ComparisonRow[] {
  return comparison.rows.filter((row) => isRegression(row, gate));
}
