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
  /** Where the iteration's time went, on the same clock as bootNs and runNs. */
  phasesNs: BootPhasesNs;
  /** RSS samples, as offsets from the boot clock's start (negative: before the boot). */
  memorySeries: { offsetsNs: number[]; rssBytes: number[] };
  commandLine: readonly string[];
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
