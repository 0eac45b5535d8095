// The report's performance charts: each metric's distribution per target and
// VMM, where the time goes, the image sizes, memory over time; the summary
// table with its notes; and the run's line in the list.
import { mean, median, quantile } from "simple-statistics";
import { BOOT_PHASE_LABELS, BOOT_PHASES } from "../../vocabulary/boot-phases.js";
import { METRIC_OF_ITERATION } from "../compare/iteration-metrics.js";
import { formatNumber } from "../export/summary-rows.js";
import { summaryNotes, summaryTable } from "../export/table.js";
import type { PerformanceRun, RunEntry } from "../schema.js";
import { BASE, barStartOf, barValueAxis, categoryAxis, groupedBarChart, valueAxis, type ChartSpec } from "./chart-spec.js";
import type { ReportKind, ReportedRun } from "./report-kind.js";
import { describeHost } from "./run-host.js";
import { startsOnLogScale, type Scale } from "./scales.js";

/** One target on one VMM in one run, with its measured (not warm-up) iterations. */
interface Pair {
  label: string;
  entry: RunEntry;
  measured: RunEntry["iterations"];
}

const DISTRIBUTIONS = [
  { id: "boot-time", title: "Time to boot", unit: "ms", value: METRIC_OF_ITERATION.bootTimeMs },
  { id: "run-time", title: "Time to run", unit: "ms", value: METRIC_OF_ITERATION.runTimeMs },
  { id: "peak-memory", title: "Peak memory (VMM process RSS)", unit: "MiB", value: METRIC_OF_ITERATION.peakMemoryMiB },
] as const;

function pairsOf(runs: ReadonlyArray<ReportedRun<PerformanceRun>>): Pair[] {
  return runs.flatMap((run) =>
    run.document.results.flatMap((entry) => {
      const measured = entry.iterations.filter((i) => !i.warmup);
      if (measured.length === 0) return [];
      const label = `${entry.target} · ${entry.vmm}${runs.length > 1 ? ` (${run.runId})` : ""}`;
      return [{ label, entry, measured }];
    }),
  );
}

function distributionChart(pairs: Pair[], spec: (typeof DISTRIBUTIONS)[number], scale: Scale): ChartSpec {
  const samples = pairs.map((p) => p.measured.map(spec.value));
  const logScale = startsOnLogScale(scale, samples.flat());
  return {
    id: spec.id,
    title: `${spec.title} (${spec.unit})`,
    logScale,
    option: {
      ...BASE,
      title: { text: `${spec.title} (${spec.unit})` },
      xAxis: categoryAxis(pairs.map((p) => p.label)),
      yAxis: valueAxis(spec.unit, logScale, { scale: true }),
      series: [
        { name: "distribution", type: "boxplot", data: samples.map(boxOf) },
        { name: "iterations", type: "scatter", symbolSize: 6, data: samples.flatMap((values, c) => values.map((v) => [c, v])) },
      ],
    },
    table: {
      header: ["Target · VMM", "n", "Median", "Min", "Max"],
      align: ["left", "right", "right", "right", "right"],
      rows: pairs.map((p, c) => {
        const box = boxOf(samples[c]!);
        return [p.label, String(samples[c]!.length), formatNumber(box[2]!), formatNumber(box[0]!), formatNumber(box[4]!)];
      }),
    },
  };
}

function imageSizeChart(pairs: Pair[], scale: Scale): ChartSpec | undefined {
  const withImage = pairs.filter((p) => p.entry.image);
  if (withImage.length === 0) return undefined;
  const mib = withImage.map((p) => p.entry.image!.sizeBytes / 2 ** 20);
  const logScale = startsOnLogScale(scale, mib);
  const barStart = barStartOf(mib);
  return {
    id: "image-size",
    title: "Image size (MiB)",
    logScale,
    barStart,
    option: {
      ...BASE,
      title: { text: "Image size (MiB)" },
      xAxis: categoryAxis(withImage.map((p) => p.label)),
      yAxis: barValueAxis("MiB", logScale, barStart),
      series: [{ name: "image size", type: "bar", data: mib }],
    },
    table: { header: ["Target · VMM", "Image (MiB)", "Files"], align: ["left", "right", "left"], rows: withImage.map((p, c) => [p.label, formatNumber(mib[c]!), p.entry.image!.files.map((f) => f.role).join(", ")]) },
  };
}

/**
 * Where an iteration's time goes, per target and VMM: one stacked bar of the
 * mean of each phase (means add up, so the bar is the mean iteration from the
 * VMM's spawn to its reaping). Runs from before phases were recorded are left out.
 */
function bootPhasesChart(pairs: Pair[], scale: Scale): ChartSpec | undefined {
  const withPhases = pairs.flatMap((p) => {
    const phases = p.measured.flatMap((i) => (i.phasesNs ? [i.phasesNs] : []));
    return phases.length ? [{ label: p.label, means: BOOT_PHASES.map((phase) => mean(phases.map((ns) => ns[phase])) / 1e6) }] : [];
  });
  if (withPhases.length === 0) return undefined;
  const totals = withPhases.map((p) => p.means.reduce((sum, ms) => sum + ms, 0));
  const logScale = startsOnLogScale(scale, totals);
  // The stack's first phase sits on the axis; on a log scale it starts below the smallest of them.
  const barStart = barStartOf(withPhases.map((p) => p.means[0]!));
  return {
    id: "boot-phases",
    title: "Boot phases, mean per iteration (ms)",
    logScale,
    barStart,
    option: {
      ...BASE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      title: { text: "Boot phases, mean per iteration (ms)" },
      // Plain, so that the five phase names wrap instead of scrolling out of sight.
      legend: { bottom: 0 },
      grid: { ...BASE.grid, bottom: 110 },
      xAxis: categoryAxis(withPhases.map((p) => p.label)),
      yAxis: barValueAxis("ms", logScale, barStart),
      series: BOOT_PHASES.map((phase, k) => ({ name: BOOT_PHASE_LABELS[phase], type: "bar", stack: "phases", data: withPhases.map((p) => p.means[k]) })),
    },
    table: {
      header: ["Target · VMM", ...BOOT_PHASES.map((phase) => BOOT_PHASE_LABELS[phase]), "Total"],
      align: ["left", ...BOOT_PHASES.map(() => "right" as const), "right"],
      rows: withPhases.map((p, c) => [p.label, ...p.means.map(formatNumber), formatNumber(totals[c]!)]),
    },
  };
}

/**
 * A server guest's figures (the http workload), per target and VMM, medians
 * over the measured iterations: its first answer beside its boot, the requests
 * per second it served, its latency under load, its memory idle and under load.
 */
function servingCharts(pairs: Pair[], scale: Scale): ChartSpec[] {
  const serving = pairs.filter((p) => p.measured.every((i) => i.serving));
  if (serving.length === 0) return [];
  const labels = serving.map((p) => p.label);
  const medianOf = (read: (i: Pair["measured"][number]) => number): number[] => serving.map((p) => median(p.measured.map(read)));
  const ms = (ns: number): number => ns / 1e6;
  const mib = (bytes: number): number => bytes / 2 ** 20;
  const chart = (id: string, title: string, unit: string, series: Array<{ name: string; values: number[] }>): ChartSpec => {
    const logScale = startsOnLogScale(scale, series.flatMap((s) => s.values));
    return {
      ...groupedBarChart({ id, title, unit, logScale }, labels, series),
      table: {
        header: ["Target · VMM", ...series.map((s) => `${s.name} (${unit})`)],
        align: ["left", ...series.map(() => "right" as const)],
        rows: labels.map((label, c) => [label, ...series.map((s) => formatNumber(s.values[c]!))]),
      },
    };
  };
  return [
    chart("first-answer", "Boot and first answer, median", "ms", [
      { name: "Ready marker (listening)", values: medianOf((i) => ms(i.bootNs)) },
      { name: "First answer", values: medianOf((i) => ms(i.serving!.firstAnswerNs)) },
    ]),
    chart("requests-per-second", "Requests per second under load, median", "req/s", [{ name: "Requests per second", values: medianOf((i) => i.serving!.load.requestsPerSecond) }]),
    chart("latency", "Latency under load, median of each percentile", "ms", [
      { name: "p50", values: medianOf((i) => ms(i.serving!.load.latencyNs.p50)) },
      { name: "p90", values: medianOf((i) => ms(i.serving!.load.latencyNs.p90)) },
      { name: "p99", values: medianOf((i) => ms(i.serving!.load.latencyNs.p99)) },
    ]),
    chart("serving-memory", "Memory idle and under load, median", "MiB", [
      { name: "Idle, before the load", values: medianOf((i) => mib(i.serving!.idleRssBytes)) },
      { name: "Peak under load", values: medianOf((i) => mib(i.serving!.loadPeakRssBytes)) },
    ]),
  ];
}

function memoryOverTimeChart(pairs: Pair[]): ChartSpec | undefined {
  const lines = pairs.flatMap((p) => {
    const iteration = p.measured.find((i) => i.memorySeries.offsetsNs.length > 0);
    if (!iteration) return [];
    const points = iteration.memorySeries.offsetsNs.map((ns, k) => [ns / 1e6, iteration.memorySeries.rssBytes[k]! / 2 ** 20]);
    return [{ label: p.label, index: iteration.index, points }];
  });
  if (lines.length === 0) return undefined;
  return {
    id: "memory-over-time",
    title: "Memory over time, first measured iteration (MiB)",
    option: {
      ...BASE,
      tooltip: { trigger: "axis" },
      title: { text: "Memory over time, first measured iteration" },
      legend: { bottom: 0, type: "scroll" },
      grid: { ...BASE.grid, bottom: 60 },
      xAxis: { type: "value", name: "ms", scale: true },
      yAxis: { type: "value", name: "MiB", scale: true },
      series: lines.map((l) => ({ name: l.label, type: "line", showSymbol: true, symbolSize: 4, data: l.points })),
    },
    table: {
      header: ["Target · VMM", "Iteration", "Samples", "Peak (MiB)"],
      align: ["left", "right", "right", "right"],
      rows: lines.map((l) => [l.label, String(l.index), String(l.points.length), formatNumber(Math.max(...l.points.map((p) => p[1]!)))]),
    },
  };
}


/** [min, Q1, median, Q3, max], as ECharts' boxplot series takes it. */
export function boxOf(values: number[]): number[] {
  return [Math.min(...values), quantile(values, 0.25), quantile(values, 0.5), quantile(values, 0.75), Math.max(...values)];
}

export const PERFORMANCE_REPORT: ReportKind<PerformanceRun> = {
  describe: (run) => ({
    text: `n=${run.config.iterations}, warm-up ${run.config.warmup}, accel ${run.config.accel}, workload ${run.config.workload}; ${describeHost(run.host)}`,
    ...(run.labels ? { labels: run.labels } : {}),
    interrupted: run.interrupted,
  }),
  charts(runs, scale) {
    const pairs = pairsOf(runs);
    if (pairs.length === 0) return [];
    const charts = [
      ...DISTRIBUTIONS.map((d) => distributionChart(pairs, d, scale)),
      bootPhasesChart(pairs, scale),
      imageSizeChart(pairs, scale),
      memoryOverTimeChart(pairs),
      ...servingCharts(pairs, scale),
    ];
    return charts.filter((c): c is ChartSpec => c !== undefined);
  },
  tables: (run) => [{ title: `Summary of ${run.runId}`, table: summaryTable(run.document), notes: summaryNotes(run.document) }],
};
