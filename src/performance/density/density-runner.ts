// Runs density levels for each target and VMM: every target built first (as
// performance does), then for each pair its levels in ascending order, each
// level's rounds one after the other. A level that would bring the host's
// available memory under the margin is not started; with --until-failure the
// levels double until a VM fails or that margin is reached.
import type { Logger } from "../../log/logger.js";
import { pairWarnings } from "../../warnings/warnings.js";
import type { PlanEntry } from "../plan.js";
import { ConsoleMarkerProbe } from "../probes/console-marker-probe.js";
import { FirstAnswerProbe } from "../probes/first-answer-probe.js";
import { HTTP_GUEST_PORT } from "../targets/types.js";
import type { RunSettings } from "../run-settings.js";
import { endedEarly } from "../runner/entry-status.js";
import { preparePair, vmLaunchOf, type PairRun } from "../runner/prepare-pair.js";
import type { RunObserver } from "../runner/run-observer.js";
import { InterruptedError } from "../vm/interrupted-error.js";
import { memAvailableBytes } from "./host-memory.js";
import { runLevelRound, type LevelRoundRequest } from "./density-level.js";
import { summarizeLevel } from "./level-summary.js";
import type { DensityEntryResult, DensityLevelResult, LevelRound } from "./types.js";

const MIB = 2 ** 20;
/** What a VMM costs beyond its guest's memory, for the first level's estimate, before anything was measured. */
const VMM_OVERHEAD_ESTIMATE_BYTES = 64 * MIB;

export interface DensitySettings {
  /** Ascending VM counts, or with untilFailure the most the doubling may reach. */
  levels: readonly number[];
  rounds: number;
  /** Double N (1, 2, 4, ... up to the last of `levels`) until a VM fails or memory runs short. */
  untilFailure?: boolean;
  /** A level is started only if the host keeps at least this much available memory through it. */
  memoryMarginBytes: number;
  /** Everything else as for performance (accelerator, memory, workload, timeout, pinning, caches). */
  run: RunSettings;
}

/** What density tells the edge, beside what every run does. */
export interface DensityObserver extends RunObserver {
  /** A round of a level starts (1-based). */
  roundStarted?(entry: PlanEntry, vms: number, round: number, rounds: number): void;
  /** Every round of a level was run. */
  levelMeasured?(entry: PlanEntry, level: DensityLevelResult): void;
  /** A level is not started: `reason` says why (host memory). */
  levelNotStarted?(entry: PlanEntry, vms: number, reason: string): void;
}

/** 1, 2, 4, ... and `maxVms` itself if it is no power of two. */
export function doublingLevels(maxVms: number): number[] {
  const levels: number[] = [];
  for (let n = 1; n < maxVms; n *= 2) levels.push(n);
  levels.push(maxVms);
  return levels;
}

export async function runDensity(
  plan: readonly PlanEntry[],
  settings: DensitySettings,
  log: Logger,
  signal?: AbortSignal,
  observer: DensityObserver = {},
): Promise<DensityEntryResult[]> {
  const pairs: PairRun[] = [];
  for (const entry of plan) {
    if (signal?.aborted) break;
    pairs.push(await preparePair(entry, settings.run, log, signal, observer));
  }
  observer.measuringStarted?.();
  const results: DensityEntryResult[] = [];
  for (const pair of pairs) results.push(await measurePair(pair, settings, log, signal, observer));
  return results;
}

/**
 * Under --accel auto, the pair's first boot under KVM is its KVM trial, as
 * in performance: one VM booted alone, as a level of one, and not measured. A
 * failed trial moves the pair to TCG before its first level. Returns false
 * when the pair cannot go on.
 */
async function kvmTrial(pair: PairRun, settings: RunSettings, log: Logger, signal: AbortSignal | undefined, observer: RunObserver): Promise<boolean> {
  const { kvm } = pair.boot!;
  if (!kvm.onTrial) return true;
  let trial: LevelRound;
  try {
    trial = await runLevelRound({ ...roundRequest(pair, settings, kvm.timeoutMs(), log, signal), vms: 1, round: 1 });
  } catch (error) {
    if (error instanceof InterruptedError) return false;
    throw error;
  }
  const [vm] = trial.perVm;
  if (vm!.status === "interrupted") return false;
  if (vm!.status === "ok") await kvm.trialPassed();
  else observer.kvmFallback?.(pair.entry, await kvm.trialFailed(new Error(vm!.error)));
  return true;
}

/** How the pair's VMs are launched and known to be ready, for a round of any size. */
function roundRequest(pair: PairRun, settings: RunSettings, timeoutMs: number, log: Logger, signal: AbortSignal | undefined): Omit<LevelRoundRequest, "vms" | "round"> {
  const marker = new ConsoleMarkerProbe(pair.boot!.artifacts.readyMarker);
  // A server is ready when it answers: each VM has its own port and its own probe.
  const serves = settings.workload === "http";
  return {
    backend: pair.entry.backend,
    launch: vmLaunchOf(pair, settings),
    readiness: serves ? () => new FirstAnswerProbe() : () => marker,
    ...(serves ? { servedPort: HTTP_GUEST_PORT } : {}),
    timeoutMs,
    log,
    ...(signal ? { signal } : {}),
  };
}

async function measurePair(
  pair: PairRun,
  settings: DensitySettings,
  log: Logger,
  signal: AbortSignal | undefined,
  observer: DensityObserver,
): Promise<DensityEntryResult> {
  const { result, entry } = pair;
  const { backend } = entry;
  const ready = pair.boot && result.status === "ok" && (await kvmTrial(pair, settings.run, log, signal, observer));
  const { commandLine: _unused, iterations: _none, precision: _noPrecision, ...base } = result;
  const density: DensityEntryResult = { ...base, levels: [], warnings: [...result.warnings] };
  if (!ready) return finishDensity(density, entry, signal, observer, 0);
  const levels = settings.untilFailure ? doublingLevels(settings.levels.at(-1)!) : settings.levels;
  let perVmEstimateBytes = result.memoryMiB! * MIB + VMM_OVERHEAD_ESTIMATE_BYTES;
  let failedVms = 0;
  for (const vms of levels) {
    if (signal?.aborted) break;
    const availableBytes = await memAvailableBytes();
    const neededBytes = perVmEstimateBytes * vms;
    if (availableBytes - neededBytes < settings.memoryMarginBytes) {
      density.stopReason =
        `${vms} VM${vms > 1 ? "s" : ""} would need about ${mib(neededBytes)} MiB of the ${mib(availableBytes)} MiB available, ` +
        `leaving less than the ${mib(settings.memoryMarginBytes)} MiB margin (--memory-margin)`;
      observer.levelNotStarted?.(entry, vms, density.stopReason);
      break;
    }
    const rounds: LevelRound[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      observer.roundStarted?.(entry, vms, round, settings.rounds);
      try {
        rounds.push(await runLevelRound({ ...roundRequest(pair, settings.run, settings.run.timeoutMs, log, signal), vms, round }));
      } catch (error) {
        if (!(error instanceof InterruptedError)) throw error;
        break;
      }
    }
    if (rounds.length === 0) break;
    const level: DensityLevelResult = {
      vms,
      perVm: rounds.flatMap((r) => r.perVm),
      rounds: rounds.map(({ perVm: _perVm, ...rest }) => rest),
      summary: summarizeLevel(vms, rounds),
    };
    density.levels.push(level);
    observer.levelMeasured?.(entry, level);
    if (signal?.aborted) break;
    if (level.summary.failures === 0) {
      density.largestFullLevel = vms;
    } else {
      failedVms += level.summary.failures;
      if (settings.untilFailure) {
        density.stopReason = `${level.summary.failures} of ${level.summary.vmsTotal} VMs failed at ${vms} VMs`;
        break;
      }
    }
    // The next level's estimate: the most any one VMM held, or the host's loss per VM if larger.
    const measured = Math.max(level.summary.peakRssMaxBytes ?? 0, level.summary.hostMemoryPerVmBytes ?? 0);
    if (measured > 0) perVmEstimateBytes = measured;
  }
  if (density.levels.length === 0 && density.stopReason && !signal?.aborted) {
    // Not even the first level fits: nothing was measured, as for a pair that cannot run here.
    density.status = "skipped";
    density.error = density.stopReason;
  } else if (failedVms > 0 && !settings.untilFailure && !signal?.aborted) {
    density.status = "failed";
    density.error = `${failedVms} VM(s) failed (see each level's perVm)`;
  }
  if (density.levels.some((l) => l.perVm.some((v) => v.status === "ok" && v.pssBytes === undefined))) {
    density.warnings.push(pairWarnings.memoryNotReadWhileUp(backend.name));
  }
  return finishDensity(density, entry, signal, observer, density.levels.length);
}

/** A pair stopped by the user is interrupted, whatever it measured before. */
function finishDensity(density: DensityEntryResult, entry: PlanEntry, signal: AbortSignal | undefined, observer: RunObserver, levels: number): DensityEntryResult {
  if (signal?.aborted && density.status === "ok") {
    endedEarly(density, new InterruptedError());
    observer.pairFailed?.(entry, density, `${levels} level(s)`);
  }
  return density;
}

function mib(bytes: number): string {
  return (bytes / MIB).toFixed(0);
}
