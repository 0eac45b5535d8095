// The report's charts, kind by kind: each kind's runs drawn together by the
// kind's own report (performance-report.ts, density-report.ts,
// community-report.ts).
import type { StoredRun } from "../store/stored-run.js";
import type { ChartSpec } from "./chart-spec.js";
import { REPORT_KINDS, reportedRunsOf } from "./report-kinds.js";
import type { Scale } from "./scales.js";

export type { ChartSpec } from "./chart-spec.js";

export function chartSpecs(runs: readonly StoredRun[], scale: Scale = "auto"): ChartSpec[] {
  return [
    ...REPORT_KINDS.performance.charts(reportedRunsOf(runs, "performance"), scale),
    ...REPORT_KINDS.density.charts(reportedRunsOf(runs, "density"), scale),
    ...REPORT_KINDS.community.charts(reportedRunsOf(runs, "community"), scale),
  ];
}
