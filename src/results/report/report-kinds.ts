// Each kind of run's report, by kind.
import type { StoredRun } from "../store/stored-run.js";
import { COMMUNITY_REPORT } from "./community-report.js";
import { DENSITY_REPORT } from "./density-report.js";
import { PERFORMANCE_REPORT } from "./performance-report.js";
import type { ReportKind, ReportedRun } from "./report-kind.js";

type DocumentOf<K extends StoredRun["kind"]> = Extract<StoredRun, { kind: K }>["document"];

export const REPORT_KINDS: { [K in StoredRun["kind"]]: ReportKind<DocumentOf<K>> } = {
  performance: PERFORMANCE_REPORT,
  density: DENSITY_REPORT,
  community: COMMUNITY_REPORT,
};

/** The runs of one kind, in their order. */
export function reportedRunsOf<K extends StoredRun["kind"]>(runs: readonly StoredRun[], kind: K): Array<ReportedRun<DocumentOf<K>>> {
  return runs.flatMap((run) => (run.kind === kind ? [{ runId: run.runId, document: run.document as DocumentOf<K> }] : []));
}

/** The report of a stored run's kind, with the run as it takes it. */
export function reportOf(run: StoredRun): { kind: ReportKind<StoredRun["document"]>; run: ReportedRun<StoredRun["document"]> } {
  return { kind: REPORT_KINDS[run.kind] as ReportKind<StoredRun["document"]>, run: { runId: run.runId, document: run.document } };
}
