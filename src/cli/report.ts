// `benchmark-tool report [run...] -o report.html`: one self-contained HTML file
// with charts and tables of stored performance and community runs.
import path from "node:path";
import { Command } from "commander";
import { createLogger } from "../log/logger.js";
import { resolveResultsDir } from "../results/paths.js";
import { writeHtmlReport } from "../results/report/html-report.js";
import { withImportedStore } from "../results/store/import-json-files.js";
import { withRunReferences } from "./compare.js";

interface ReportOptions {
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
    .action(async (references: string[], options: ReportOptions) => {
      const runs = await withRunReferences(() =>
        withImportedStore(resolveResultsDir(options.resultsDir), createLogger(), (store) => [...new Set(references.map((ref) => store.resolve(ref)))].map((id) => store.load(id))),
      );
      const file = await writeHtmlReport(path.resolve(options.output), runs);
      createLogger().info(`Report of ${runs.map((r) => r.runId).join(", ")} written to ${file}`);
    });
}
