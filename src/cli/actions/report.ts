// What `benchmark-tool report` does (src/cli/report.ts defines its options).
import path from "node:path";
import { createLogger } from "../../log/logger.js";
import { writeHtmlReport } from "../../results/report/html-report.js";
import type { ReportOptions } from "../report.js";
import { UsageError } from "../exit-codes.js";
import { checkWritableFile } from "../path-checks.js";
import { runSourceOf, withStoredRuns } from "../stored-runs.js";

export async function writeReport(references: string[], options: ReportOptions): Promise<void> {
  if (references.some((ref) => ref.trim() === "")) throw new UsageError("a run reference is empty; give run ids, labels, unique prefixes of them, or latest");
  const output = path.resolve(options.output);
  await checkWritableFile("--output", output);
  const runs = await withStoredRuns(runSourceOf(options), async (store) => {
    const ids: string[] = [];
    for (const reference of references) ids.push(await store.resolve(reference));
    return Promise.all([...new Set(ids)].map((id) => store.load(id)));
  });
  const file = await writeHtmlReport(output, runs, options.scale);
  createLogger().info(`Report of ${runs.map((r) => r.runId).join(", ")} written to ${file}`);
}
