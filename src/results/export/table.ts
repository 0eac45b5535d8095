// The human summary: median first (boot times are skewed), then mean ± σ,
// range and the 95% interval of the mean, per target, VMM and metric. Pairs
// that did not complete get a row that says so; why, and the pairs that are
// not available here, go in notes below the table, so that no long reason
// widens a column.
import { formatMarkdownTable, formatNotes, formatTextTable, notesByReason, type NoteGroup, type TableSpec } from "../../output/text-table.js";
import type { PerformanceRun } from "../schema.js";
import type { Exporter, RenderOptions } from "./exporter.js";
import { formatNumber, summaryRows } from "./summary-rows.js";

export function summaryTable(run: PerformanceRun, options: RenderOptions = {}): TableSpec {
  const rows = summaryRows(run, options)
    .filter((row) => row.status !== "unavailable")
    .map((row) => {
      const s = row.summary;
      const unit = row.unit ? ` ${row.unit}` : "";
      if (!s) return [row.target, row.vmm, row.accel, `${row.status} (see below)`, "", "", "", "", "", ""];
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
    // On a narrow terminal the spread goes first; the median and n stay.
    optional: [8, 6, 7, 5, 2],
  };
}

/** Why pairs did not complete or were not run; the whole error is in the log and the JSON, the notes keep its first line. */
export function summaryNotes(run: PerformanceRun): NoteGroup[] {
  const firstLine = (text: string | undefined): string => (text ?? "").split("\n")[0]!;
  const incomplete = run.results.filter((e) => e.status !== "ok" && e.status !== "unavailable");
  return [
    { title: "Did not complete:", notes: incomplete.map((e) => `${e.target} on ${e.vmm} (${e.status}): ${firstLine(e.error)}`) },
    {
      title: "Not available here (not named, so not an error):",
      notes: notesByReason(run.results.filter((e) => e.status === "unavailable").map((e) => ({ subject: `${e.target} on ${e.vmm}`, reason: firstLine(e.error) }))),
    },
    { title: "Left out:", notes: run.leftOut },
  ];
}

function markdownNotes(groups: readonly NoteGroup[]): string {
  return groups
    .filter((group) => group.notes.length)
    .map((group) => `\n**${group.title}**\n\n${group.notes.map((note) => `- ${note}`).join("\n")}\n`)
    .join("");
}

export const tableExporter: Exporter<PerformanceRun> = {
  render: (run, options = {}) => formatTextTable(summaryTable(run, options), options.width) + formatNotes(summaryNotes(run), options.width ?? Number.POSITIVE_INFINITY),
};
export const markdownExporter: Exporter<PerformanceRun> = { render: (run, options = {}) => formatMarkdownTable(summaryTable(run, options)) + markdownNotes(summaryNotes(run)) };
