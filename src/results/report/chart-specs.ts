// The report's charts as ECharts options built from the stored runs, each with
// the table that sits beside it. Options are plain JSON so that the HTML file
// can embed them; the browser test reads the same data back from the charts.
import { mean, quantile } from "simple-statistics";
import { BOOT_PHASE_LABELS, BOOT_PHASES } from "../../vocabulary/boot-phases.js";
import { METRIC_OF_ITERATION } from "../compare/iteration-metrics.js";
import type { TableSpec } from "../../output/text-table.js";
import { formatNumber } from "../export/summary-rows.js";
import type { PerformanceRun, RunEntry } from "../schema.js";
import type { StoredRun } from "../store/stored-run.js";
import { startsOnLogScale, type Scale } from "./scales.js";
import type { CommunityReport } from "../../vocabulary/community-report.js";
import { densityCharts } from "./density-charts.js";

export interface ChartSpec {
  /** The stable data-chart attribute of the chart's element. */
  id: string;
  title: string;
  option: Record<string, unknown>;
  table: TableSpec;
  /** For charts with a value axis that may span orders of magnitude: whether it starts on a log scale (the page can switch). */
  logScale?: boolean;
}

/** A value axis, linear or log; the page switches it with the chart's log-scale box. */
function valueAxis(name: string, log: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: log ? "log" : "value", name, ...extra };
}

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

function pairsOf(runs: PerformanceRun[]): Pair[] {
  return runs.flatMap((run) =>
    run.results.flatMap((entry) => {
      const measured = entry.iterations.filter((i) => !i.warmup);
      if (measured.length === 0) return [];
      const label = `${entry.target} · ${entry.vmm}${runs.length > 1 ? ` (${run.runId})` : ""}`;
      return [{ label, entry, measured }];
    }),
  );
}

const BASE = { animation: false, tooltip: { trigger: "item" }, grid: { left: 70, right: 24, top: 48, bottom: 90 } };

function categoryAxis(labels: string[]): Record<string, unknown> {
  return { type: "category", data: labels, axisLabel: { rotate: labels.length > 3 ? 20 : 0, interval: 0 } };
}

/** [min, Q1, median, Q3, max], as ECharts' boxplot series takes it. */
export function boxOf(values: number[]): number[] {
  return [Math.min(...values), quantile(values, 0.25), quantile(values, 0.5), quantile(values, 0.75), Math.max(...values)];
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
  return {
    id: "image-size",
    title: "Image size (MiB)",
    logScale,
    option: {
      ...BASE,
      title: { text: "Image size (MiB)" },
      xAxis: categoryAxis(withImage.map((p) => p.label)),
      yAxis: valueAxis("MiB", logScale),
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
  return {
    id: "boot-phases",
    title: "Boot phases, mean per iteration (ms)",
    logScale,
    option: {
      ...BASE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      title: { text: "Boot phases, mean per iteration (ms)" },
      // Plain, so that the five phase names wrap instead of scrolling out of sight.
      legend: { bottom: 0 },
      grid: { ...BASE.grid, bottom: 110 },
      xAxis: categoryAxis(withPhases.map((p) => p.label)),
      yAxis: valueAxis("ms", logScale),
      series: BOOT_PHASES.map((phase, k) => ({ name: BOOT_PHASE_LABELS[phase], type: "bar", stack: "phases", data: withPhases.map((p) => p.means[k]) })),
    },
    table: {
      header: ["Target · VMM", ...BOOT_PHASES.map((phase) => BOOT_PHASE_LABELS[phase]), "Total"],
      align: ["left", ...BOOT_PHASES.map(() => "right" as const), "right"],
      rows: withPhases.map((p, c) => [p.label, ...p.means.map(formatNumber), formatNumber(totals[c]!)]),
    },
  };
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

interface CommunityMetric {
  label: string;
  value: (r: CommunityReport) => number | null;
}

const COMMUNITY_COUNTS: CommunityMetric[] = [
  { label: "Stars", value: (r) => r.star_number },
  { label: "Forks", value: (r) => r.fork_number },
  { label: "Open issues", value: (r) => r.issues_info.open_issues_number },
  { label: "Closed issues", value: (r) => r.issues_info.closed_issues_number },
  { label: "Open PRs", value: (r) => r.pull_requests_info.open_pull_request_number },
  { label: "Merged PRs", value: (r) => r.pull_requests_info.merged_pull_request_number },
  { label: "Releases", value: (r) => r.releases_info.release_number },
  { label: "Commit authors (recent)", value: (r) => r.recent_activity.commit_author_number },
];

const COMMUNITY_HOURS: CommunityMetric[] = [
  { label: "Issue first response", value: (r) => r.issues_info.median_time_to_first_response_hours },
  { label: "Issue close", value: (r) => r.issues_info.median_time_to_close_hours },
  { label: "PR first response", value: (r) => r.pull_requests_info.median_time_to_first_response_hours },
  { label: "PR merge", value: (r) => r.pull_requests_info.median_time_to_merge_hours },
];

function communityChart(id: string, title: string, unit: string, reports: Array<{ label: string; report: CommunityReport }>, metrics: CommunityMetric[]): ChartSpec {
  return {
    id,
    title,
    option: {
      ...BASE,
      tooltip: { trigger: "axis" },
      title: { text: title },
      legend: { bottom: 0, type: "scroll" },
      xAxis: categoryAxis(metrics.map((m) => m.label)),
      yAxis: { type: "value", name: unit },
      series: reports.map((r) => ({ name: r.label, type: "bar", data: metrics.map((m) => m.value(r.report)) })),
    },
    table: {
      header: ["Repository", ...metrics.map((m) => m.label)],
      align: ["left", ...metrics.map(() => "right" as const)],
      rows: reports.map((r) => [r.label, ...metrics.map((m) => {
        const v = m.value(r.report);
        return v === null ? "–" : Number.isInteger(v) ? String(v) : formatNumber(v);
      })]),
    },
  };
}

export function chartSpecs(runs: StoredRun[], scale: Scale = "auto"): ChartSpec[] {
  const performanceRuns = runs.flatMap((r) => (r.kind === "performance" ? [r.document] : []));
  const pairs = pairsOf(performanceRuns);
  const charts: Array<ChartSpec | undefined> = [];
  if (pairs.length > 0) {
    charts.push(
      ...DISTRIBUTIONS.map((d) => distributionChart(pairs, d, scale)),
      bootPhasesChart(pairs, scale),
      imageSizeChart(pairs, scale),
      memoryOverTimeChart(pairs),
    );
  }
  charts.push(...densityCharts(runs.flatMap((r) => (r.kind === "density" ? [r.document] : [])), scale));
  const communityRuns = runs.flatMap((r) => (r.kind === "community" ? [r] : []));
  const reports = communityRuns.flatMap((run) =>
    run.document.repositories.map((r) => ({ label: `${r.report.owner}/${r.report.repo}${communityRuns.length > 1 ? ` (${run.runId})` : ""}`, report: r.report })),
  );
  if (reports.length > 0) {
    charts.push(communityChart("community-counts", "Community: counts", "count", reports, COMMUNITY_COUNTS));
    charts.push(communityChart("community-response-times", "Community: median times (hours)", "hours", reports, COMMUNITY_HOURS));
  }
  return charts.filter((c): c is ChartSpec => c !== undefined);
}
