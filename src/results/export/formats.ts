// The --output formats of `performance`, by name.
import { csvExporter } from "./csv.js";
import type { Exporter } from "./exporter.js";
import { jsonExporter } from "./json.js";
import { markdownExporter, tableExporter } from "./table.js";

export const OUTPUT_FORMATS = ["table", "json", "csv", "markdown"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const EXPORTERS: Record<OutputFormat, Exporter> = {
  table: tableExporter,
  json: jsonExporter,
  csv: csvExporter,
  markdown: markdownExporter,
};
