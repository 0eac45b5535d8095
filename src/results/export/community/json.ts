// The seed's output: one pretty-printed object per repository, tab-indented as Go's MarshalIndent printed it.
import type { CommunityReport } from "../../../vocabulary/community-report.js";

export function formatJson(reports: CommunityReport[]): string {
  return reports.map((report) => JSON.stringify(report, null, "\t") + "\n").join("");
}
