// `benchmark-tool targets`: every registry entry with its VMMs, and whether it
// can run on this host now, and if not, why and what to do.
import { Command, Option } from "commander";

export function registerTargetsCommand(program: Command): void {
  program
    .command("targets")
    .description("List the supported targets and VMMs, and whether each can run on this host now.")
    .addOption(new Option("--output <format>", "table or json").choices(["table", "json"]).default("table"))
    .action(async (options: { output: "table" | "json" }) => (await import("./actions/targets.js")).printTargets(options.output));
}
