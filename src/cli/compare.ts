// `benchmark-tool compare <runA> <runB>`: per target, VMM and metric, the
// medians, the change and whether it is significant (Mann–Whitney U, 95%).
import { Command, Option } from "commander";

const FORMATS = ["table", "markdown", "csv", "json"] as const;

export interface CompareOptions {
  resultsDir?: string;
  output: (typeof FORMATS)[number];
}

export function registerCompareCommand(program: Command): void {
  program
    .command("compare")
    .description("Compare two performance runs: medians, change, and whether each difference is significant at 95% (Mann–Whitney U).")
    .argument("<runA>", "the baseline: a run id, a unique prefix of one, or latest")
    .argument("<runB>", "the run compared with it")
    .option("--results-dir <dir>", "where results are kept (default ./results)")
    .addOption(new Option("--output <format>", "what goes to stdout").choices(FORMATS).default("table"))
    .action(async (refA: string, refB: string, options: CompareOptions) => (await import("./actions/compare.js")).compare(refA, refB, options));
}
