// `benchmark-tool report [run...] -o report.html`: one self-contained HTML file
// with charts and tables of stored performance and community runs.
import { Command, Option } from "../vendor/commander.js";
import { SCALES, type Scale } from "../results/report/scales.js";
import { nonEmpty } from "./option-parsers.js";
import { addRunSourceOptions, type RunSourceOptions } from "./run-source-options.js";

export interface ReportOptions extends RunSourceOptions {
  output: string;
  scale: Scale;
}

export function registerReportCommand(program: Command): void {
  const command = program
    .command("report")
    .description("Write one self-contained HTML report (charts and tables, no network needed) of stored runs.")
    .argument("[run...]", "run ids, labels, unique prefixes or latest; performance and community runs may be mixed", ["latest"])
    .option("-o, --output <file>", "the HTML file to write", nonEmpty, "report.html")
    .addOption(
      new Option("--scale <scale>", "value axes to start with: log where values span two orders of magnitude (auto), or all linear or log; the page switches each chart")
        .choices(SCALES)
        .default("auto"),
    );
  addRunSourceOptions(command).action(async (references: string[], options: ReportOptions) => (await import("./actions/report.js")).writeReport(references, options));
}
