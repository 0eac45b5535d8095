// Flattens a report into dotted column names ("issues_info.open_issues_number"),
// in the report's own field order, for the tabular formats.
import type { CommunityReport } from "../../../vocabulary/community-report.js";

export type FlatValue = string | number | boolean | null;

export function flattenReport(report: CommunityReport): Array<[string, FlatValue]> {
  const entries: Array<[string, FlatValue]> = [];
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) walk(child, prefix ? `${prefix}.${key}` : key);
    } else {
      entries.push([prefix, value as FlatValue]);
    }
  };
  walk(report, "");
  return entries;
}
