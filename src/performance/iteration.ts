// One measured boot: launch the VMM paused, start the guest, time the ready
// marker and the guest's end, read the peak memory, and clean up everything
// the boot created, whatever happens.
import type { Logger } from "../log/logger.js";
import { bootPhases, type BootPhasesNs } from "./measure/boot-phases.js";
import type { Nanoseconds } from "./measure/clock.js";
import type { MemoryMonitor, MemoryReport } from "./measure/memory-monitor.js";
import { ConsoleWatcher } from "./probes/console-watcher.js";
import type { GuestReportedBoot } from "./targets/types.js";
import type { GuestEnd, LaunchConfig, VmInstance, VmmBackend } from "./vmm/types.js";
import { createWorkDir, removeWorkDir } from "./work-dir.js";

/**
 * When the VMM reports the guest's end before the console's last bytes were
 * read (two pipes, no ordering between them), the marker may still be on its
 * way: wait this long for it before calling the boot a failure.
 */
const MARKER_GRACE_MS = 200;
/** How long the console may take to deliver its last lines once the VMM has exited. */
const CONSOLE_DRAIN_MS = 500;

const NS_PER_UNIT: Record<GuestReportedBoot["unit"], number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

function toNanoseconds(value: number, unit: GuestReportedBoot["unit"]): number {
  return Math.round(value * NS_PER_UNIT[unit]);
}

export interface IterationMeasurement {
  vmmStartupNs: number;
  bootNs: number;
  runNs: number;
  peakRssBytes: number;
  peakRssExact: boolean;
  guestEndReason: string;
  /** The boot time the VMM measured itself (Firecracker's boot timer), when it reported one. */
  vmmReportedBootNs?: number;
  /** The boot time the guest stated on its console, when it has a way to (BootArtifacts.guestReportedBoot). */
  guestReportedBootNs?: number;
  /** Where the iteration's time went, on the same clock as bootNs and runNs. */
  phasesNs: BootPhasesNs;
  /** RSS samples, as offsets from the boot clock's start (negative: before the boot). */
  memorySeries: { offsetsNs: number[]; rssBytes: number[] };
  commandLine: readonly string[];
}

export interface IterationRequest {
  backend: VmmBackend;
  launch: Omit<LaunchConfig, "workDir" | "log" | "signal">;
  readyMarker: string;
  /** Where the guest states its own boot time. */
  guestReportedBoot?: GuestReportedBoot;
  timeoutMs: number;
  monitor: MemoryMonitor;
  log: Logger;
  signal?: AbortSignal;
  /** Called once the ready marker was seen (the seed logs a line there). */
  onBooted?: () => void;
}

/** The iteration was stopped by the user (Ctrl-C). */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  constructor() {
    super("interrupted");
  }
}

/** The guest missed its deadline; the message says which step and shows the console. */
export class IterationTimeoutError extends Error {
  override readonly name = "IterationTimeoutError";
}

export async function runIteration(request: IterationRequest): Promise<IterationMeasurement> {
  const { backend, log, signal } = request;
  if (signal?.aborted) throw new InterruptedError();
  // Synchronous here and at the end: nothing else is under way then, and a
  // trip through libuv's thread pool would only add to every iteration.
  const workDir = createWorkDir();
  const stopWatch = new Deadline(request.timeoutMs, signal);
  let instance: VmInstance | undefined;
  let monitoring = false;
  try {
    instance = await stopWatch.race(
      backend.launch({ ...request.launch, workDir, log, signal: stopWatch.signal }),
      () => `${backend.name} did not become ready`,
    );
    const started = instance;
    const watcher = new ConsoleWatcher(started.console, {
      onLine: log.debugEnabled ? (line) => log.debug(`console: ${line}`) : undefined,
    });
    const ready = watcher.waitForMarker(request.readyMarker);
    const guestStatement = request.guestReportedBoot ? watcher.watchLine(new RegExp(request.guestReportedBoot.pattern)) : undefined;
    const firstOutput = watcher.waitForOutput();
    request.monitor.start(started.pid);
    monitoring = true;

    const startNs = await started.start();
    const readyAtNs = await readyTime(started, ready, stopWatch, request.readyMarker, watcher);
    request.onBooted?.();
    const end: GuestEnd = await stopWatch.race(
      started.guestEnded,
      () => "the guest booted but did not power off",
      () => watcher.tail(),
    );
    const readyNs = noLaterThanEnd(readyAtNs, end.atNs);
    const memory = await request.monitor.stop();
    monitoring = false;
    await started.stop();
    // A guest may state its boot time just before its end: read its console to the end (the VMM is gone).
    if (guestStatement && !guestStatement()) await Promise.race([watcher.ended, sleep(CONSOLE_DRAIN_MS)]);
    const statedBoot = guestStatement?.();
    const { atNs: reapedNs } = await started.exited;
    return {
      vmmStartupNs: Number(started.startupNs),
      bootNs: Number(readyNs - startNs),
      runNs: Number(end.atNs - startNs),
      peakRssBytes: memory.peakRssBytes,
      peakRssExact: memory.peakExact,
      guestEndReason: end.reason,
      ...(end.vmmReportedBootNs !== undefined ? { vmmReportedBootNs: end.vmmReportedBootNs } : {}),
      ...(statedBoot ? { guestReportedBootNs: toNanoseconds(Number(statedBoot[1]), request.guestReportedBoot!.unit) } : {}),
      // The marker's chunk is output too: the first output has arrived by now.
      phasesNs: bootPhases({ vmmStartupNs: started.startupNs, startNs, firstOutputNs: await firstOutput, readyNs, guestEndNs: end.atNs, reapedNs }),
      memorySeries: relativeSeries(memory, startNs),
      commandLine: started.commandLine,
    };
  } finally {
    stopWatch.dispose();
    if (monitoring) await request.monitor.stop().catch(() => undefined);
    if (instance) {
      instance.kill();
      await instance.exited.catch(() => undefined);
    }
    removeWorkDir(workDir);
  }
}

/**
 * When the ready marker arrived, racing it against the guest's end: a guest
 * that ends first may still have printed it (the console is another pipe),
 * so the marker gets a grace period before the boot counts as failed.
 */
export async function readyTime(
  instance: Pick<VmInstance, "guestEnded">,
  ready: Promise<Nanoseconds>,
  stopWatch: Deadline,
  readyMarker: string,
  watcher: ConsoleWatcher,
): Promise<Nanoseconds> {
  const bootEvent = await stopWatch.race(
    Promise.race([ready.then((atNs) => ({ kind: "ready" as const, atNs })), instance.guestEnded.then((end) => ({ kind: "ended" as const, end }))]),
    () => `the guest did not print the ready marker '${readyMarker}'`,
    () => watcher.tail(),
  );
  if (bootEvent.kind === "ready") return bootEvent.atNs;
  const late = await Promise.race([ready, sleep(MARKER_GRACE_MS)]);
  if (typeof late !== "bigint") {
    throw new Error(`the guest ended (${bootEvent.end.reason}) without printing the ready marker '${readyMarker}'` + consoleTail(watcher.tail()));
  }
  return noLaterThanEnd(late, bootEvent.end.atNs);
}

/**
 * The ready marker's time, capped at the guest's end. The marker was written
 * before the power-off, but console and QMP are two pipes with no order
 * between them: the end may be stamped first, the marker's chunk after it.
 */
export function noLaterThanEnd(readyNs: Nanoseconds, endNs: Nanoseconds): Nanoseconds {
  return readyNs < endNs ? readyNs : endNs;
}

function relativeSeries(memory: MemoryReport, startNs: Nanoseconds): IterationMeasurement["memorySeries"] {
  return {
    offsetsNs: memory.sampleTimesNs.map((t) => Number(t - startNs)),
    rssBytes: memory.rssBytes,
  };
}

export function consoleTail(lines: string[]): string {
  return lines.length ? `; last console lines:\n  ${lines.join("\n  ")}` : "; the console stayed empty";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One timeout for a whole iteration, plus Ctrl-C. Its signal aborts the VMM
 * launch; race() ends whichever step is awaited with the right error.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private timedOut = false;
  private readonly onUserAbort = (): void => this.controller.abort();

  constructor(
    private readonly timeoutMs: number,
    private readonly userSignal?: AbortSignal,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, timeoutMs);
    if (userSignal?.aborted) this.controller.abort();
    userSignal?.addEventListener("abort", this.onUserAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  race<T>(step: Promise<T>, describe: () => string, tail?: () => string[]): Promise<T> {
    const signal = this.controller.signal;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.timedOut) return reject(new InterruptedError());
        const seconds = (this.timeoutMs / 1000).toFixed(this.timeoutMs % 1000 ? 1 : 0);
        reject(new IterationTimeoutError(`${describe()} within the ${seconds} s timeout (--timeout)${tail ? consoleTail(tail()) : ""}`));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
      step.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.userSignal?.removeEventListener("abort", this.onUserAbort);
  }
}
