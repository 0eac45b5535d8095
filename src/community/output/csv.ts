// One header row of dotted field names, then one row per repository (RFC 4180 quoting).
import type { CommunityReport } from "../types.js";
import { flattenReport, type FlatValue } from "./flatten.js";

function csvCell(value: FlatValue): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatCsv(reports: CommunityReport[]): string {
  const rows = reports.map(flattenReport);
  const header = rows[0]?.map(([key]) => key) ?? [];
  return [header, ...rows.map((row) => row.map(([, value]) => csvCell(value)))].map((cells) => cells.join(",") + "\n").join("");
}
