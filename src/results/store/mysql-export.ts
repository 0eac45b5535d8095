// --mysql-export: writes a run to a MySQL or MariaDB server in one
// transaction; if any row fails, nothing of the run is kept there.
import { withMysqlStore } from "./mysql-store.js";
import type { MysqlTarget } from "./mysql-target.js";
import type { StoredRun } from "./stored-run.js";
import type { WriteHooks } from "./write-run.js";

export async function exportRunToMysql(target: MysqlTarget, run: StoredRun, hooks?: WriteHooks): Promise<void> {
  await withMysqlStore(target, async (store) => {
    try {
      await store.save(run, hooks);
    } catch (error) {
      throw store.failure(`could not write run ${run.runId} (nothing of it was kept) to`, error);
    }
  });
}
