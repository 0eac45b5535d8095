// `benchmark-tool history`: the stored runs, newest first, one line each.
import { Command, Option } from "commander";
import { formatTextTable } from "../output/text-table.js";
import { resolveResultsDir } from "../results/paths.js";
import { withImportedStore } from "../results/store/import-json-files.js";
import { createLogger } from "../log/logger.js";

interface HistoryOptions {
  resultsDir?: string;
  kind?: "performance" | "community";
  output: "table" | "json";
}

export function registerHistoryCommand(program: Command): void {
  program
    .command("history")
    .description("List the stored performance and community runs, newest first.")
    .option("--results-dir <dir>", "where results are kept (default ./results)")
    .addOption(new Option("--kind <kind>", "only runs of this kind").choices(["performance", "community"]))
    .addOption(new Option("--output <format>", "table or json").choices(["table", "json"]).default("table"))
    .action(async (options: HistoryOptions) => {
      const runs = await withImportedStore(resolveResultsDir(options.resultsDir), createLogger(), (store) => store.list(options.kind));
      if (options.output === "json") {
        process.stdout.write(JSON.stringify(runs, null, 2) + "\n");
        return;
      }
      if (runs.length === 0) {
        process.stderr.write("No runs stored yet: `benchmark-tool performance` or `benchmark-tool community` store theirs.\n");
        return;
      }
      process.stdout.write(
        formatTextTable({
          header: ["Run", "Kind", "Started (UTC)", "What"],
          rows: runs.map((r) => [r.runId, r.kind, r.startedAt.replace("T", " ").replace(/\.\d+Z$/, "Z"), r.description]),
        }),
      );
    });
}
