// What a density run measures, as its runner hands it on: per target and VMM
// a level per number of VMs, each with every VM of every round. Times are
// nanoseconds on the tool's monotonic clock, as in performance; the level's
// summary gives milliseconds, as performance's summaries do.
import type { EntryResult } from "../types.js";
import type { KsmState } from "./host-memory.js";

export type DensityVmStatus = "ok" | "failed" | "interrupted";

/** One VM's line in a level. */
export interface DensityVmRecord {
  /** 1-based round of the level. */
  round: number;
  /** 0-based within the round, in launch order. */
  vm: number;
  status: DensityVmStatus;
  error?: string;
  vmmStartupNs?: number;
  /** From this VM's own boot signal to its readiness. */
  bootNs?: number;
  /** From this VM's own boot signal to its guest's end. */
  runNs?: number;
  guestEndReason?: string;
  /** Read while all the level's VMMs were up (absent when this VMM had already exited). */
  rssBytes?: number;
  pssBytes?: number;
  ussBytes?: number;
  peakRssBytes?: number;
}

export interface LevelRound {
  round: number;
  perVm: DensityVmRecord[];
  /** Between the first and the last boot signal sent. */
  releaseSpreadNs?: number;
  /** From the first boot signal to the last VM ready; absent unless every VM became ready. */
  allReadyNs?: number;
  memAvailableBeforeBytes: number;
  /** Read with every VMM of the round still up. */
  memAvailableWhileUpBytes?: number;
  ksm?: KsmState;
}

/** What a level comes to over its rounds: the table's row and the figures --until-failure decides by. */
export interface LevelSummary {
  /** VMs launched over all rounds, and how many of them failed. */
  vmsTotal: number;
  failures: number;
  /** Over every VM that became ready, all rounds together. */
  bootMedianMs?: number;
  bootP95Ms?: number;
  runMedianMs?: number;
  /** Medians over the rounds in which every VM became ready. */
  allReadyMedianMs?: number;
  /** The widest spread of boot signals over the rounds. */
  releaseSpreadMaxMs?: number;
  /** Medians over the rounds of the mean per VM whose memory was read. */
  rssPerVmBytes?: number;
  pssPerVmBytes?: number;
  ussPerVmBytes?: number;
  /** The largest peak RSS of any VMM of the level. */
  peakRssMaxBytes?: number;
  /** Medians over the rounds of (MemAvailable before - while up) / N. */
  hostMemoryPerVmBytes?: number;
}

export interface DensityLevelResult {
  vms: number;
  perVm: DensityVmRecord[];
  rounds: Array<Omit<LevelRound, "perVm">>;
  summary: LevelSummary;
}

/** A pair's result as performance has it, with levels in place of iterations. */
export interface DensityEntryResult extends Omit<EntryResult, "iterations" | "precision" | "commandLine"> {
  levels: DensityLevelResult[];
  /** The largest level at which every VM of every round booted and ended. */
  largestFullLevel?: number;
  /** Why the levels stopped before the last one asked for. */
  stopReason?: string;
}
