// The report's density charts: boot time and memory per VM against the number
// of VMs booted at once, a line per target and VMM (and run); a table per
// target and VMM with a row per level; and the run's line in the list.
import type { DensityRun } from "../density-schema.js";
import { entryNotes, levelTable } from "../export/density-output.js";
import { formatNumber } from "../export/summary-rows.js";
import type { ChartSpec } from "./chart-spec.js";
import type { ReportKind, ReportedRun } from "./report-kind.js";
import { describeHost } from "./run-host.js";
import { startsOnLogScale, type Scale } from "./scales.js";

const MIB = 2 ** 20;

interface DensityLine {
  label: string;
  /** [N, value] per level that has the value. */
  points: Array<[number, number]>;
}

type LevelSummary = DensityRun["results"][number]["levels"][number]["summary"];

function linesOf(runs: ReadonlyArray<ReportedRun<DensityRun>>, value: (s: LevelSummary) => number | undefined): DensityLine[] {
  return runs.flatMap((run) =>
    run.document.results.flatMap((entry) => {
      const points = entry.levels.flatMap((level): Array<[number, number]> => {
        const v = value(level.summary);
        return v === undefined ? [] : [[level.vms, v]];
      });
      const label = `${entry.target} · ${entry.vmm}${runs.length > 1 ? ` (${run.runId})` : ""}`;
      return points.length ? [{ label, points }] : [];
    }),
  );
}

function againstVms(id: string, title: string, unit: string, series: Array<{ name: string; lines: DensityLine[] }>, scale: Scale): ChartSpec | undefined {
  const all = series.flatMap((s) => s.lines.map((l) => ({ name: series.length > 1 ? `${l.label}: ${s.name}` : l.label, points: l.points })));
  if (all.length === 0) return undefined;
  const logScale = startsOnLogScale(scale, all.flatMap((l) => l.points.map((p) => p[1])));
  const levels = [...new Set(all.flatMap((l) => l.points.map((p) => p[0])))].sort((a, b) => a - b);
  return {
    id,
    title: `${title} (${unit})`,
    logScale,
    option: {
      animation: false,
      tooltip: { trigger: "axis" },
      title: { text: `${title} (${unit})` },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 70, right: 24, top: 48, bottom: 60 },
      xAxis: { type: "log", logBase: 2, name: "VMs at once", min: levels[0], max: levels.at(-1) },
      yAxis: { type: logScale ? "log" : "value", name: unit, scale: true },
      series: all.map((l) => ({ name: l.name, type: "line", showSymbol: true, symbolSize: 6, data: l.points })),
    },
    table: {
      header: ["Series", ...levels.map((n) => `${n} VM${n > 1 ? "s" : ""}`)],
      align: ["left", ...levels.map(() => "right" as const)],
      rows: all.map((l) => [l.name, ...levels.map((n) => formatOr(l.points.find((p) => p[0] === n)?.[1]))]),
    },
  };
}

function formatOr(value: number | undefined): string {
  return value === undefined ? "—" : formatNumber(value);
}

function densityCharts(runs: ReadonlyArray<ReportedRun<DensityRun>>, scale: Scale): ChartSpec[] {
  const charts = [
    againstVms(
      "density-boot",
      "Density: boot time against VMs booted at once",
      "ms",
      [
        { name: "median", lines: linesOf(runs, (s) => s.bootMedianMs) },
        { name: "all ready", lines: linesOf(runs, (s) => s.allReadyMedianMs) },
      ],
      scale,
    ),
    againstVms(
      "density-memory",
      "Density: memory per VM against VMs at once",
      "MiB",
      [
        { name: "PSS", lines: linesOf(runs, (s) => (s.pssPerVmBytes === undefined ? undefined : s.pssPerVmBytes / MIB)) },
        { name: "RSS", lines: linesOf(runs, (s) => (s.rssPerVmBytes === undefined ? undefined : s.rssPerVmBytes / MIB)) },
        { name: "host", lines: linesOf(runs, (s) => (s.hostMemoryPerVmBytes === undefined ? undefined : s.hostMemoryPerVmBytes / MIB)) },
      ],
      scale,
    ),
  ];
  return charts.filter((c): c is ChartSpec => c !== undefined);
}

export const DENSITY_REPORT: ReportKind<DensityRun> = {
  describe: (run) => {
    const levels = run.config.untilFailure ? `until failure (at most ${run.config.vms.at(-1)})` : run.config.vms.join(",");
    return {
      text: `vms ${levels}, ${run.config.rounds} round(s), accel ${run.config.accel}, workload ${run.config.workload}; ${describeHost(run.host)}`,
      ...(run.labels ? { labels: run.labels } : {}),
      interrupted: run.interrupted,
    };
  },
  charts: densityCharts,
  tables: (run) =>
    run.document.results.map((entry) => ({ title: `Density of ${entry.target} on ${entry.vmm} in ${run.runId}`, table: levelTable(entry), notes: entryNotes(entry) })),
};
