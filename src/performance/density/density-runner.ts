// Runs density levels for each target and VMM: every target built first (as
// performance does), then for each pair its levels in ascending order, each
// level's rounds one after the other. A level that would bring the host's
// available memory under the margin is not started; with --until-failure the
// levels double until a VM fails or that margin is reached.
import type { Logger } from "../../log/logger.js";
import { InterruptedError } from "../iteration.js";
import { preparePair, type EntryResult, type PairRun, type PlanEntry, type RunSettings } from "../runner.js";
import { memAvailableBytes } from "./host-memory.js";
import { runLevelRound, type LevelRound } from "./density-level.js";
import type { DensityVmRecord } from "./density-vm.js";
import { summarizeLevel, type LevelSummary } from "./level-summary.js";

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

export interface DensityCallbacks {
  onLevel?(entry: PlanEntry, level: DensityLevelResult): void;
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
  callbacks: DensityCallbacks = {},
): Promise<DensityEntryResult[]> {
  const pairs: PairRun[] = [];
  for (const entry of plan) {
    if (signal?.aborted) break;
    pairs.push(await preparePair(entry, settings.run, log, signal));
  }
  const results: DensityEntryResult[] = [];
  for (const pair of pairs) results.push(await measurePair(pair, settings, log, signal, callbacks));
  return results;
}

async function measurePair(
  pair: PairRun,
  settings: DensitySettings,
  log: Logger,
  signal: AbortSignal | undefined,
  callbacks: DensityCallbacks,
): Promise<DensityEntryResult> {
  const { result } = pair;
  const { commandLine: _unused, iterations: _none, precision: _noPrecision, ...base } = result;
  const density: DensityEntryResult = { ...base, levels: [], warnings: [...result.warnings] };
  if (!pair.boot || result.status !== "ok") return density;
  const { backend, target } = pair.entry;
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
      log.warn(`${target.name} on ${backend.name}: not starting ${vms} VMs: ${density.stopReason}`);
      break;
    }
    const rounds: LevelRound[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      log.info(`${target.name} on ${backend.name}: ${vms} VM(s), round ${round} of ${settings.rounds}`);
      try {
        rounds.push(
          await runLevelRound({
            vms,
            round,
            backend,
            launch: {
              artifacts: pair.boot.artifacts,
              bootArgs: result.bootArgs!,
              memoryMiB: result.memoryMiB!,
              vcpus: settings.run.vcpus,
              accel: result.accel!,
              ...(settings.run.cpu ? { cpu: settings.run.cpu } : {}),
              ...(settings.run.pinCpus ? { pinCpus: settings.run.pinCpus } : {}),
            },
            readyMarker: pair.boot.artifacts.readyMarker,
            timeoutMs: settings.run.timeoutMs,
            log,
            ...(signal ? { signal } : {}),
          }),
        );
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
    callbacks.onLevel?.(pair.entry, level);
    for (const vm of level.perVm) {
      if (vm.status === "failed") log.error(`${target.name} on ${backend.name}: ${vms} VM(s), round ${vm.round}, VM ${vm.vm} failed: ${vm.error}`);
    }
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
  } else if (signal?.aborted) {
    density.status = "interrupted";
    density.error = "interrupted by the user";
    log.warn(`${target.name} on ${backend.name}: interrupted; keeping the ${density.levels.length} level(s) measured so far`);
  } else if (failedVms > 0 && !settings.untilFailure) {
    density.status = "failed";
    density.error = `${failedVms} VM(s) failed (see each level's perVm)`;
  }
  if (density.levels.some((l) => l.perVm.some((v) => v.status === "ok" && v.pssBytes === undefined))) {
    density.warnings.push(`${backend.name} exits with its guest: the memory of VMMs whose guest had already ended could not be read while all were up`);
  }
  return density;
}

function mib(bytes: number): string {
  return (bytes / MIB).toFixed(0);
}
