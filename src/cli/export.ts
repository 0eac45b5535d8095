// `benchmark-tool export <run>`: a stored run as JSON (its versioned
// document), CSV or Markdown, from the results directory or a MySQL server; or,
// with --mysql-export, a run of the results directory written to a MySQL server.
import { Command, Option } from "../vendor/commander.js";
import { mysqlExportOption, type ExportOptions } from "./mysql-options.js";
import { nonEmpty } from "./option-parsers.js";
import { addRunSourceOptions, type RunSourceOptions } from "./run-source-options.js";

const FORMATS = ["json", "csv", "markdown", "table"] as const;

export interface ExportCommandOptions extends ExportOptions, RunSourceOptions {
  format: (typeof FORMATS)[number];
  phases?: boolean;
}

export function registerExportCommand(program: Command): void {
  const command = program
    .command("export")
    .description("Print a stored run as JSON (the versioned document), CSV or Markdown, or write a run of the results directory to MySQL with --mysql-export.")
    .argument("<run>", "a run id, a label (the newest run with it), a unique prefix of an id, or latest", nonEmpty)
    .addOption(new Option("--format <format>", "what goes to stdout").choices(FORMATS).default("json"))
    .option("--phases", "performance runs in csv, markdown or table: also each target and VMM's boot phases")
    .addOption(mysqlExportOption());
  addRunSourceOptions(command, "with --mysql-export: the server to write to; without: the server to read the run from (mysql://USER:PASSWORD@HOST:PORT/DATABASE)").action(
    async (reference: string, options: ExportCommandOptions) => (await import("./actions/export.js")).exportRun(reference, options),
  );
}
