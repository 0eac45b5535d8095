// CSV: one row per target, VMM and metric, with raw numbers for scripts.
import { toCsv } from "../../output/csv.js";
import type { PerformanceRun } from "../schema.js";
import type { Exporter } from "./exporter.js";
import { summaryRows } from "./summary-rows.js";

const HEADER = ["target", "vmm", "accel", "status", "metric", "unit", "n", "median", "mean", "stddev", "min", "max", "p95", "ci95_low", "ci95_high", "outliers", "error"];

export const csvExporter: Exporter<PerformanceRun> = {
  render(run, options) {
    return toCsv(
      HEADER,
      summaryRows(run, options).map((row) => {
        const s = row.summary;
        return [row.target, row.vmm, row.accel, row.status, row.metric, row.unit, s?.n, s?.median, s?.mean, s?.stddev, s?.min, s?.max, s?.p95, s?.ci95Low, s?.ci95High, s?.outlierIndexes.length, row.note];
      }),
    );
  },
};
