// One measured boot: a VM launched paused, its boot signal, the instant its
// readiness probe saw it ready, its end, its peak memory, and what the guest
// said of its own boot. The VM cleans up after itself, whatever happens.
import type { Logger } from "../../log/logger.js";
import type { MemoryMonitor, MemoryReport } from "../measure/memory-monitor.js";
import type { Nanoseconds } from "../../clock.js";
import { FirstAnswerProbe } from "../probes/first-answer-probe.js";
import type { ReadinessProbe } from "../probes/readiness-probe.js";
import { HTTP_GUEST_PORT, type GuestReportedBoot } from "../targets/types.js";
import type { IterationMeasurement } from "../types.js";
import { Deadline } from "../vm/deadline.js";
import { InterruptedError } from "../vm/interrupted-error.js";
import { Vm, type VmLaunch } from "../vm/vm.js";
import type { VmmBackend } from "../vmm/types.js";
import { loadServer, servingMeasurement, servingTimeMs, type ServedLoad, type ServingSettings } from "./serving.js";

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
  /** The guest is a server (the http workload): its first answer is timed, then it is loaded and stopped. */
  serving?: ServingSettings;
}

const FIRST_ANSWER = "first answer";

export async function runIteration(request: IterationRequest): Promise<IterationMeasurement> {
  if (request.signal?.aborted) throw new InterruptedError();
  const { serving } = request;
  // --timeout bounds the boot (and a server's first answer); a server's loads and its stop have their own bound.
  let deadline = new Deadline(request.timeoutMs, request.signal);
  const firstAnswer = serving ? new FirstAnswerProbe() : undefined;
  try {
    await using vm = await Vm.launch(
      {
        backend: request.backend,
        launch: request.launch,
        readiness: request.readiness,
        ...(firstAnswer ? { milestones: { [FIRST_ANSWER]: firstAnswer }, servedPort: HTTP_GUEST_PORT } : {}),
        ...(request.guestReportedBoot ? { guestReportedBoot: request.guestReportedBoot } : {}),
        monitor: request.monitor,
        log: request.log,
      },
      deadline,
    );
    const startNs = await vm.start();
    await vm.untilReady(deadline);
    request.onBooted?.();
    let served: { firstAnswerNs: Nanoseconds; load: ServedLoad } | undefined;
    if (serving) {
      const firstAnswerNs = await vm.untilMilestone(FIRST_ANSWER, deadline);
      deadline.dispose();
      deadline = new Deadline(servingTimeMs(serving), request.signal, "the warm-up and --load-duration, and 10 s for the stop");
      served = { firstAnswerNs, load: await loadServer(vm, serving, deadline) };
    }
    const end = await vm.untilEnd(deadline);
    const memory = await vm.stopMonitoring();
    await vm.stop();
    const guestReported = await vm.guestReportedBoot();
    if (served) await vm.consoleUntil(() => served.load.servedLine() !== undefined);
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
      ...(served ? { serving: servingMeasurement(served.load, { atNs: served.firstAnswerNs, probe: firstAnswer! }, startNs, memory, serving!) } : {}),
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
