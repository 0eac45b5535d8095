// The --output formats of `performance`, by name.
import { csvExporter } from "./csv.js";
import type { Exporter, OutputFormat } from "./exporter.js";
import { jsonExporter } from "./json.js";
import { markdownExporter, tableExporter } from "./table.js";

export const EXPORTERS: Record<OutputFormat, Exporter> = {
  table: tableExporter,
  json: jsonExporter,
  csv: csvExporter,
  markdown: markdownExporter,
};
