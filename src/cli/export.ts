// `benchmark-tool export <run>`: a stored run as JSON (its versioned
// document), CSV or Markdown; or, with --mysql-export, to a MySQL server.
import { Command, Option } from "commander";
import { formatCsv } from "../community/output/csv.js";
import { flattenReport } from "../community/output/flatten.js";
import type { CommunityRun } from "../community/results-store.js";
import { createLogger } from "../log/logger.js";
import { formatMarkdownTable } from "../output/text-table.js";
import { EXPORTERS } from "../results/export/formats.js";
import { resolveResultsDir } from "../results/paths.js";
import { MysqlConfigError, type MysqlTarget } from "../results/store/mysql-export.js";
import { dbUrlOption, mysqlExportOption, mysqlTargetOf, persistRun, type ExportOptions } from "../results/store/persist-run.js";
import { withImportedStore } from "../results/store/import-json-files.js";
import type { StoredRun } from "../results/store/stored-run.js";
import { withRunReferences } from "./compare.js";
import { EXIT_FAILED, UsageError } from "./exit-codes.js";

const FORMATS = ["json", "csv", "markdown", "table"] as const;
type Format = (typeof FORMATS)[number];

interface ExportCommandOptions extends ExportOptions {
  resultsDir?: string;
  format: Format;
}

/** The --mysql-export/--db-url server, checked before any work starts: a bad setting is a usage error. */
export function mysqlTargetOrUsageError(options: ExportOptions): MysqlTarget | undefined {
  try {
    return mysqlTargetOf(options);
  } catch (error) {
    if (error instanceof MysqlConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** Community reports side by side: one row per field, one column per repository. */
function communityMarkdown(run: CommunityRun): string {
  const flat = run.repositories.map((r) => flattenReport(r.report));
  const fields = flat[0]?.map(([key]) => key) ?? [];
  return formatMarkdownTable({
    header: ["field", ...run.repositories.map((r) => `${r.report.owner}/${r.report.repo}`)],
    rows: fields.map((field, k) => [field, ...flat.map((row) => String(row[k]?.[1] ?? ""))]),
  });
}

export function renderRun(run: StoredRun, format: Format): string {
  if (run.kind === "performance") return EXPORTERS[format].render(run.document);
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

export function registerExportCommand(program: Command): void {
  program
    .command("export")
    .description("Print a stored run as JSON (the versioned document), CSV or Markdown, or write it to MySQL with --mysql-export.")
    .argument("<run>", "a run id, a unique prefix of one, or latest")
    .option("--results-dir <dir>", "where results are kept (default ./results)")
    .addOption(new Option("--format <format>", "what goes to stdout").choices(FORMATS).default("json"))
    .addOption(mysqlExportOption())
    .addOption(dbUrlOption())
    .action(async (reference: string, options: ExportCommandOptions) => {
      const mysqlTarget = mysqlTargetOrUsageError(options);
      const resultsDir = resolveResultsDir(options.resultsDir);
      const run = await withRunReferences(() => withImportedStore(resultsDir, createLogger(), (store) => store.load(store.resolve(reference))));
      if (!mysqlTarget) {
        process.stdout.write(renderRun(run, options.format));
        return;
      }
      if (!(await persistRun(resultsDir, run, mysqlTarget, createLogger()))) process.exitCode = EXIT_FAILED;
    });
}
