// `benchmark-tool density [target...]`: boots N copies of each target at once
// on each VMM, for each N asked for, and measures how boot time suffers and
// what each VM really costs in memory.
import { Command, InvalidArgumentError, Option } from "../vendor/commander.js";
import { OUTPUT_FORMATS, type OutputFormat } from "../results/export/exporter.js";
import { wholeNumber } from "./option-parsers.js";
import { addRunKeepingOptions, addVmOptions, type RunKeepingOptions, type VmOptions } from "./performance.js";

/** More VMMs at once than any level here should need; --until-failure stops long before on a small host. */
export const MAX_VMS = 1024;
const MAX_ROUNDS = 1000;
export const DEFAULT_VMS = [1, 2, 4, 8];
export const DEFAULT_MAX_VMS = 64;

export interface DensityOptions extends VmOptions, RunKeepingOptions {
  vms?: number[];
  rounds: number;
  untilFailure?: boolean;
  maxVms?: number;
  /** MiB; default: a tenth of the host's memory, at least 512 MiB. */
  memoryMargin?: number;
  output: OutputFormat;
}

/** "1,2,4,8": distinct whole numbers, kept in ascending order. */
export function vmCounts(value: string): number[] {
  const parse = wholeNumber(1, MAX_VMS);
  const parts = value.split(",").map((part) => part.trim());
  let counts: number[];
  try {
    counts = parts.map(parse);
  } catch {
    throw new InvalidArgumentError(`It must be a comma-separated list of VM counts, each a whole number from 1 to ${MAX_VMS}, e.g. 1,2,4,8.`);
  }
  if (new Set(counts).size !== counts.length) throw new InvalidArgumentError("It names a VM count twice; give each level once, e.g. 1,2,4,8.");
  return counts.sort((a, b) => a - b);
}

export function registerDensityCommand(program: Command): void {
  const command = program
    .command("density")
    .description("Boot many VMs at once: boot time under contention and the memory each VM really costs (RSS, PSS, USS, host), per number of VMs.")
    .argument("[target...]", "<unikernel>[:<vmm>] or a GitHub repository from the registry; none = every supported target")
    .option("--vms <list>", `the levels: how many VMs to boot at once, e.g. 1,2,4,8,16 (default ${DEFAULT_VMS.join(",")})`, vmCounts)
    .option("--rounds <r>", `repetitions of each level (1 to ${MAX_ROUNDS})`, wholeNumber(1, MAX_ROUNDS), 3)
    .option("--until-failure", "double the VMs (1, 2, 4, ...) until a VM fails or host memory would run short; reports the largest level that fully succeeded")
    .option("--max-vms <n>", `with --until-failure: the most VMs to try (default ${DEFAULT_MAX_VMS})`, wholeNumber(1, MAX_VMS))
    .option("--memory-margin <MiB>", "never start a level that would leave the host less available memory than this (default: a tenth of its memory, at least 512)", wholeNumber(0, 4 * 2 ** 20, "MiB"));
  addVmOptions(command, "for each VMM's start, and for all of a level's guests from their release to their end");
  command.addOption(new Option("--output <format>", "what goes to stdout").choices(OUTPUT_FORMATS).default("table"));
  addRunKeepingOptions(command);
  command.action(async (targets: string[], options: DensityOptions) => {
    process.exitCode = await (await import("./actions/density.js")).runDensityCommand(targets, options);
  });
}
