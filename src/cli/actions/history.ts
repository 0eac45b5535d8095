// What `benchmark-tool history` does (src/cli/history.ts defines its options).
import { formatTextTable, outputWidth } from "../../output/text-table.js";
import type { RunFilter, RunListing } from "../../results/store/run-store.js";
import type { HistoryOptions } from "../history.js";
import { runSourceOf, withStoredRuns } from "../stored-runs.js";

function hostCells(run: RunListing): string[] {
  const h = run.host;
  if (!h) return ["", "", "", "", ""];
  return [h.name ?? "", `${h.cores}× ${h.cpuModel}`, h.kernel, h.vmmVersions.join(", "), h.accels.join(", ")];
}

export async function listHistory(options: HistoryOptions): Promise<void> {
  const filter: RunFilter = {
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.target ? { target: options.target } : {}),
    ...(options.vmm ? { vmm: options.vmm } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.label ? { labels: options.label } : {}),
    ...(options.since ? { since: options.since } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
  };
  const filtered = Object.keys(filter).length > 0;
  const runs = await withStoredRuns(runSourceOf(options), (store) => store.list(filter));
  if (options.output === "json") {
    process.stdout.write(JSON.stringify(runs, null, 2) + "\n");
    return;
  }
  if (runs.length === 0) {
    process.stderr.write(filtered ? "No stored run matches these filters.\n" : "No runs stored yet: `benchmark-tool performance` or `benchmark-tool community` store theirs.\n");
    return;
  }
  process.stdout.write(
    // Kept to the terminal's width: the kernel, VMM and CPU columns go first,
    // then the description is shortened; --output json has everything.
    formatTextTable(
      {
        header: ["Run", "Kind", "Started (UTC)", "Host", "CPU", "Kernel", "VMM", "Accel", "Labels", "What"],
        rows: runs.map((r) => [r.runId, r.kind, r.startedAt.replace("T", " ").replace(/\.\d+Z$/, "Z"), ...hostCells(r), r.labels.join(", "), r.description]),
        optional: [5, 6, 4],
      },
      outputWidth(),
    ),
  );
}
