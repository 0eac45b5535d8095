// The report's community charts: counts and median times per repository,
// and the run's line in the list.
import type { CommunityRun } from "../community-run-schema.js";
import { formatNumber } from "../export/summary-rows.js";
import type { CommunityReport } from "../../vocabulary/community-report.js";
import { BASE, categoryAxis, type ChartSpec } from "./chart-spec.js";
import type { ReportKind } from "./report-kind.js";

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

export const COMMUNITY_REPORT: ReportKind<CommunityRun> = {
  describe: (run) => ({ text: `${run.repositories.length} repositories` }),
  charts(runs) {
    const reports = runs.flatMap((run) =>
      run.document.repositories.map((r) => ({ label: `${r.report.owner}/${r.report.repo}${runs.length > 1 ? ` (${run.runId})` : ""}`, report: r.report })),
    );
    if (reports.length === 0) return [];
    return [
      communityChart("community-counts", "Community: counts", "count", reports, COMMUNITY_COUNTS),
      communityChart("community-response-times", "Community: median times (hours)", "hours", reports, COMMUNITY_HOURS),
    ];
  },
  tables: () => [],
};
