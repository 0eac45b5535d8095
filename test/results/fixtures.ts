// Synthetic runs with known samples, for the store, compare and report tests.
import type { CommunityRun } from "../../src/results/community-run-schema.js";
import type { CommunityReport } from "../../src/vocabulary/community-report.js";
import { summarizeEntry } from "../../src/results/performance-run.js";
import { PerformanceRunSchema, type PerformanceRun, type RunHost } from "../../src/results/schema.js";
import { PERFORMANCE_SCHEMA_VERSION } from "../../src/results/schema-versions.js";

export { seededRandom } from "../helpers/seeded-random.js";

export interface SyntheticPair {
  target: string;
  vmm: string;
  bootMs: number[];
  runMs?: number[];
  peakMiB?: number[];
  /** The boot time the guest states on its console, per iteration. */
  guestBootMs?: number[];
  imageBytes?: number;
  /** A server guest's figures per iteration (the http workload). */
  serving?: { firstAnswerMs: number[]; requestsPerSecond: number[]; p99Ms: number[] };
  accel?: "kvm" | "tcg";
  vmmVersion?: string;
}

/** What differs between machines and runs; absent fields are as a run saved before labels and host names. */
export interface SyntheticRunExtras {
  host?: Partial<RunHost>;
  labels?: string[];
}

/** One iteration's serving figures, from the few a fixture gives; the rest follow from them. */
function servingSample(serving: NonNullable<SyntheticPair["serving"]>, index: number) {
  const rps = serving.requestsPerSecond[index]!;
  const p99Ns = serving.p99Ms[index]! * 1e6;
  return {
    firstAnswerNs: serving.firstAnswerMs[index]! * 1e6,
    probeIntervalMs: 10,
    probeAttempts: 3,
    firstAnswer: { status: 200, body: "Hello from benchmark-tool\n" },
    load: {
      generator: "wrk 4.1.0",
      durationNs: 5e9,
      connections: 2,
      threads: 2,
      requests: Math.round(rps * 5),
      requestsPerSecond: rps,
      errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
      latencyNs: { p50: p99Ns / 4, p90: p99Ns / 2, p99: p99Ns, max: p99Ns * 2 },
    },
    idleRssBytes: 60 * 2 ** 20,
    loadPeakRssBytes: 70 * 2 ** 20,
    servedByGuest: Math.round(rps * 5) + 2,
    toolRequests: 2,
  };
}

export function syntheticPerformanceRun(runId: string, startedAt: string, pairs: SyntheticPair[], extras: SyntheticRunExtras = {}): PerformanceRun {
  const results = pairs.map((p) =>
    summarizeEntry({
      target: p.target,
      vmm: p.vmm,
      status: "ok",
      accel: p.accel ?? "tcg",
      vmmVersion: p.vmmVersion ?? "7.2.0 (Debian 1:7.2+dfsg-7+deb12u6)",
      vcpus: 1,
      memoryMiB: 64,
      image: { sizeBytes: p.imageBytes ?? 6144, files: [{ role: "kernel", path: `/cache/${p.target}.elf`, bytes: p.imageBytes ?? 6144 }] },
      warnings: [],
      iterations: p.bootMs.map((boot, index) => {
        const run = p.runMs?.[index] ?? boot + 0.5;
        // Some fixtures draw run and boot times independently: the phases stay consistent with the run time.
        const booted = Math.min(boot, run);
        return {
          index,
          warmup: false,
          startedAt: new Date(Date.parse(startedAt) + index * 1000).toISOString(),
          vmmStartupNs: 50e6 + index * 1e5,
          bootNs: boot * 1e6,
          runNs: run * 1e6,
          peakRssBytes: Math.round((p.peakMiB?.[index] ?? 42) * 2 ** 20),
          peakRssExact: true,
          guestEndReason: "powered off",
          ...(p.guestBootMs ? { guestReportedBootNs: p.guestBootMs[index]! * 1e6 } : {}),
          ...(p.serving ? { serving: servingSample(p.serving, index) } : {}),
          phasesNs: {
            vmmStartup: 50e6 + index * 1e5,
            bootToFirstOutput: booted * 0.4e6,
            firstOutputToReady: booted * 0.6e6,
            readyToGuestEnd: (run - booted) * 1e6,
            guestEndToReaped: 2e6,
          },
          memorySeries: { offsetsNs: [0, 1e6, 2e6, 3e6], rssBytes: [10, 20, 30, 40].map((m) => (m + index) * 2 ** 20) },
        };
      }),
    } as Parameters<typeof summarizeEntry>[0]),
  );
  return PerformanceRunSchema.parse({
    schemaVersion: PERFORMANCE_SCHEMA_VERSION,
    kind: "performance",
    runId,
    startedAt,
    finishedAt: startedAt,
    tool: { name: "benchmark-tool", version: "0.1.0" },
    host: { cpuModel: "Test CPU", cores: 2, memoryBytes: 2 ** 31, kernel: "6.1.0", os: "Debian", arch: "x64", nodeVersion: process.version, kvmUsable: false, vmmVersions: {}, ...extras.host },
    config: { targets: pairs.map((p) => `${p.target}:${p.vmm}`), iterations: pairs[0]?.bootMs.length ?? 1, warmup: 0, accel: "tcg", vcpus: 1, workload: "hello", timeoutSeconds: 60, sampleIntervalMs: 1 },
    ...(extras.labels ? { labels: extras.labels } : {}),
    interrupted: false,
    leftOut: [],
    results,
  });
}

/** `n` samples around `center` with ±`spread` uniform noise. */
export function noisy(random: () => number, n: number, center: number, spread: number): number[] {
  return Array.from({ length: n }, () => center + (random() * 2 - 1) * spread);
}

export function communityReport(owner: string, repo: string, stars: number): CommunityReport {
  return {
    owner,
    repo,
    star_number: stars,
    fork_number: Math.round(stars / 5),
    pull_requests_info: {
      open_pull_request_number: 4,
      closed_pull_request_number: 78,
      average_comments_per_pull_request: 2.12,
      average_commits_per_pull_request: 2.3,
      merged_pull_request_number: 60,
      median_time_to_first_response_hours: 5.5,
      median_time_to_merge_hours: null,
    },
    issues_info: {
      open_issues_number: 324,
      closed_issues_number: 825,
      average_comments_per_issue: 3.13,
      median_time_to_first_response_hours: 12,
      median_time_to_close_hours: 70.25,
      median_open_issue_age_hours: 9000,
    },
    community_documentation: {
      health_percentage: 62,
      has_code_of_conduct: false,
      has_contributing: true,
      has_issue_template: true,
      has_pull_request_template: false,
      has_license: true,
      has_readme: true,
      has_content_reports_enabled: false,
      has_wiki: true,
    },
    releases_info: { release_number: 12, last_release_date: "2026-01-02T03:04:05Z" },
    last_commit_date: "2026-11-20T10:00:00Z",
    recent_activity: { since: "2026-08-28T00:00:00Z", issues_opened_number: 9, issues_closed_number: 7, pull_requests_merged_number: 5, commit_author_number: 3 },
    time_window_since: null,
    collected_on: "2026-11-26T12:00:00+02:00",
  };
}

export function syntheticCommunityRun(runId: string, reports: CommunityReport[]): CommunityRun {
  return {
    schemaVersion: 1,
    kind: "community",
    runId,
    startedAt: "2026-11-26T12:00:00+02:00",
    finishedAt: "2026-11-26T12:00:05+02:00",
    apiUrl: "https://api.github.com",
    since: null,
    repositories: reports.map((report) => ({ argument: `${report.owner}/${report.repo}`, report, requests: 7, rateLimitPoints: 7 })),
    failures: [],
  };
}
