// `benchmark-tool history`: the stored runs, newest first, one line each.
import { Command, Option } from "commander";

export interface HistoryOptions {
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
    .action(async (options: HistoryOptions) => (await import("./actions/history.js")).listHistory(options));
}
