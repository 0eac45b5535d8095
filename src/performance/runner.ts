// Runs the benchmark plan: for each target and VMM, build the artifacts, then
// warm-up and measured iterations. One failing target never stops the others;
// Ctrl-C stops everything and keeps what was measured.
import type { Logger } from "../log/logger.js";
import { nsToMs } from "./measure/clock.js";
import { measureImageSize, type ImageSize } from "./measure/image-size.js";
import { MemoryMonitor } from "./measure/memory-monitor.js";
import { InterruptedError, runIteration, type IterationMeasurement } from "./iteration.js";
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
}

export interface RunSettings {
  iterations: number;
  warmup: number;
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

export type EntryStatus = "ok" | "failed" | "skipped" | "interrupted";

export interface IterationRecord extends Omit<IterationMeasurement, "commandLine"> {
  /** 0-based, counting warm-up iterations first. */
  index: number;
  warmup: boolean;
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
  warnings: string[];
}

export interface RunCallbacks {
  /** After each iteration, measured or warm-up. */
  onIteration?(entry: PlanEntry, record: IterationRecord, measured: IterationRecord[], settings: RunSettings): void;
  /** When an entry starts and ends, e.g. to clear a progress bar. */
  onEntryStart?(entry: PlanEntry): void;
  onEntryEnd?(entry: PlanEntry, result: EntryResult): void;
}

export async function runPlan(
  plan: readonly PlanEntry[],
  settings: RunSettings,
  log: Logger,
  signal?: AbortSignal,
  callbacks: RunCallbacks = {},
): Promise<EntryResult[]> {
  const monitor = new MemoryMonitor(settings.sampleIntervalMs);
  const results: EntryResult[] = [];
  try {
    await monitor.warmUp();
    for (const entry of plan) {
      if (signal?.aborted) break;
      callbacks.onEntryStart?.(entry);
      const result = await runEntry(entry, settings, log, monitor, signal, callbacks);
      callbacks.onEntryEnd?.(entry, result);
      results.push(result);
    }
  } finally {
    await monitor.close();
  }
  return results;
}

async function runEntry(
  entry: PlanEntry,
  settings: RunSettings,
  log: Logger,
  monitor: MemoryMonitor,
  signal: AbortSignal | undefined,
  callbacks: RunCallbacks,
): Promise<EntryResult> {
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
  if (!prepared) return result;
  const { artifacts } = prepared;
  result.accel = prepared.accel;
  const bootTimerArg =
    settings.bootTimer && backend.bootTimerAddress && artifacts.bootTimerArg ? artifacts.bootTimerArg(backend.bootTimerAddress) : undefined;
  const bootArgsUnder = (accel: Accel): string =>
    [artifacts.bootArgs, accel === "tcg" ? artifacts.tcgBootArgs : undefined, bootTimerArg, settings.extraBootArgs].filter(Boolean).join(" ");
  result.bootArgs = bootArgsUnder(result.accel);
  result.memoryMiB = settings.memoryMiB ?? artifacts.memoryMiB ?? DEFAULT_MEMORY_MIB;

  const total = settings.warmup + settings.iterations;
  // Under auto, a target's first boot on KVM also tests whether KVM can run it at all.
  const onKvmTrial = (): boolean =>
    settings.accel === "auto" && result.accel === "kvm" && result.iterations.length === 0 && (!backend.accels || backend.accels.includes("tcg"));
  for (let index = 0; index < total; index++) {
    const warmup = index < settings.warmup;
    let measurement: IterationMeasurement;
    try {
      measurement = await runIteration({
        backend,
        launch: {
          artifacts,
          bootArgs: result.bootArgs,
          memoryMiB: result.memoryMiB,
          vcpus: settings.vcpus,
          accel: result.accel,
          ...(settings.cpu ? { cpu: settings.cpu } : {}),
          ...(settings.bootTimer ? { bootTimer: true } : {}),
        },
        readyMarker: artifacts.readyMarker,
        ...(artifacts.guestReportedBoot ? { guestReportedBoot: artifacts.guestReportedBoot } : {}),
        // A hang on the KVM trial must not cost the whole --timeout.
        timeoutMs: onKvmTrial() ? Math.min(settings.timeoutMs, KVM_TRIAL_TIMEOUT_MS) : settings.timeoutMs,
        monitor,
        log,
        ...(signal ? { signal } : {}),
        onBooted: warmup ? undefined : () => log.info("Unikernel booted, waiting for execution to end..."),
      });
    } catch (error) {
      if (onKvmTrial() && !(error instanceof InterruptedError)) {
        // "auto" promises KVM when it works. Under nested virtualization KVM
        // may run a tiny guest but not this one (an internal error, or a
        // silent hang): measure this target under TCG, from the start, and say so.
        const why = error instanceof KvmInternalError ? "a KVM internal error" : (error as Error).message.split("\n")[0];
        log.warn(`${target.name} on ${backend.name}: KVM could not run this guest (${why}); --accel auto measures it under TCG instead`);
        result.warnings.push(`KVM could not run this guest (${why}); measured under TCG`);
        result.accel = "tcg";
        result.bootArgs = bootArgsUnder("tcg");
        index = -1;
        continue;
      }
      return fail(result, error, log, signal);
    }
    const { commandLine, ...measured } = measurement;
    result.commandLine = commandLine;
    const record: IterationRecord = { index, warmup, ...measured };
    result.iterations.push(record);
    if (!warmup) logSeedLines(log, record, result.image!);
    callbacks.onIteration?.(entry, record, result.iterations.filter((r) => !r.warmup), settings);
  }
  if (result.iterations.some((r) => !r.peakRssExact && !r.warmup)) {
    result.warnings.push("the VMM exited before its final peak memory could be read: peak memory is the last sample's, up to one sample interval old");
  }
  if (settings.bootTimer && result.iterations.some((r) => !r.warmup && r.vmmReportedBootNs === undefined)) {
    const why = !backend.bootTimerAddress
      ? `${backend.name} has no boot-timer device`
      : !artifacts.bootTimerArg
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
    result.status = "skipped";
    result.error = reason ?? "not available on this host";
    log.warn(`Skipping ${target.name} on ${backend.name}: ${result.error}`);
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
