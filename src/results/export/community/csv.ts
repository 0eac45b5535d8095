// One header row of dotted field names, then one row per repository.
import { toCsv } from "../../../output/csv.js";
import type { CommunityReport } from "../../../vocabulary/community-report.js";
import { flattenReport } from "./flatten.js";

export function formatCsv(reports: CommunityReport[]): string {
  const rows = reports.map(flattenReport);
  const header = rows[0]?.map(([key]) => key) ?? [];
  return toCsv(header, rows.map((row) => row.map(([, value]) => value)));
}
