// A run as the store keeps it: a performance or a community document, with the
// id that history, compare, report and export accept.
import type { CommunityRun } from "../community-run-schema.js";
import type { DensityRun } from "../density-schema.js";
import type { PerformanceRun } from "../schema.js";

export type StoredRun =
  | { kind: "performance"; runId: string; document: PerformanceRun }
  | { kind: "community"; runId: string; document: CommunityRun }
  | { kind: "density"; runId: string; document: DensityRun };

export function performanceStoredRun(document: PerformanceRun): StoredRun {
  return { kind: "performance", runId: document.runId, document };
}

export function densityStoredRun(document: DensityRun): StoredRun {
  return { kind: "density", runId: document.runId, document };
}

export function communityStoredRun(document: CommunityRun): StoredRun {
  if (!document.runId) throw new Error("a community run needs a runId to be stored");
  return { kind: "community", runId: document.runId, document };
}

/** One line of what a run measured, for `history`. */
export function describeRun(run: StoredRun): string {
  if (run.kind === "community") {
    const names = run.document.repositories.map((r) => `${r.report.owner}/${r.report.repo}`);
    const failed = run.document.failures.length ? `, ${run.document.failures.length} failed` : "";
    return `${names.join(", ") || "no repositories"}${failed}`;
  }
  if (run.kind === "density") {
    const pairs = run.document.results.map((e) => `${e.target}:${e.vmm}${e.status === "ok" ? "" : ` (${e.status})`}`);
    const levels = run.document.config.untilFailure ? `until failure, at most ${run.document.config.vms.at(-1)}` : run.document.config.vms.join(",");
    return `density ${pairs.join(", ") || "no targets"}; vms=${levels}${run.document.interrupted ? "; interrupted" : ""}`;
  }
  const pairs = run.document.results.map((e) => `${e.target}:${e.vmm}${e.status === "ok" ? "" : ` (${e.status})`}`);
  const n = run.document.config.iterations;
  return `${pairs.join(", ") || "no targets"}; n=${n}${run.document.interrupted ? "; interrupted" : ""}`;
}

export function startedAtOf(run: StoredRun): string {
  return new Date(run.document.startedAt).toISOString();
}
