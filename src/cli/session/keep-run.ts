// What performance and density do with a run once it is measured: its JSON
// file, the local store (and MySQL when asked), the automatic HTML report; and
// the run printed on stdout whatever happens while keeping it.
import type { Logger } from "../../log/logger.js";
import type { MysqlTarget } from "../../results/store/mysql-target.js";
import { writeAutomaticReport } from "../../results/report/html-report.js";
import { persistRun } from "../../results/store/persist-run.js";
import { keepRunFile } from "../../results/store/run-files.js";
import type { StoredRun } from "../../results/store/stored-run.js";

/** Returns whether the run reached its file and every store asked for (what failed is logged). */
export async function keepAndPrintRun(resultsDir: string, stored: StoredRun, mysqlTarget: MysqlTarget | undefined, log: Logger, print: () => void): Promise<boolean> {
  let kept = false;
  try {
    const saved = await keepRunFile(resultsDir, stored.kind, stored.runId, stored.document, log);
    kept = (await persistRun(resultsDir, stored, mysqlTarget, log)) && saved;
    await writeAutomaticReport(resultsDir, stored, log);
  } finally {
    print();
  }
  return kept;
}
