// Where history, compare, report and export read runs from: the results
// directory's SQLite store, or a shared MySQL/MariaDB server named by --db-url
// or by the MYSQL_* variables (when MYSQL_ADDRESS is set and no --results-dir
// is given). A reference that matches no run (or too many) is the user's to
// fix: a usage error. Each store's driver is loaded only when it is read: the
// MySQL driver for a server, SQLite's for the results directory.
import { createLogger } from "../log/logger.js";
import { resolveResultsDir } from "../results/paths.js";
import { describeMysqlTarget, MysqlConfigError, resolveMysqlTarget, type MysqlTarget } from "../results/store/mysql-target.js";
import { RunNotFoundError, type RunStore } from "../results/store/run-store.js";
import { UsageError } from "./exit-codes.js";
import { checkExistingDirectory } from "./path-checks.js";
import type { RunSourceOptions } from "./run-source-options.js";

const NO_RUNS_YET = "no run was stored there yet: `benchmark-tool performance` and `benchmark-tool community` keep their runs there (or pass --results-dir)";

export type RunSource = { kind: "local"; resultsDir: string } | { kind: "mysql"; target: MysqlTarget };

/** --db-url; else an explicit --results-dir; else the MYSQL_* variables when MYSQL_ADDRESS is set; else ./results. */
export function runSourceOf(options: RunSourceOptions, env: NodeJS.ProcessEnv = process.env): RunSource {
  try {
    if (options.dbUrl && options.resultsDir) {
      throw new MysqlConfigError("--db-url and --results-dir name two different stores; give one of them");
    }
    if (options.dbUrl || (!options.resultsDir && env.MYSQL_ADDRESS)) {
      return { kind: "mysql", target: resolveMysqlTarget(options.dbUrl, env, "reading runs from MySQL (MYSQL_ADDRESS is set)") };
    }
  } catch (error) {
    if (error instanceof MysqlConfigError) throw new UsageError(error.message);
    throw error;
  }
  return { kind: "local", resultsDir: resolveResultsDir(options.resultsDir) };
}

/** Opens the store the options name, runs fn on it and closes it; an unknown run reference becomes a usage error. */
export async function withStoredRuns<T>(source: RunSource, fn: (store: RunStore) => Promise<T>): Promise<T> {
  const log = createLogger();
  try {
    if (source.kind === "local") {
      await checkExistingDirectory("--results-dir", source.resultsDir, NO_RUNS_YET);
      const { withImportedStore } = await import("../results/store/import-json-files.js");
      return await withImportedStore(source.resultsDir, log, fn);
    }
    log.info(`Reading runs from MySQL ${describeMysqlTarget(source.target)}`);
    const { withMysqlStore } = await import("../results/store/mysql-store.js");
    return await withMysqlStore(source.target, fn);
  } catch (error) {
    if (error instanceof RunNotFoundError) throw new UsageError(error.message);
    throw error;
  }
}
