// Runs the benchmark plan: builds every target for its VMMs, then runs the
// warm-up and measured iterations in the schedule's order (interleaved or
// sequential, a fixed count or until precise). One failing target never stops
// the others; Ctrl-C stops everything and keeps what was measured.
import type { Logger } from "../log/logger.js";
import { nsToMs } from "./measure/clock.js";
import { measureImageSize, type ImageSize } from "./measure/image-size.js";
import { MemoryMonitor } from "./measure/memory-monitor.js";
import { InterruptedError, runIteration, type IterationMeasurement } from "./iteration.js";
import { IterationSchedule, randomSeed, type ScheduleStep } from "./schedule/iteration-schedule.js";
import type { Order } from "./schedule/order.js";
import { medianPrecision } from "./schedule/median-precision.js";
import { KvmVerdicts, type TrialSubject } from "./kvm-verdicts.js";
import type { BootArtifacts, TargetBuilder, Workload } from "./targets/types.js";
import { resolveAccel, type AccelRequest } from "./vmm/accel.js";
import { KvmInternalError } from "./vmm/errors.js";
import type { Accel, VmmBackend } from "./vmm/types.js";

export const DEFAULT_MEMORY_MIB = 128;
/** How long --accel auto gives a target's first boot under KVM before trying TCG. */
export const KVM_TRIAL_TIMEOUT_MS = 20_000;

export interface PlanEntry {
  target: TargetBuilder;
  backend: VmmBackend;
  /** The registry's repository key, when the target has one. */
  repository?: string;
  /** Chosen by the tool, not named by the user: if it cannot run here, it is "unavailable", not an error. */
  implicit?: boolean;
}

export interface RunSettings {
  /** Measured iterations per pair: exactly, or at least with precisionPercent. */
  iterations: number;
  warmup: number;
  /** Default interleaved. */
  order?: Order;
  /** Seeds the interleaved order's shuffles; random when absent. */
  seed?: number;
  /** Measure each pair until the 95% CI of its median boot time is within ± this percentage of the median. */
  precisionPercent?: number;
  /** With precisionPercent: the most measured iterations a pair gets. */
  maxIterations?: number;
  /** Host CPUs the VMM processes run on (taskset list, e.g. "1" or "2-3"). */
  pinCpus?: string;
  accel: AccelRequest;
  /** Overrides the target's own memory size. */
  memoryMiB?: number;
  vcpus: number;
  /** QEMU -cpu model; the VMM's default when absent. */
  cpu?: string;
  workload: Workload;
  timeoutMs: number;
  /** Appended to the target's boot arguments. */
  extraBootArgs?: string;
  /** Also record the VMM's own boot time (Firecracker's boot-timer device), where guest and VMM support it. */
  bootTimer?: boolean;
  cacheDir: string;
  /** Builds ignore their caches (--clear-cache). */
  clearCache?: boolean;
  /** Upstream sources come from this mirror (--sources-mirror), nothing from the network. */
  sourcesMirror?: string;
  sampleIntervalMs?: number;
}

/** skipped: named by the user but cannot run here; unavailable: the same for a pair the tool chose. */
export type EntryStatus = "ok" | "failed" | "skipped" | "unavailable" | "interrupted";

export interface IterationRecord extends Omit<IterationMeasurement, "commandLine"> {
  /** 0-based within the pair, counting warm-up iterations first. */
  index: number;
  warmup: boolean;
  /** Wall-clock time (ISO 8601) at which the iteration began: the order of the run. */
  startedAt: string;
}

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

export interface RunCallbacks {
  /** When an entry's preparation (build) starts. */
  onEntryStart?(entry: PlanEntry): void;
  /** Once every entry is built, before the first boot. */
  onMeasuringStart?(): void;
  /** After each iteration, measured or warm-up, between boots. */
  onIteration?(entry: PlanEntry, record: IterationRecord, measured: IterationRecord[], progress: RunProgress): void;
}

export async function runPlan(
  plan: readonly PlanEntry[],
  settings: RunSettings,
  log: Logger,
  signal?: AbortSignal,
  callbacks: RunCallbacks = {},
): Promise<EntryResult[]> {
  const monitor = new MemoryMonitor(settings.sampleIntervalMs);
  const pairs: PairRun[] = [];
  try {
    await monitor.warmUp();
    // Every build before any measurement: nothing else of the tool's runs while a guest is timed.
    for (const entry of plan) {
      if (signal?.aborted) break;
      callbacks.onEntryStart?.(entry);
      pairs.push(await preparePair(entry, settings, log, signal));
    }
    if (!signal?.aborted) await measurePairs(pairs, settings, log, monitor, signal, callbacks);
  } finally {
    await monitor.close();
  }
  return pairs.map((pair) => finishPair(pair, settings, log, signal));
}

/** One target on one VMM while the run goes on: its result so far and what its boots need (density prepares its pairs this way too). */
export interface PairRun {
  entry: PlanEntry;
  result: EntryResult;
  /** What its boots need; absent when the pair was skipped or failed before its first boot. */
  boot?: {
    artifacts: BootArtifacts;
    /** The boot arguments under an accelerator (TCG may add its own). */
    bootArgsUnder: (accel: Accel) => string;
    /** Where the KVM trial's verdict is remembered, and for what. */
    verdicts: KvmVerdicts;
    trialSubject: TrialSubject;
  };
  /** Whether the schedule still had iterations for it when the run ended. */
  unfinished?: boolean;
}

export async function preparePair(entry: PlanEntry, settings: RunSettings, log: Logger, signal: AbortSignal | undefined): Promise<PairRun> {
  const { target, backend } = entry;
  const result: EntryResult = {
    target: target.name,
    vmm: backend.name,
    ...(entry.repository ? { repository: entry.repository } : {}),
    status: "ok",
    vcpus: settings.vcpus,
    iterations: [],
    warnings: [],
  };
  log.info(`Running benchmark for ${target.name} with ${backend.name} backend`);
  const prepared = await prepareEntry(entry, settings, result, log, signal);
  if (!prepared) return { entry, result };
  const { artifacts } = prepared;
  result.accel = prepared.accel;
  const bootTimerArg =
    settings.bootTimer && backend.bootTimerAddress && artifacts.bootTimerArg ? artifacts.bootTimerArg(backend.bootTimerAddress) : undefined;
  const bootArgsUnder = (accel: Accel): string =>
    [artifacts.bootArgs, accel === "tcg" ? artifacts.tcgBootArgs : undefined, bootTimerArg, settings.extraBootArgs].filter(Boolean).join(" ");
  result.bootArgs = bootArgsUnder(result.accel);
  result.memoryMiB = settings.memoryMiB ?? artifacts.memoryMiB ?? DEFAULT_MEMORY_MIB;
  // A KVM trial's verdict is remembered per host, kernel and guest: a known failure is not tried again.
  const verdicts = new KvmVerdicts(settings.cacheDir);
  const trialSubject: TrialSubject = { target: target.name, vmm: backend.name, artifacts, ...(result.vmmVersion ? { vmmVersion: result.vmmVersion } : {}) };
  const known = onKvmTrial(settings, result, backend) ? await verdicts.find(trialSubject) : undefined;
  if (known && !known.kvmWorks) {
    log.warn(
      `${target.name} on ${backend.name}: KVM cannot run this guest here, as the KVM trial of ${known.triedAt} found (${known.reason}); ` +
        `--accel auto measures it under TCG (delete ${verdicts.file} to try KVM again)`,
    );
    underTcgInstead(result, bootArgsUnder, `KVM cannot run this guest here (KVM trial of ${known.triedAt}: ${known.reason})`);
  }
  return { entry, result, boot: { artifacts, bootArgsUnder, verdicts, trialSubject } };
}

/** Under auto, a target's first boot on KVM also tests whether KVM can run it at all. */
function onKvmTrial(settings: RunSettings, result: EntryResult, backend: PlanEntry["backend"]): boolean {
  return settings.accel === "auto" && result.accel === "kvm" && result.iterations.length === 0 && (!backend.accels || backend.accels.includes("tcg"));
}

function underTcgInstead(result: EntryResult, bootArgsUnder: (accel: Accel) => string, warning: string): void {
  result.warnings.push(`${warning}; measured under TCG`);
  result.accel = "tcg";
  result.bootArgs = bootArgsUnder("tcg");
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
  callbacks: RunCallbacks,
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
  callbacks.onMeasuringStart?.();
  let done = 0;
  for (let step = schedule.next(); step; step = schedule.next()) {
    const pair = pairs[step.pair]!;
    const outcome = await runPairIteration(pair, step, settings, log, monitor, signal);
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
    callbacks.onIteration?.(pair.entry, record, pair.result.iterations.filter((r) => !r.warmup), { done, atMost: done + schedule.stepsLeftAtMost() });
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
): Promise<"measured" | "restart" | "failed"> {
  const { entry, result } = pair;
  const { target, backend } = entry;
  const { artifacts, bootArgsUnder, verdicts, trialSubject } = pair.boot!;
  const trial = onKvmTrial(settings, result, backend);
  if (step.round > 0) log.info(`Round ${step.round}: ${target.name} on ${backend.name}`);
  const startedAt = new Date().toISOString();
  let measurement: IterationMeasurement;
  try {
    measurement = await runIteration({
      backend,
      launch: {
        artifacts,
        bootArgs: result.bootArgs!,
        memoryMiB: result.memoryMiB!,
        vcpus: settings.vcpus,
        accel: result.accel!,
        ...(settings.cpu ? { cpu: settings.cpu } : {}),
        ...(settings.bootTimer ? { bootTimer: true } : {}),
        ...(settings.pinCpus ? { pinCpus: settings.pinCpus } : {}),
      },
      readyMarker: artifacts.readyMarker,
      ...(artifacts.guestReportedBoot ? { guestReportedBoot: artifacts.guestReportedBoot } : {}),
      // A hang on the KVM trial must not cost the whole --timeout.
      timeoutMs: trial ? Math.min(settings.timeoutMs, KVM_TRIAL_TIMEOUT_MS) : settings.timeoutMs,
      monitor,
      log,
      ...(signal ? { signal } : {}),
      onBooted: step.warmup ? undefined : () => log.info("Unikernel booted, waiting for execution to end..."),
    });
  } catch (error) {
    if (trial && !(error instanceof InterruptedError)) {
      // "auto" promises KVM when it works. Under nested virtualization KVM
      // may run a tiny guest but not this one (an internal error, or a
      // silent hang): measure this target under TCG, from the start, and say so.
      const why = error instanceof KvmInternalError ? "a KVM internal error" : (error as Error).message.split("\n")[0]!;
      log.warn(`${target.name} on ${backend.name}: KVM could not run this guest (${why}); --accel auto measures it under TCG instead`);
      underTcgInstead(result, bootArgsUnder, `KVM could not run this guest (${why})`);
      await verdicts.record(trialSubject, false, why);
      return "restart";
    }
    fail(result, error, log, signal);
    return "failed";
  }
  if (trial) await verdicts.record(trialSubject, true);
  const { commandLine, ...measured } = measurement;
  result.commandLine = commandLine;
  const record: IterationRecord = { index: result.iterations.length, warmup: step.warmup, startedAt, ...measured };
  result.iterations.push(record);
  if (!step.warmup) logSeedLines(log, record, result.image!);
  return "measured";
}

/** The pair's last words: interrupted or not, its precision, what to be wary of. */
function finishPair(pair: PairRun, settings: RunSettings, log: Logger, signal: AbortSignal | undefined): EntryResult {
  const { result, entry } = pair;
  const { target, backend } = entry;
  if (result.status === "ok" && pair.unfinished && signal?.aborted) fail(result, new InterruptedError(), log, signal);
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
    const achieved = precision.halfWidthPercent === undefined ? "there is no interval yet (fewer than 6 iterations)" : `it is ±${precision.halfWidthPercent.toFixed(1)}%`;
    if (precision.reached) {
      log.info(`${target.name} on ${backend.name}: median boot time within ±${settings.precisionPercent}% (95% CI) after ${measured.length} iterations`);
    } else if (result.status === "ok") {
      result.warnings.push(
        `--precision ±${settings.precisionPercent}%: not reached after ${measured.length} iterations (the --max-iterations limit); ` +
          `the 95% interval of the median boot time: ${achieved}. Raise --max-iterations, or quieten the host.`,
      );
    }
  }
  if (measured.some((r) => !r.peakRssExact)) {
    result.warnings.push("the VMM exited before its final peak memory could be read: peak memory is the last sample's, up to one sample interval old");
  }
  if (settings.bootTimer && measured.some((r) => r.vmmReportedBootNs === undefined)) {
    const why = !backend.bootTimerAddress
      ? `${backend.name} has no boot-timer device`
      : !pair.boot?.artifacts.bootTimerArg
        ? `${target.name} does not write to ${backend.name}'s boot-timer device`
        : `${backend.name} logged no boot time`;
    result.warnings.push(`--boot-timer: some iterations have no VMM-reported boot time (${why})`);
  }
  return result;
}

/**
 * Everything before the first boot: the VMM and the target available here, the
 * artifacts built, the VMM's version, the image size, the accelerator. Returns
 * nothing when the entry ends here, `result` then saying why (skipped or failed).
 */
async function prepareEntry(
  entry: PlanEntry,
  settings: RunSettings,
  result: EntryResult,
  log: Logger,
  signal: AbortSignal | undefined,
): Promise<{ artifacts: BootArtifacts; accel: Accel } | undefined> {
  const { target, backend } = entry;
  const skip = (reason: string | undefined): undefined => {
    result.status = entry.implicit ? "unavailable" : "skipped";
    result.error = reason ?? "not available on this host";
    if (entry.implicit) log.info(`${target.name} on ${backend.name} is not available here: ${result.error}`);
    else log.warn(`Skipping ${target.name} on ${backend.name}: ${result.error}`);
    return undefined;
  };
  const vmmAvailability = await backend.checkAvailable();
  // A VMM missing from the host may come with the target's artifacts: build them first.
  if (!vmmAvailability.available && !vmmAvailability.artifactsMayProvide) return skip(vmmAvailability.reason);
  const targetAvailability = await target.checkAvailable();
  if (!targetAvailability.available) return skip(targetAvailability.reason);
  let artifacts: BootArtifacts;
  let accel: Accel;
  try {
    artifacts = await target.build({
      vmm: backend.name,
      workload: settings.workload,
      cacheDir: settings.cacheDir,
      log,
      ...(signal ? { signal } : {}),
      ...(settings.clearCache ? { clearCache: true } : {}),
      ...(settings.sourcesMirror ? { sourcesMirror: settings.sourcesMirror } : {}),
    });
    result.warnings.push(...(artifacts.buildNotes ?? []));
    if (!vmmAvailability.available) {
      const withArtifacts = await backend.checkAvailable(artifacts);
      if (!withArtifacts.available) return skip(withArtifacts.reason);
    }
    result.vmmVersion = await backend.version(artifacts);
    result.image = await measureImageSize(artifacts);
    accel = await resolveAccel(settings.accel);
  } catch (error) {
    fail(result, error, log, signal);
    return undefined;
  }
  if (backend.accels && !backend.accels.includes(accel)) {
    const why = settings.accel === "tcg" ? "--accel tcg was requested" : "KVM cannot be used on this host";
    return skip(`${backend.name} runs guests only under ${backend.accels.join(" or ")}, and ${why}`);
  }
  return { artifacts, accel };
}

function fail(result: EntryResult, error: unknown, log: Logger, signal?: AbortSignal): EntryResult {
  if (error instanceof InterruptedError || signal?.aborted) {
    result.status = "interrupted";
    result.error = "interrupted by the user";
    log.warn(`${result.target} on ${result.vmm}: interrupted; keeping the ${result.iterations.length} iteration(s) measured so far`);
    return result;
  }
  result.status = "failed";
  result.error = error instanceof Error ? error.message : String(error);
  log.error(`${result.target} on ${result.vmm} failed: ${result.error}`);
  return result;
}

/** The seed's per-run lines, in its order and units. */
function logSeedLines(log: Logger, record: IterationRecord, image: ImageSize): void {
  log.info(`Time to run: ${nsToMs(record.runNs).toFixed(2)}ms`);
  log.info(`Time to boot: ${nsToMs(record.bootNs).toFixed(2)}ms`);
  if (record.vmmReportedBootNs !== undefined) log.info(`Time to boot as the VMM measured it: ${nsToMs(record.vmmReportedBootNs).toFixed(2)}ms`);
  if (record.guestReportedBootNs !== undefined) log.info(`Time to boot as the guest reported it: ${nsToMs(record.guestReportedBootNs).toFixed(2)}ms`);
  log.info(`Image size: ${(image.sizeBytes / 2 ** 20).toFixed(2)}MiB`);
  log.info(`Total memory usage: ${(record.peakRssBytes / 2 ** 20).toFixed(2)}MiB`);
}
