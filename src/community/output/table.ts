// A plain-text table for reading: one row per field, one column per
// repository (reports have more fields than a terminal has columns).
import type { CommunityReport } from "../types.js";
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
  const rows = [["field", ...reports.map((r) => `${r.owner}/${r.repo}`)], ...fields.map((field, i) => [field, ...flat.map((row) => cell(row[i]?.[1]))])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join("  ").trimEnd() + "\n").join("");
}
