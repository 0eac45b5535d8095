// Runs the benchmark plan: builds every target for its VMMs, then runs the
// warm-up and measured iterations in the schedule's order (interleaved or
// sequential, a fixed count or until precise). One failing target never stops
// the others; Ctrl-C stops everything and keeps what was measured.
import type { Logger } from "../../log/logger.js";
import { pairWarnings } from "../../warnings/warnings.js";
import { MemoryMonitor } from "../measure/memory-monitor.js";
import type { PlanEntry } from "../plan.js";
import { ConsoleMarkerProbe } from "../probes/console-marker-probe.js";
import type { RunSettings } from "../run-settings.js";
import { IterationSchedule, randomSeed, type ScheduleStep } from "../schedule/iteration-schedule.js";
import { medianPrecision } from "../schedule/median-precision.js";
import type { EntryResult, IterationMeasurement, IterationRecord } from "../types.js";
import { InterruptedError } from "../vm/interrupted-error.js";
import { endedEarly } from "./entry-status.js";
import { runIteration } from "./iteration.js";
import { preparePair, vmLaunchOf, type PairRun } from "./prepare-pair.js";
import type { RunObserver } from "./run-observer.js";

export async function runPlan(
  plan: readonly PlanEntry[],
  settings: RunSettings,
  log: Logger,
  signal?: AbortSignal,
  observer: RunObserver = {},
): Promise<EntryResult[]> {
  const monitor = new MemoryMonitor(settings.sampleIntervalMs);
  const pairs: PairRun[] = [];
  try {
    await monitor.warmUp();
    // Every build before any measurement: nothing else of the tool's runs while a guest is timed.
    for (const entry of plan) {
      if (signal?.aborted) break;
      pairs.push(await preparePair(entry, settings, log, signal, observer));
    }
    if (!signal?.aborted) await measurePairs(pairs, settings, log, monitor, signal, observer);
  } finally {
    await monitor.close();
  }
  return pairs.map((pair) => finishPair(pair, settings, signal, observer));
}

/** The measured boot times of a pair so far, in ms. */
function measuredBootMs(pair: PairRun): number[] {
  return pair.result.iterations.flatMap((r) => (r.warmup ? [] : [r.bootNs / 1e6]));
}

async function measurePairs(
  pairs: PairRun[],
  settings: RunSettings,
  log: Logger,
  monitor: MemoryMonitor,
  signal: AbortSignal | undefined,
  observer: RunObserver,
): Promise<void> {
  const precisionPercent = settings.precisionPercent;
  const schedule = new IterationSchedule(
    pairs.length,
    {
      order: settings.order ?? "interleaved",
      warmup: settings.warmup,
      minIterations: settings.iterations,
      maxIterations: precisionPercent === undefined ? settings.iterations : (settings.maxIterations ?? settings.iterations),
      seed: settings.seed ?? randomSeed(),
    },
    precisionPercent === undefined ? undefined : (pair) => medianPrecision(measuredBootMs(pairs[pair]!), precisionPercent).reached,
  );
  pairs.forEach((pair, p) => {
    if (!pair.boot) schedule.leave(p);
  });
  observer.measuringStarted?.();
  let done = 0;
  for (let step = schedule.next(); step; step = schedule.next()) {
    const pair = pairs[step.pair]!;
    const outcome = await runPairIteration(pair, step, settings, log, monitor, signal, observer);
    if (outcome === "restart") {
      schedule.restart(step.pair);
      continue;
    }
    if (outcome === "failed") {
      schedule.leave(step.pair);
      if (signal?.aborted) break;
      continue;
    }
    done++;
    const record = pair.result.iterations.at(-1)!;
    observer.iterationMeasured?.(pair.entry, pair.result, record, { done, atMost: done + schedule.stepsLeftAtMost() });
  }
  pairs.forEach((pair, p) => {
    pair.unfinished = schedule.wantsMore(p);
  });
}

/**
 * One iteration of a pair. "restart": KVM could not run the guest and the pair
 * starts over under TCG; "failed": the pair's result says why.
 */
async function runPairIteration(
  pair: PairRun,
  step: ScheduleStep,
  settings: RunSettings,
  log: Logger,
  monitor: MemoryMonitor,
  signal: AbortSignal | undefined,
  observer: RunObserver,
): Promise<"measured" | "restart" | "failed"> {
  const { entry, result } = pair;
  const { artifacts, kvm } = pair.boot!;
  const trial = kvm.onTrial;
  observer.iterationStarted?.(entry, step.round, step.warmup);
  const startedAt = new Date().toISOString();
  let measurement: IterationMeasurement;
  try {
    measurement = await runIteration({
      backend: entry.backend,
      launch: vmLaunchOf(pair, settings),
      readiness: new ConsoleMarkerProbe(artifacts.readyMarker),
      ...(artifacts.guestReportedBoot ? { guestReportedBoot: artifacts.guestReportedBoot } : {}),
      timeoutMs: kvm.timeoutMs(),
      monitor,
      log,
      ...(signal ? { signal } : {}),
      onBooted: step.warmup ? undefined : () => observer.booted?.(entry),
      ...(settings.serving ? { serving: settings.serving } : {}),
    });
  } catch (error) {
    if (trial && !(error instanceof InterruptedError)) {
      observer.kvmFallback?.(entry, await kvm.trialFailed(error));
      return "restart";
    }
    endedEarly(result, error, signal);
    observer.pairFailed?.(entry, result, `${result.iterations.length} iteration(s)`);
    return "failed";
  }
  if (trial) await kvm.trialPassed();
  const { commandLine, ...measured } = measurement;
  result.commandLine = commandLine;
  const record: IterationRecord = { index: result.iterations.length, warmup: step.warmup, startedAt, ...measured };
  result.iterations.push(record);
  return "measured";
}

/** The pair's last words: interrupted or not, its precision, what to be wary of. */
function finishPair(pair: PairRun, settings: RunSettings, signal: AbortSignal | undefined, observer: RunObserver): EntryResult {
  const { result, entry } = pair;
  const { target, backend } = entry;
  if (result.status === "ok" && pair.unfinished && signal?.aborted) {
    endedEarly(result, new InterruptedError(), signal);
    observer.pairFailed?.(entry, result, `${result.iterations.length} iteration(s)`);
  }
  if (result.status !== "ok" && result.status !== "interrupted") return result;
  const measured = result.iterations.filter((r) => !r.warmup);
  if (settings.precisionPercent !== undefined && measured.length > 0) {
    const precision = medianPrecision(measuredBootMs(pair), settings.precisionPercent);
    result.precision = {
      targetPercent: settings.precisionPercent,
      reached: precision.reached,
      ...(precision.halfWidthPercent !== undefined ? { halfWidthPercent: precision.halfWidthPercent } : {}),
      ...(precision.ci95Low !== undefined ? { medianCi95LowMs: precision.ci95Low, medianCi95HighMs: precision.ci95High! } : {}),
    };
    if (precision.reached) observer.precisionReached?.(entry, measured.length, settings.precisionPercent);
    else if (result.status === "ok") result.warnings.push(pairWarnings.precisionNotReached(settings.precisionPercent, measured.length, precision.halfWidthPercent));
  }
  if (measured.some((r) => !r.peakRssExact)) result.warnings.push(pairWarnings.peakNotExact());
  const absent = measured.filter((r) => r.guestReportedBootAbsent !== undefined);
  if (absent.length > 0) result.warnings.push(pairWarnings.guestReportedBootAbsent(absent.length, measured.length, absent[0]!.guestReportedBootAbsent!));
  if (settings.bootTimer && measured.some((r) => r.vmmReportedBootNs === undefined)) {
    const why = !backend.bootTimerAddress
      ? `${backend.name} has no boot-timer device`
      : !pair.boot?.artifacts.bootTimerArg
        ? `${target.name} does not write to ${backend.name}'s boot-timer device`
        : `${backend.name} logged no boot time`;
    result.warnings.push(pairWarnings.bootTimerMissing(why));
  }
  return result;
}
