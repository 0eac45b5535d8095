// `benchmark-tool report [run...] -o report.html`: one self-contained HTML file
// with charts and tables of stored performance and community runs.
import { Command } from "commander";
import { addRunSourceOptions, type RunSourceOptions } from "./run-source-options.js";

export interface ReportOptions extends RunSourceOptions {
  output: string;
}

export function registerReportCommand(program: Command): void {
  const command = program
    .command("report")
    .description("Write one self-contained HTML report (charts and tables, no network needed) of stored runs.")
    .argument("[run...]", "run ids, labels, unique prefixes or latest; performance and community runs may be mixed", ["latest"])
    .option("-o, --output <file>", "the HTML file to write", "report.html");
  addRunSourceOptions(command).action(async (references: string[], options: ReportOptions) => (await import("./actions/report.js")).writeReport(references, options));
}
