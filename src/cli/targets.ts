// `benchmark-tool targets`: every registry entry with its VMMs, and whether it
// can run on this host now, and if not, why and what to do; and, where KVM is
// usable, what the KVM trial of an earlier run found.
import { Command, Option } from "../vendor/commander.js";
import { nonEmpty } from "./option-parsers.js";

export interface TargetsOptions {
  output: "table" | "json";
  cacheDir?: string;
}

export function registerTargetsCommand(program: Command): void {
  program
    .command("targets")
    .description("List the supported targets and VMMs, and whether each can run on this host now.")
    .addOption(new Option("--output <format>", "table or json").choices(["table", "json"]).default("table"))
    .option("--cache-dir <dir>", "where the KVM trials' verdicts are kept, as for performance (default $XDG_CACHE_HOME/benchmark-tool)", nonEmpty)
    .action(async (options: TargetsOptions) => (await import("./actions/targets.js")).printTargets(options));
}
