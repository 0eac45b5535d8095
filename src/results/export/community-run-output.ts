// How a stored community run is written: the whole document as JSON, its
// reports as CSV (the community command's own), or side by side as a table
// with one row per field and one column per repository.
import { formatMarkdownTable, type TableSpec } from "../../output/text-table.js";
import type { CommunityRun } from "../community-run-schema.js";
import { formatCsv } from "./community/csv.js";
import { flattenReport } from "./community/flatten.js";
import type { Exporters } from "./exporter.js";
import { jsonExporter } from "./json.js";

function sideBySide(run: CommunityRun): TableSpec {
  const flat = run.repositories.map((r) => flattenReport(r.report));
  const fields = flat[0]?.map(([key]) => key) ?? [];
  return {
    header: ["field", ...run.repositories.map((r) => `${r.report.owner}/${r.report.repo}`)],
    rows: fields.map((field, k) => [field, ...flat.map((row) => String(row[k]?.[1] ?? ""))]),
  };
}

export const COMMUNITY_EXPORTERS: Exporters<CommunityRun> = {
  json: jsonExporter,
  csv: { render: (run) => formatCsv(run.repositories.map((r) => r.report)) },
  markdown: { render: (run) => formatMarkdownTable(sideBySide(run)) },
  // Side by side, repositories grow the table sideways: Markdown reads well in a terminal too.
  table: { render: (run) => formatMarkdownTable(sideBySide(run)) },
};
