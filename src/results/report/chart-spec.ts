// A chart of the report: an ECharts option built from stored runs, plain JSON
// so that the HTML file can embed it, with the table that sits beside it (the
// browser test reads the same data back from the charts); and the pieces
// every kind's charts share.
import type { TableSpec } from "../../output/text-table.js";

export interface ChartSpec {
  /** The stable data-chart attribute of the chart's element. */
  id: string;
  title: string;
  option: Record<string, unknown>;
  table: TableSpec;
  /** For charts with a value axis that may span orders of magnitude: whether it starts on a log scale (the page can switch). */
  logScale?: boolean;
}

/** The options every chart starts from. */
export const BASE = { animation: false, tooltip: { trigger: "item" }, grid: { left: 70, right: 24, top: 48, bottom: 90 } };

/** A value axis, linear or log; the page switches it with the chart's log-scale box. */
export function valueAxis(name: string, log: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: log ? "log" : "value", name, ...extra };
}

/** One category per target and VMM, the labels turned when there are many. */
export function categoryAxis(labels: string[]): Record<string, unknown> {
  return { type: "category", data: labels, axisLabel: { rotate: labels.length > 3 ? 20 : 0, interval: 0 } };
}
