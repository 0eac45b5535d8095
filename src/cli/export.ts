// `benchmark-tool export <run>`: a stored run as JSON (its versioned
// document), CSV or Markdown; or, with --mysql-export, to a MySQL server.
import { Command, Option } from "commander";
import { dbUrlOption, mysqlExportOption, type ExportOptions } from "./mysql-options.js";

const FORMATS = ["json", "csv", "markdown", "table"] as const;

export interface ExportCommandOptions extends ExportOptions {
  resultsDir?: string;
  format: (typeof FORMATS)[number];
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
    .action(async (reference: string, options: ExportCommandOptions) => (await import("./actions/export.js")).exportRun(reference, options));
}
