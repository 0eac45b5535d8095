// One measured boot: a VM launched paused, its boot signal, the instant its
// readiness probe saw it ready, its end, its peak memory, and what the guest
// said of its own boot. The VM cleans up after itself, whatever happens.
import type { Logger } from "../../log/logger.js";
import type { MemoryMonitor, MemoryReport } from "../measure/memory-monitor.js";
import type { Nanoseconds } from "../../clock.js";
import type { ReadinessProbe } from "../probes/readiness-probe.js";
import type { GuestReportedBoot } from "../targets/types.js";
import type { IterationMeasurement } from "../types.js";
import { Deadline } from "../vm/deadline.js";
import { InterruptedError } from "../vm/interrupted-error.js";
import { Vm, type VmLaunch } from "../vm/vm.js";
import type { VmmBackend } from "../vmm/types.js";

export interface IterationRequest {
  backend: VmmBackend;
  launch: VmLaunch;
  readiness: ReadinessProbe;
  /** Where the guest states its own boot time. */
  guestReportedBoot?: GuestReportedBoot;
  timeoutMs: number;
  monitor: MemoryMonitor;
  log: Logger;
  signal?: AbortSignal;
  /** Called once the guest is ready (the seed logs a line there). */
  onBooted?: () => void;
}

export async function runIteration(request: IterationRequest): Promise<IterationMeasurement> {
  if (request.signal?.aborted) throw new InterruptedError();
  const deadline = new Deadline(request.timeoutMs, request.signal);
  try {
    await using vm = await Vm.launch(
      {
        backend: request.backend,
        launch: request.launch,
        readiness: request.readiness,
        ...(request.guestReportedBoot ? { guestReportedBoot: request.guestReportedBoot } : {}),
        monitor: request.monitor,
        log: request.log,
      },
      deadline,
    );
    const startNs = await vm.start();
    await vm.untilReady(deadline);
    request.onBooted?.();
    const end = await vm.untilEnd(deadline);
    const memory = await vm.stopMonitoring();
    await vm.stop();
    const guestReported = await vm.guestReportedBoot();
    const reapedNs = await vm.reaped();
    return {
      vmmStartupNs: Number(vm.startupNs),
      bootNs: Number(vm.readyNs! - startNs),
      runNs: Number(end.atNs - startNs),
      peakRssBytes: memory.peakRssBytes,
      peakRssExact: memory.peakExact,
      guestEndReason: end.reason,
      ...(end.vmmReportedBootNs !== undefined ? { vmmReportedBootNs: end.vmmReportedBootNs } : {}),
      ...(guestReported && "ns" in guestReported ? { guestReportedBootNs: guestReported.ns } : {}),
      ...(guestReported && "absent" in guestReported ? { guestReportedBootAbsent: guestReported.absent } : {}),
      phasesNs: await vm.phases(reapedNs),
      memorySeries: relativeSeries(memory, startNs),
      commandLine: vm.commandLine,
    };
  } finally {
    deadline.dispose();
  }
}

function relativeSeries(memory: MemoryReport, startNs: Nanoseconds): IterationMeasurement["memorySeries"] {
  return {
    offsetsNs: memory.sampleTimesNs.map((t) => Number(t - startNs)),
    rssBytes: memory.rssBytes,
  };
}
