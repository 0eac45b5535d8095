// A plain-text table for reading: one row per field, one column per
// repository (reports have more fields than a terminal has columns).
import { formatTextTable } from "../../../output/text-table.js";
import type { CommunityReport } from "../../../vocabulary/community-report.js";
import { flattenReport } from "./flatten.js";

function cell(value: unknown): string {
  if (value === null || value === undefined) return "-";
  if (typeof value === "number" && !Number.isInteger(value)) return value.toFixed(2);
  return String(value);
}

export function formatTable(reports: CommunityReport[]): string {
  if (reports.length === 0) return "";
  const flat = reports.map(flattenReport);
  const fields = flat[0]!.map(([key]) => key);
  return formatTextTable({
    header: ["field", ...reports.map((r) => `${r.owner}/${r.repo}`)],
    rows: fields.map((field, i) => [field, ...flat.map((row) => cell(row[i]?.[1]))]),
    align: ["left", ...reports.map(() => "right" as const)],
  });
}
