// The output formats of every kind of run, by kind and by name: what
// `performance --output`, `density --output` and `export --format` write.
import type { StoredRun } from "../store/stored-run.js";
import { COMMUNITY_EXPORTERS } from "./community-run-output.js";
import { csvExporter } from "./csv.js";
import { DENSITY_EXPORTERS } from "./density-output.js";
import type { Exporters, OutputFormat, RenderOptions } from "./exporter.js";
import { jsonExporter } from "./json.js";
import { markdownExporter, tableExporter } from "./table.js";

type DocumentOf<K extends StoredRun["kind"]> = Extract<StoredRun, { kind: K }>["document"];

export const EXPORTERS: { [K in StoredRun["kind"]]: Exporters<DocumentOf<K>> } = {
  performance: { table: tableExporter, json: jsonExporter, csv: csvExporter, markdown: markdownExporter },
  density: DENSITY_EXPORTERS,
  community: COMMUNITY_EXPORTERS,
};

/** A stored run of any kind in `format`. */
export function renderStoredRun(run: StoredRun, format: OutputFormat, options: RenderOptions = {}): string {
  // The kind picks the exporters that take its document.
  const exporters = EXPORTERS[run.kind] as Exporters<StoredRun["document"]>;
  return exporters[format].render(run.document, options);
}
