// What `performance` and `community` do with a finished run after its JSON file
// is written: index it in the local SQLite store and, when asked, export it to
// MySQL. Each failure is logged in plain words; the caller sets the exit code.
import { Option } from "commander";
import type { Logger } from "../../log/logger.js";
import { describeMysqlTarget, exportRunToMysql, resolveMysqlTarget, type MysqlTarget } from "./mysql-export.js";
import { withStore } from "./sqlite-store.js";
import type { StoredRun } from "./stored-run.js";

export interface ExportOptions {
  mysqlExport?: boolean;
  dbUrl?: string;
}

export function mysqlExportOption(): Option {
  return new Option("--mysql-export", "also write the run to the MySQL/MariaDB server named by MYSQL_ADDRESS, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD, MYSQL_DATABASE");
}

export function dbUrlOption(): Option {
  return new Option("--db-url <url>", "the server for --mysql-export as mysql://USER:PASSWORD@HOST:PORT/DATABASE (wins over MYSQL_*; implies --mysql-export)");
}

/** The export's server, or undefined when no export was asked for; throws MysqlConfigError before anything is measured. */
export function mysqlTargetOf(options: ExportOptions): MysqlTarget | undefined {
  if (!options.mysqlExport && !options.dbUrl) return undefined;
  return resolveMysqlTarget(options.dbUrl);
}


/** Returns false when a store could not take the run (already logged). */
export async function persistRun(resultsDir: string, run: StoredRun, mysqlTarget: MysqlTarget | undefined, log: Logger): Promise<boolean> {
  let ok = true;
  try {
    const file = await withStore(resultsDir, (store) => store.save(run).then(() => store.file));
    log.info(`Run ${run.runId} stored in ${file}`);
  } catch (error) {
    log.error(`Could not store run ${run.runId} in the results database under ${resultsDir}: ${(error as Error).message}`);
    ok = false;
  }
  if (mysqlTarget) {
    try {
      await exportRunToMysql(mysqlTarget, run);
      log.info(`Run ${run.runId} exported to MySQL ${describeMysqlTarget(mysqlTarget)}`);
    } catch (error) {
      log.error(`MySQL export failed: ${(error as Error).message}. The run is still saved locally; export it later with \`benchmark-tool export ${run.runId} --mysql-export\``);
      ok = false;
    }
  }
  return ok;
}
