// `benchmark-tool report [run...] -o report.html`: one self-contained HTML file
// with charts and tables of stored performance and community runs.
import { Command } from "commander";

export interface ReportOptions {
  resultsDir?: string;
  output: string;
}

export function registerReportCommand(program: Command): void {
  program
    .command("report")
    .description("Write one self-contained HTML report (charts and tables, no network needed) of stored runs.")
    .argument("[run...]", "run ids, unique prefixes or latest; performance and community runs may be mixed", ["latest"])
    .option("--results-dir <dir>", "where results are kept (default ./results)")
    .option("-o, --output <file>", "the HTML file to write", "report.html")
    .action(async (references: string[], options: ReportOptions) => (await import("./actions/report.js")).writeReport(references, options));
}
