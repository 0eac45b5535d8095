// What a performance run measures, as the runner hands it on: one record per
// iteration, one result per target and VMM. Results and outputs read these
// types; nothing here does anything.
import type { BootPhasesNs } from "../vocabulary/boot-phases.js";
import type { ImageSize } from "./measure/image-size.js";
import type { Accel } from "./vmm/types.js";

/** What one measured boot gives, on the tool's monotonic clock. */
export interface IterationMeasurement {
  vmmStartupNs: number;
  bootNs: number;
  runNs: number;
  peakRssBytes: number;
  peakRssExact: boolean;
  guestEndReason: string;
  /** The boot time the VMM measured itself (Firecracker's boot timer), when it reported one. */
  vmmReportedBootNs?: number;
  /** The boot time the guest stated on its console, when it has a way to and its clock could give it. */
  guestReportedBootNs?: number;
  /** Why the guest's own figure is absent although the target has a way to state it. */
  guestReportedBootAbsent?: string;
  /** What a server guest gave (the http workload): its first answer, the load it served, its memory while serving. */
  serving?: ServingMeasurement;
  /** Where the iteration's time went, on the same clock as bootNs and runNs. */
  phasesNs: BootPhasesNs;
  /** RSS samples, as offsets from the boot clock's start (negative: before the boot). */
  memorySeries: { offsetsNs: number[]; rssBytes: number[] };
  commandLine: readonly string[];
}

/** Errors a load generator counted, by kind; none of them counts as a request served. */
export interface LoadErrors {
  connect: number;
  read: number;
  write: number;
  /** Answers with a status other than 2xx or 3xx. */
  status: number;
  timeout: number;
}

/** One iteration of a server guest, after its boot. */
export interface ServingMeasurement {
  /** From the boot signal to the first complete HTTP answer the tool received (not a connect: see docs/http.md). */
  firstAnswerNs: number;
  /** How the tool asked until then: its polling interval and how many requests it sent. */
  probeIntervalMs: number;
  probeAttempts: number;
  /** What the first answer said: its status and the start of its body (what a user would see). */
  firstAnswer: { status: number; body: string };
  /** The measured load, after a warm-up: the load generator's own figures. */
  load: {
    generator: string;
    durationNs: number;
    connections: number;
    threads: number;
    requests: number;
    requestsPerSecond: number;
    errors: LoadErrors;
    latencyNs: { p50: number; p90: number; p99: number; max: number };
  };
  /** The VMM's RSS right before the load, and the most it had while the load ran. */
  idleRssBytes: number;
  loadPeakRssBytes: number;
  /** What the guest counted it answered (BENCHMARK_TOOL_SERVED), and how many of those the tool itself sent (probe, warm-up, stop). */
  servedByGuest: number;
  toolRequests: number;
}

export interface IterationRecord extends Omit<IterationMeasurement, "commandLine"> {
  /** 0-based within the pair, counting warm-up iterations first. */
  index: number;
  warmup: boolean;
  /** Wall-clock time (ISO 8601) at which the iteration began: the order of the run. */
  startedAt: string;
}

/** skipped: named by the user but cannot run here; unavailable: the same for a pair the tool chose. */
export type EntryStatus = "ok" | "failed" | "skipped" | "unavailable" | "interrupted";

export interface EntryResult {
  target: string;
  vmm: string;
  repository?: string;
  status: EntryStatus;
  error?: string;
  /** The accelerator the iterations ran under (auto may fall back to TCG). */
  accel?: Accel;
  vmmVersion?: string;
  commandLine?: readonly string[];
  bootArgs?: string;
  memoryMiB?: number;
  vcpus: number;
  image?: ImageSize;
  iterations: IterationRecord[];
  /** With --precision: whether the median boot time got as precise as asked. */
  precision?: PrecisionRecord;
  warnings: string[];
}

export interface PrecisionRecord {
  targetPercent: number;
  reached: boolean;
  /** The 95% interval's larger distance from the median, in percent of it; absent below 6 iterations. */
  halfWidthPercent?: number;
  medianCi95LowMs?: number;
  medianCi95HighMs?: number;
}

export interface RunProgress {
  /** Iterations run so far, warm-ups included. */
  done: number;
  /** The most the run can still come to (with --precision, pairs may stop earlier). */
  atMost: number;
}
