// The rows that the tabular formats share: one per target, VMM and metric.
import { METRIC_INFO, METRICS } from "../metrics.js";
import type { PerformanceRun } from "../schema.js";
import type { Summary } from "../../statistics/summary.js";
import type { RenderOptions } from "./exporter.js";

export interface SummaryRow {
  target: string;
  vmm: string;
  accel: string;
  status: string;
  metric: string;
  unit: string;
  summary?: Summary;
  /** For a target without samples: why. */
  note?: string;
  /** The same in every iteration (image size): no spread to show. */
  constant?: boolean;
}

export function summaryRows(run: PerformanceRun, options: RenderOptions = {}): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const entry of run.results) {
    const base = { target: entry.target, vmm: entry.vmm, accel: entry.accel ?? "", status: entry.status };
    if (!entry.summary) {
      rows.push({ ...base, metric: "", unit: "", note: entry.error ?? "no measured iterations" });
      continue;
    }
    for (const metric of METRICS) {
      const summary = entry.summary[metric];
      if (summary) rows.push({ ...base, metric: METRIC_INFO[metric].label, unit: METRIC_INFO[metric].unit, summary });
    }
    if (entry.image) {
      const summary = constantSummary(entry.image.sizeBytes / 2 ** 20, entry.summary.bootTimeMs?.n ?? 1);
      rows.push({ ...base, metric: "Image size", unit: "MiB", summary, constant: true });
    }
    if (options.phaseRows) rows.push(...options.phaseRows(entry).map((row) => ({ ...base, ...row })));
  }
  return rows;
}

/** The image does not vary between iterations: a summary with no spread. */
function constantSummary(value: number, n: number): Summary {
  return { n, mean: value, median: value, stddev: 0, min: value, max: value, p95: value, ci95Low: value, ci95High: value, outlierIndexes: [] };
}

/** Enough digits for sub-millisecond boots, no noise for long runs. */
export function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toFixed(3);
}
