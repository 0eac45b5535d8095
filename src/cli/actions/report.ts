// What `benchmark-tool report` does (src/cli/report.ts defines its options).
import path from "node:path";
import { createLogger } from "../../log/logger.js";
import { resolveResultsDir } from "../../results/paths.js";
import { writeHtmlReport } from "../../results/report/html-report.js";
import { withImportedStore } from "../../results/store/import-json-files.js";
import type { ReportOptions } from "../report.js";
import { withRunReferences } from "../run-references.js";

export async function writeReport(references: string[], options: ReportOptions): Promise<void> {
  const runs = await withRunReferences(() =>
    withImportedStore(resolveResultsDir(options.resultsDir), createLogger(), (store) => [...new Set(references.map((ref) => store.resolve(ref)))].map((id) => store.load(id))),
  );
  const file = await writeHtmlReport(path.resolve(options.output), runs);
  createLogger().info(`Report of ${runs.map((r) => r.runId).join(", ")} written to ${file}`);
}
