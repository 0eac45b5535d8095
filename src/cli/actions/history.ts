// What `benchmark-tool history` does (src/cli/history.ts defines its options).
import { createLogger } from "../../log/logger.js";
import { formatTextTable } from "../../output/text-table.js";
import { resolveResultsDir } from "../../results/paths.js";
import { withImportedStore } from "../../results/store/import-json-files.js";
import type { HistoryOptions } from "../history.js";

export async function listHistory(options: HistoryOptions): Promise<void> {
  const runs = await withImportedStore(resolveResultsDir(options.resultsDir), createLogger(), (store) => store.list(options.kind));
  if (options.output === "json") {
    process.stdout.write(JSON.stringify(runs, null, 2) + "\n");
    return;
  }
  if (runs.length === 0) {
    process.stderr.write("No runs stored yet: `benchmark-tool performance` or `benchmark-tool community` store theirs.\n");
    return;
  }
  process.stdout.write(
    formatTextTable({
      header: ["Run", "Kind", "Started (UTC)", "What"],
      rows: runs.map((r) => [r.runId, r.kind, r.startedAt.replace("T", " ").replace(/\.\d+Z$/, "Z"), r.description]),
    }),
  );
}
