// Everything before a pair's first boot: the VMM and the target available
// here, the artifacts built, the VMM's version, the image size, the
// accelerator, the boot arguments and memory, and a KVM verdict remembered
// from an earlier run. Performance and density prepare their pairs alike.
import type { Logger } from "../../log/logger.js";
import { KvmFallback } from "../kvm/kvm-fallback.js";
import { measureImageSize } from "../measure/image-size.js";
import type { PlanEntry } from "../plan.js";
import { DEFAULT_MEMORY_MIB, type RunSettings } from "../run-settings.js";
import type { BootArtifacts } from "../targets/types.js";
import type { EntryResult } from "../types.js";
import { resolveAccel } from "../vmm/accel.js";
import type { Accel } from "../vmm/types.js";
import type { VmLaunch } from "../vm/vm.js";
import { endedEarly } from "./entry-status.js";
import type { RunObserver } from "./run-observer.js";

/** One target on one VMM while the run goes on: its result so far and what its boots need. */
export interface PairRun {
  entry: PlanEntry;
  result: EntryResult;
  /** What its boots need; absent when the pair was left out or failed before its first boot. */
  boot?: {
    artifacts: BootArtifacts;
    kvm: KvmFallback;
  };
  /** Whether the schedule still had iterations for it when the run ended. */
  unfinished?: boolean;
}

export async function preparePair(
  entry: PlanEntry,
  settings: RunSettings,
  log: Logger,
  signal: AbortSignal | undefined,
  observer: RunObserver = {},
): Promise<PairRun> {
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
  observer.pairStarted?.(entry);
  const prepared = await prepareEntry(entry, settings, result, log, signal);
  if (!prepared) {
    if (result.status === "skipped" || result.status === "unavailable") observer.pairLeftOut?.(entry, result);
    else observer.pairFailed?.(entry, result, "0 iteration(s)");
    return { entry, result };
  }
  const { artifacts } = prepared;
  result.accel = prepared.accel;
  const bootTimerArg =
    settings.bootTimer && backend.bootTimerAddress && artifacts.bootTimerArg ? artifacts.bootTimerArg(backend.bootTimerAddress) : undefined;
  const bootArgsUnder = (accel: Accel): string =>
    [artifacts.bootArgs, accel === "tcg" ? artifacts.tcgBootArgs : undefined, bootTimerArg, settings.extraBootArgs].filter(Boolean).join(" ");
  result.bootArgs = bootArgsUnder(result.accel);
  result.memoryMiB = settings.memoryMiB ?? artifacts.memoryMiB ?? DEFAULT_MEMORY_MIB;
  const kvm = new KvmFallback(
    settings,
    backend,
    { target: target.name, vmm: backend.name, artifacts, ...(result.vmmVersion ? { vmmVersion: result.vmmVersion } : {}) },
    result,
    bootArgsUnder,
  );
  const fallback = await kvm.applyKnownVerdict();
  if (fallback) observer.kvmFallback?.(entry, fallback);
  return { entry, result, boot: { artifacts, kvm } };
}

/** How each of the pair's VMs is launched, under the accelerator it runs under now. */
export function vmLaunchOf(pair: PairRun, settings: RunSettings): VmLaunch {
  const { result } = pair;
  return {
    artifacts: pair.boot!.artifacts,
    bootArgs: result.bootArgs!,
    memoryMiB: result.memoryMiB!,
    vcpus: settings.vcpus,
    accel: result.accel!,
    ...(settings.cpu ? { cpu: settings.cpu } : {}),
    ...(settings.bootTimer ? { bootTimer: true } : {}),
    ...(settings.pinCpus ? { pinCpus: settings.pinCpus } : {}),
  };
}

/** Returns nothing when the entry ends here, `result` then saying why (left out or failed). */
async function prepareEntry(
  entry: PlanEntry,
  settings: RunSettings,
  result: EntryResult,
  log: Logger,
  signal: AbortSignal | undefined,
): Promise<{ artifacts: BootArtifacts; accel: Accel } | undefined> {
  const { target, backend } = entry;
  const leaveOut = (reason: string | undefined): undefined => {
    result.status = entry.implicit ? "unavailable" : "skipped";
    result.error = reason ?? "not available on this host";
    return undefined;
  };
  const vmmAvailability = await backend.checkAvailable();
  // A VMM missing from the host may come with the target's artifacts: build them first.
  if (!vmmAvailability.available && !vmmAvailability.artifactsMayProvide) return leaveOut(vmmAvailability.reason);
  const targetAvailability = await target.checkAvailable();
  if (!targetAvailability.available) return leaveOut(targetAvailability.reason);
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
      if (!withArtifacts.available) return leaveOut(withArtifacts.reason);
    }
    result.vmmVersion = await backend.version(artifacts);
    result.image = await measureImageSize(artifacts);
    accel = await resolveAccel(settings.accel);
  } catch (error) {
    endedEarly(result, error, signal);
    return undefined;
  }
  if (backend.accels && !backend.accels.includes(accel)) {
    const why = settings.accel === "tcg" ? "--accel tcg was requested" : "KVM cannot be used on this host";
    return leaveOut(`${backend.name} runs guests only under ${backend.accels.join(" or ")}, and ${why}`);
  }
  return { artifacts, accel };
}
