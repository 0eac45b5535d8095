// Writes one run (its document and its rows) in one transaction: all of it or
// none. A run written again replaces the earlier copy.
import type { CommunityRun } from "../community-run-schema.js";
import type { DensityRun } from "../density-schema.js";
import type { PerformanceRun } from "../schema.js";
import type { SqlDatabase, SqlValue } from "./sql-database.js";
import { describeRun, startedAtOf, type StoredRun } from "./stored-run.js";

/** Lets a test fail a write part-way, to check that nothing of the run remains. */
export interface WriteHooks {
  beforeRow?: (table: string, rowIndex: number) => void;
}

export async function writeRun(db: SqlDatabase, run: StoredRun, hooks: WriteHooks = {}): Promise<void> {
  let rowIndex = 0;
  const insert = async (table: string, row: Record<string, SqlValue | boolean | undefined>): Promise<void> => {
    hooks.beforeRow?.(table, rowIndex++);
    const columns = Object.keys(row);
    const values = Object.values(row).map((v) => (v === undefined ? null : typeof v === "boolean" ? Number(v) : v));
    await db.execute(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`, values);
  };
  await db.transaction(async () => {
    // The child tables cascade from runs.
    await db.execute("DELETE FROM runs WHERE run_id = ?", [run.runId]);
    await insert("runs", {
      run_id: run.runId,
      kind: run.kind,
      started_at: startedAtOf(run),
      finished_at: new Date(run.document.finishedAt).toISOString(),
      description: describeRun(run).slice(0, 2000),
      document: JSON.stringify(run.document),
      ...(run.kind !== "community" ? hostColumns(run.document) : {}),
    });
    if (run.kind === "performance") await insertPerformanceRows(run.document, insert);
    else if (run.kind === "density") await insertLabels(run.runId, run.document.labels, insert);
    else await insertCommunityRows(run.runId, run.document, insert);
  });
}

type Insert = (table: string, row: Record<string, SqlValue | boolean | undefined>) => Promise<void>;

/** The levels of a density run stay in its document; its labels are rows, as history filters by them. */
async function insertLabels(runId: string, labels: readonly string[] | undefined, insert: Insert): Promise<void> {
  for (const label of new Set(labels)) await insert("run_labels", { run_id: runId, label });
}

function hostColumns(run: PerformanceRun | DensityRun): Record<string, SqlValue | undefined> {
  return { host_name: run.host.hostname, cpu_model: run.host.cpuModel, cpu_cores: run.host.cores, kernel: run.host.kernel };
}

async function insertPerformanceRows(run: PerformanceRun, insert: Insert): Promise<void> {
  await insertLabels(run.runId, run.labels, insert);
  for (const entry of run.results) {
    const key = { run_id: run.runId, target: entry.target, vmm: entry.vmm };
    await insert("performance_targets", {
      ...key,
      status: entry.status,
      accel: entry.accel,
      vmm_version: entry.vmmVersion,
      memory_mib: entry.memoryMiB,
      vcpus: entry.vcpus,
      image_size_bytes: entry.image?.sizeBytes,
      error: entry.error,
    });
    for (const i of entry.iterations) {
      await insert("performance_samples", {
        ...key,
        iteration_index: i.index,
        warmup: i.warmup,
        vmm_startup_ns: i.vmmStartupNs,
        boot_ns: i.bootNs,
        run_ns: i.runNs,
        peak_rss_bytes: i.peakRssBytes,
        peak_rss_exact: i.peakRssExact,
        guest_end_reason: i.guestEndReason.slice(0, 200),
      });
      const s = i.serving;
      if (!s) continue;
      const { connect, read, write, status, timeout } = s.load.errors;
      await insert("performance_serving_samples", {
        ...key,
        iteration_index: i.index,
        first_answer_ns: s.firstAnswerNs,
        probe_attempts: s.probeAttempts,
        load_generator: s.load.generator.slice(0, 64),
        load_duration_ns: s.load.durationNs,
        load_connections: s.load.connections,
        load_requests: s.load.requests,
        requests_per_second: s.load.requestsPerSecond,
        latency_p50_ns: s.load.latencyNs.p50,
        latency_p90_ns: s.load.latencyNs.p90,
        latency_p99_ns: s.load.latencyNs.p99,
        latency_max_ns: s.load.latencyNs.max,
        load_errors: connect + read + write + status,
        load_timeouts: timeout,
        idle_rss_bytes: s.idleRssBytes,
        load_peak_rss_bytes: s.loadPeakRssBytes,
        served_by_guest: s.servedByGuest,
        tool_requests: s.toolRequests,
      });
    }
  }
}

async function insertCommunityRows(runId: string, run: CommunityRun, insert: Insert): Promise<void> {
  for (const { report: r, requests, rateLimitPoints } of run.repositories) {
    const key = { run_id: runId, owner: r.owner, repo: r.repo };
    await insert("repository", {
      ...key,
      star_number: r.star_number,
      fork_number: r.fork_number,
      last_commit_date: r.last_commit_date,
      release_number: r.releases_info.release_number,
      last_release_date: r.releases_info.last_release_date,
      recent_since: r.recent_activity.since,
      recent_issues_opened_number: r.recent_activity.issues_opened_number,
      recent_issues_closed_number: r.recent_activity.issues_closed_number,
      recent_pull_requests_merged_number: r.recent_activity.pull_requests_merged_number,
      recent_commit_author_number: r.recent_activity.commit_author_number,
      time_window_since: r.time_window_since,
      collected_on: r.collected_on,
      requests,
      rate_limit_points: rateLimitPoints,
    });
    await insert("pull_requests", { ...key, ...r.pull_requests_info });
    await insert("issues", { ...key, ...r.issues_info });
    await insert("community_documents", { ...key, ...r.community_documentation });
  }
}
