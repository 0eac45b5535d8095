// What `performance` and `community` do with a finished run after its JSON file
// is written: index it in the local SQLite store and, when asked, export it to
// MySQL. Each failure is logged in plain words; the caller sets the exit code.
import type { Logger } from "../../log/logger.js";
import { describeMysqlTarget, type MysqlTarget } from "./mysql-target.js";
import { describeStoreError, SqliteStore, withStore } from "./sqlite-store.js";
import type { StoredRun } from "./stored-run.js";

/** Returns false when a store could not take the run (already logged). */
export async function persistRun(resultsDir: string, run: StoredRun, mysqlTarget: MysqlTarget | undefined, log: Logger): Promise<boolean> {
  let ok = true;
  try {
    const file = await withStore(resultsDir, (store) => store.save(run).then(() => store.file));
    log.info(`Run ${run.runId} stored in ${file}`);
  } catch (error) {
    log.error(`Could not store run ${run.runId}: ${describeStoreError(SqliteStore.fileIn(resultsDir), error)}. \`benchmark-tool history\` adds it from its JSON file once the database can be used`);
    ok = false;
  }
  if (mysqlTarget) {
    // The MySQL driver is loaded only for an export.
    const { exportRunToMysql } = await import("./mysql-export.js");
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
