// The options of the commands that read runs (history, compare, report,
// export): the results directory, or a shared MySQL/MariaDB server. Only the
// options: src/cli/stored-runs.ts opens the store when the command runs.
import { Command, Option } from "../vendor/commander.js";
import { nonEmpty } from "./option-parsers.js";

export interface RunSourceOptions {
  resultsDir?: string;
  dbUrl?: string;
}

const DB_URL_HELP = "read runs from this MySQL/MariaDB server instead: mysql://USER:PASSWORD@HOST:PORT/DATABASE (the MYSQL_* variables do the same when MYSQL_ADDRESS is set)";

/** --results-dir and --db-url, for the commands that read runs. */
export function addRunSourceOptions(command: Command, dbUrlHelp = DB_URL_HELP): Command {
  return command.option("--results-dir <dir>", "where results are kept (default ./results)", nonEmpty).addOption(new Option("--db-url <url>", dbUrlHelp).argParser(nonEmpty));
}
