// What `benchmark-tool report` does (src/cli/report.ts defines its options).
import path from "node:path";
import { createLogger } from "../../log/logger.js";
import { writeHtmlReport } from "../../results/report/html-report.js";
import type { ReportOptions } from "../report.js";
import { runSourceOf, withStoredRuns } from "../stored-runs.js";

export async function writeReport(references: string[], options: ReportOptions): Promise<void> {
  const runs = await withStoredRuns(runSourceOf(options), async (store) => {
    const ids: string[] = [];
    for (const reference of references) ids.push(await store.resolve(reference));
    return Promise.all([...new Set(ids)].map((id) => store.load(id)));
  });
  const file = await writeHtmlReport(path.resolve(options.output), runs, options.scale);
  createLogger().info(`Report of ${runs.map((r) => r.runId).join(", ")} written to ${file}`);
}
