// `benchmark-tool compare <runA> <runB>`: per target, VMM and metric, the
// medians, the change and whether it is significant (Mann–Whitney U); with
// --fail-on-regression, exit 1 when B is significantly worse beyond a threshold.
import { Command, InvalidArgumentError, Option } from "../vendor/commander.js";
import { COMPARE_FORMATS, COMPARED_METRICS, DEFAULT_GATE_METRICS, SIGNIFICANCE_LEVEL, type CompareFormat, type ComparedMetric } from "../results/compare/choices.js";
import { nonEmpty } from "./option-parsers.js";
import { addRunSourceOptions, type RunSourceOptions } from "./run-source-options.js";

export interface CompareOptions extends RunSourceOptions {
  output: CompareFormat;
  alpha: number;
  failOnRegression?: number;
  metrics?: ComparedMetric[];
}

function alpha(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError("the significance level must be a number between 0 and 1, e.g. 0.05 or 0.01.");
  return n;
}

function percent(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError("give the threshold as a percentage of at least 0, e.g. 5 for 5%.");
  return n;
}

function metrics(value: string): ComparedMetric[] {
  const names = value.split(",").map((m) => m.trim());
  const unknown = names.filter((m) => !(COMPARED_METRICS as readonly string[]).includes(m));
  if (unknown.length || names.length === 0) throw new InvalidArgumentError(`unknown metric(s) ${unknown.map((m) => `"${m}"`).join(", ")}; choose from ${COMPARED_METRICS.join(", ")}.`);
  return [...new Set(names as ComparedMetric[])];
}

export function registerCompareCommand(program: Command): void {
  const command = program
    .command("compare")
    .description("Compare two performance runs: medians, change, and whether each difference is significant (Mann–Whitney U); gate regressions with --fail-on-regression.")
    .argument("<runA>", "the baseline: a run id, a label (the newest run with it), a unique prefix of an id, or latest", nonEmpty)
    .argument("<runB>", "the run compared with it", nonEmpty)
    .option("--fail-on-regression <percent>", "exit 1 when a metric of B is significantly worse than A's by more than this percent", percent)
    .option("--alpha <p>", "the significance level", alpha, SIGNIFICANCE_LEVEL)
    .option("--metrics <list>", `the metrics --fail-on-regression counts, comma-separated: ${COMPARED_METRICS.join(", ")} (default ${DEFAULT_GATE_METRICS.join(",")})`, metrics)
    .addOption(new Option("--output <format>", "what goes to stdout (markdown: a pull-request comment)").choices(COMPARE_FORMATS).default("table"));
  addRunSourceOptions(command).action(async (refA: string, refB: string, options: CompareOptions) => (await import("./actions/compare.js")).compare(refA, refB, options));
}
