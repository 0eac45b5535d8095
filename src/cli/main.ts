#!/usr/bin/env node
// Entry point: the command table, and errors mapped to exit codes. A
// subcommand's definition is imported only when it runs or its help is shown,
// and each definition imports its work (Docker, SQL drivers, charts, octokit,
// schemas...) only when its action runs: `--version` loads no subcommand, and
// `history` never pays for `performance`'s dependencies.
import { Command, CommanderError } from "../vendor/commander.js";
import { TOOL_VERSION } from "../tool-version.js";
import { EXIT_FAILED, EXIT_USAGE, UsageError } from "./exit-codes.js";

type Register = (program: Command) => void;

/** In the order `--help` lists them. */
const COMMANDS: ReadonlyArray<{ name: string; load: () => Promise<Register> }> = [
  { name: "performance", load: async () => (await import("./performance.js")).registerPerformanceCommand },
  { name: "density", load: async () => (await import("./density.js")).registerDensityCommand },
  { name: "community", load: async () => (await import("./community.js")).registerCommunityCommand },
  { name: "targets", load: async () => (await import("./targets.js")).registerTargetsCommand },
  { name: "history", load: async () => (await import("./history.js")).registerHistoryCommand },
  { name: "compare", load: async () => (await import("./compare.js")).registerCompareCommand },
  { name: "report", load: async () => (await import("./report.js")).registerReportCommand },
  { name: "export", load: async () => (await import("./export.js")).registerExportCommand },
];

const VERSION_FLAGS = new Set(["-V", "--version"]);

/**
 * The subcommands argv needs defined: the one it names (`help <command>`
 * included); none for a bare --version; all of them for the overall help and
 * for a misspelt command, whose error suggests the nearest name.
 */
function commandsFor(argv: readonly string[]): ReadonlyArray<(typeof COMMANDS)[number]> {
  const first = argv.findIndex((arg) => !arg.startsWith("-"));
  const named = argv[first] === "help" ? argv[first + 1] : argv[first];
  const command = COMMANDS.find((c) => c.name === named);
  if (command) return [command];
  if (first === -1 && argv.some((arg) => VERSION_FLAGS.has(arg))) return [];
  return COMMANDS;
}

async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command("benchmark-tool")
    .description("Measure unikernels on VMMs, and the communities around their repositories.")
    .version(TOOL_VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  const registers = await Promise.all(commandsFor(argv).map((c) => c.load()));
  for (const register of registers) register(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
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
