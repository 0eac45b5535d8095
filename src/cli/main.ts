#!/usr/bin/env node
// Entry point: wires the subcommands together and maps errors to exit codes.
import { Command, CommanderError } from "commander";
import { TOOL_VERSION } from "../tool-version.js";
import { EXIT_FAILED, EXIT_USAGE, UsageError } from "./exit-codes.js";
import { registerCommunityCommand } from "./community.js";
import { registerCompareCommand } from "./compare.js";
import { registerExportCommand } from "./export.js";
import { registerHistoryCommand } from "./history.js";
import { registerPerformanceCommand } from "./performance.js";
import { registerReportCommand } from "./report.js";
import { registerTargetsCommand } from "./targets.js";

export function buildProgram(): Command {
  const program = new Command("benchmark-tool")
    .description("Measure unikernels on VMMs, and the communities around their repositories.")
    .version(TOOL_VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerPerformanceCommand(program);
  registerCommunityCommand(program);
  registerTargetsCommand(program);
  registerHistoryCommand(program);
  registerCompareCommand(program);
  registerReportCommand(program);
  registerExportCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
