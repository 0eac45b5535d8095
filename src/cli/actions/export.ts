// What `benchmark-tool export` does (src/cli/export.ts defines its options).
import { formatCsv } from "../../community/output/csv.js";
import { flattenReport } from "../../community/output/flatten.js";
import type { CommunityRun } from "../../results/community-run-schema.js";
import { createLogger } from "../../log/logger.js";
import { formatMarkdownTable, outputWidth } from "../../output/text-table.js";
import type { RenderOptions } from "../../results/export/exporter.js";
import { EXPORTERS } from "../../results/export/formats.js";
import { renderDensityRun } from "../../results/export/density-output.js";
import { resolveResultsDir } from "../../results/paths.js";
import { persistRun } from "../../results/store/persist-run.js";
import type { StoredRun } from "../../results/store/stored-run.js";
import { EXIT_FAILED } from "../exit-codes.js";
import type { ExportCommandOptions } from "../export.js";
import { mysqlTargetOrUsageError } from "../mysql-options.js";
import { runSourceOf, withStoredRuns } from "../stored-runs.js";

/** Community reports side by side: one row per field, one column per repository. */
function communityMarkdown(run: CommunityRun): string {
  const flat = run.repositories.map((r) => flattenReport(r.report));
  const fields = flat[0]?.map(([key]) => key) ?? [];
  return formatMarkdownTable({
    header: ["field", ...run.repositories.map((r) => `${r.report.owner}/${r.report.repo}`)],
    rows: fields.map((field, k) => [field, ...flat.map((row) => String(row[k]?.[1] ?? ""))]),
  });
}

function renderRun(run: StoredRun, format: ExportCommandOptions["format"], options: RenderOptions): string {
  if (run.kind === "performance") return EXPORTERS[format].render(run.document, { ...options, width: outputWidth() });
  if (run.kind === "density") return renderDensityRun(run.document, format, outputWidth());
  switch (format) {
    case "json":
      return JSON.stringify(run.document, null, 2) + "\n";
    case "csv":
      return formatCsv(run.document.repositories.map((r) => r.report));
    case "markdown":
    case "table":
      return communityMarkdown(run.document);
  }
}

export async function exportRun(reference: string, options: ExportCommandOptions): Promise<void> {
  if (!options.mysqlExport) {
    const run = await withStoredRuns(runSourceOf(options), async (store) => store.load(await store.resolve(reference)));
    // The phases are summarised from the iterations, with the statistics: loaded only for --phases.
    const phaseRows = options.phases && run.kind === "performance" ? (await import("../../results/export/phase-rows.js")).phaseRows : undefined;
    process.stdout.write(renderRun(run, options.format, { phaseRows }));
    return;
  }
  // Sending a run to the server: it comes from the results directory.
  const mysqlTarget = mysqlTargetOrUsageError(options);
  const resultsDir = resolveResultsDir(options.resultsDir);
  const run = await withStoredRuns({ kind: "local", resultsDir }, async (store) => store.load(await store.resolve(reference)));
  if (!(await persistRun(resultsDir, run, mysqlTarget, createLogger()))) process.exitCode = EXIT_FAILED;
}
