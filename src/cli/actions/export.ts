// What `benchmark-tool export` does (src/cli/export.ts defines its options).
import { createLogger } from "../../log/logger.js";
import { outputWidth } from "../../output/text-table.js";
import { renderStoredRun } from "../../results/export/formats.js";
import { resolveResultsDir } from "../../results/paths.js";
import { persistRun } from "../../results/store/persist-run.js";
import { EXIT_FAILED } from "../exit-codes.js";
import type { ExportCommandOptions } from "../export.js";
import { mysqlTargetOrUsageError } from "../mysql-options.js";
import { runSourceOf, withStoredRuns } from "../stored-runs.js";

export async function exportRun(reference: string, options: ExportCommandOptions): Promise<void> {
  if (!options.mysqlExport) {
    const run = await withStoredRuns(runSourceOf(options), async (store) => store.load(await store.resolve(reference)));
    // The phases are summarised from the iterations, with the statistics: loaded only for --phases.
    const phaseRows = options.phases && run.kind === "performance" ? (await import("../../results/export/phase-rows.js")).phaseRows : undefined;
    process.stdout.write(renderStoredRun(run, options.format, { width: outputWidth(), ...(phaseRows ? { phaseRows } : {}) }));
    return;
  }
  // Sending a run to the server: it comes from the results directory.
  const mysqlTarget = mysqlTargetOrUsageError(options);
  const resultsDir = resolveResultsDir(options.resultsDir);
  const run = await withStoredRuns({ kind: "local", resultsDir }, async (store) => store.load(await store.resolve(reference)));
  if (!(await persistRun(resultsDir, run, mysqlTarget, createLogger()))) process.exitCode = EXIT_FAILED;
}
