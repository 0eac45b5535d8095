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
  /** For bar charts that can switch to a log scale: where the axis and its bars start on it (barValueAxis). */
  barStart?: number;
}

/** The options every chart starts from. */
export const BASE = { animation: false, tooltip: { trigger: "item" }, grid: { left: 70, right: 24, top: 48, bottom: 90 } };

/** A value axis, linear or log; the page switches it with the chart's log-scale box. */
export function valueAxis(name: string, log: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: log ? "log" : "value", name, ...extra };
}

/**
 * Where a log axis of bars starts: the power of ten at or below the smallest
 * positive value. ECharts starts bars at 1 otherwise, and a value below 1
 * (the null guest's 0.006 MiB image) would hang downward and look the largest.
 */
export function barStartOf(values: readonly number[]): number {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  return positive.length ? 10 ** Math.floor(Math.log10(Math.min(...positive))) : 1;
}

/** A value axis for bars: on a log scale it and its bars start at `barStart` (the page does the same when it switches). */
export function barValueAxis(name: string, log: boolean, barStart: number): Record<string, unknown> {
  return log ? { type: "log", name, min: barStart, startValue: barStart } : { type: "value", name };
}

/** Bars side by side per target and VMM, one series each, on a value axis that may start on a log scale. */
export function groupedBarChart(
  chart: { id: string; title: string; unit: string; logScale: boolean },
  labels: string[],
  series: ReadonlyArray<{ name: string; values: number[] }>,
): Pick<ChartSpec, "id" | "title" | "logScale" | "barStart" | "option"> {
  const barStart = barStartOf(series.flatMap((s) => s.values));
  const title = `${chart.title} (${chart.unit})`;
  return {
    id: chart.id,
    title,
    logScale: chart.logScale,
    barStart,
    option: {
      ...BASE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      title: { text: title },
      legend: { bottom: 0 },
      xAxis: categoryAxis(labels),
      yAxis: barValueAxis(chart.unit, chart.logScale, barStart),
      series: series.map((s) => ({ name: s.name, type: "bar", data: s.values })),
    },
  };
}

/** One category per target and VMM, the labels turned when there are many. */
export function categoryAxis(labels: string[]): Record<string, unknown> {
  return { type: "category", data: labels, axisLabel: { rotate: labels.length > 3 ? 20 : 0, interval: 0 } };
}
