// The human summary: median first (boot times are skewed), then mean ± σ,
// range and the 95% interval of the mean, per target, VMM and metric.
import { formatMarkdownTable, formatTextTable, type TableSpec } from "../../output/text-table.js";
import type { PerformanceRun } from "../schema.js";
import type { Exporter, RenderOptions } from "./exporter.js";
import { formatNumber, summaryRows } from "./summary-rows.js";

export function summaryTable(run: PerformanceRun, options: RenderOptions = {}): TableSpec {
  const rows = summaryRows(run, options).map((row) => {
    const s = row.summary;
    const unit = row.unit ? ` ${row.unit}` : "";
    // The whole error is in the log and the JSON; the table keeps its first words.
    if (!s) return [row.target, row.vmm, row.accel, truncate(`${row.status}: ${row.note ?? ""}`.split("\n")[0]!, 70), "", "", "", "", "", ""];
    if (row.constant) return [row.target, row.vmm, row.accel, row.metric, `${formatNumber(s.median)}${unit}`, "", "", "", "", ""];
    return [
      row.target,
      row.vmm,
      row.accel,
      row.metric,
      `${formatNumber(s.median)}${unit}`,
      `${formatNumber(s.mean)} ± ${formatNumber(s.stddev)}${unit}`,
      `${formatNumber(s.min)}${unit}`,
      `${formatNumber(s.max)}${unit}`,
      `[${formatNumber(s.ci95Low)}, ${formatNumber(s.ci95High)}]${unit}`,
      `${s.n}${s.outlierIndexes.length ? ` (${s.outlierIndexes.length} outlier${s.outlierIndexes.length > 1 ? "s" : ""})` : ""}`,
    ];
  });
  return {
    header: ["Target", "VMM", "Accel", "Metric", "Median", "Mean ± σ", "Min", "Max", "95% CI (mean)", "n"],
    rows,
    align: ["left", "left", "left", "left", "right", "right", "right", "right", "right", "right"],
  };
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

export const tableExporter: Exporter = { render: (run, options) => formatTextTable(summaryTable(run, options)) };
export const markdownExporter: Exporter = { render: (run, options) => formatMarkdownTable(summaryTable(run, options)) };
