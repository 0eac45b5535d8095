// One guest on one VMM, its whole life in one place: launched paused from one
// launch configuration in a private work directory, its console watched and
// its memory sampled from the launch on, told to boot, watched until its
// readiness probe sees it ready and until it ends, stopped, and cleaned up
// whatever happens (dispose(), or `await using`). A performance iteration is
// one VM; a density level is N of them released together.
import type { Logger } from "../../log/logger.js";
import type { BootPhasesNs } from "../../vocabulary/boot-phases.js";
import { bootPhases } from "../measure/boot-phases.js";
import type { Nanoseconds } from "../../clock.js";
import type { MemoryMonitor, MemoryReport } from "../measure/memory-monitor.js";
import { ConsoleWatcher } from "../probes/console-watcher.js";
import { GuestReportedBootReader, type GuestReportedBootReading } from "../probes/guest-reported-boot.js";
import type { ReadinessProbe } from "../probes/readiness-probe.js";
import type { GuestReportedBoot } from "../targets/types.js";
import { launchWithFreeHostPort } from "../vmm/port-forward.js";
import type { GuestEnd, LaunchConfig, PortForward, ServiceAddress, VmInstance, VmmBackend } from "../vmm/types.js";
import { consoleTail, type Deadline } from "./deadline.js";
import { createWorkDir, removeWorkDir } from "../../housekeeping/work-dir.js";

/**
 * When the VMM reports the guest's end before the console's last bytes were
 * read (two pipes, no ordering between them), the readiness sign may still be
 * on its way: wait this long for it before calling the boot a failure.
 */
const READY_GRACE_MS = 200;
/** How long the console may take to deliver its last lines once the VMM has exited. */
const CONSOLE_DRAIN_MS = 500;

/** What the VMM is launched with; the VM adds its work directory, logger, deadline and network. */
export type VmLaunch = Omit<LaunchConfig, "workDir" | "log" | "signal" | "network">;

export interface VmConfig {
  backend: VmmBackend;
  launch: VmLaunch;
  /** How the guest shows it is ready (the console marker, an HTTP answer): the end of its boot. */
  readiness: ReadinessProbe;
  /** Further moments of the guest's life, watched from the launch as readiness is (a server's first answer), by name. */
  milestones?: Record<string, ReadinessProbe>;
  /** The port the guest serves on: the VMM forwards it from a free port of the host's loopback. */
  servedPort?: number;
  /** Where the guest states its own boot time, read beside the tool's. */
  guestReportedBoot?: GuestReportedBoot;
  /** Samples the VMM's memory from its launch until stopMonitoring(). */
  monitor?: MemoryMonitor;
  log: Logger;
  /** Put before each console line in the debug log ("vm 3 "), where several VMs share it. */
  name?: string;
}

export class Vm {
  readonly console: ConsoleWatcher;
  /** The boot signal's instant, once sent. */
  startNs?: Nanoseconds;
  /** When the probe saw the guest ready, never after its end. */
  readyNs?: Nanoseconds;
  end?: GuestEnd;
  private readonly ready: Promise<Nanoseconds>;
  private readonly milestones = new Map<string, Promise<Nanoseconds>>();
  private readonly firstOutput: Promise<Nanoseconds>;
  private readonly statement?: GuestReportedBootReader;
  private readonly probing = new AbortController();
  private readonly started: Promise<Nanoseconds>;
  private markStarted!: (atNs: Nanoseconds) => void;
  private monitoring = false;

  private constructor(
    private readonly config: VmConfig,
    private readonly instance: VmInstance,
    private readonly workDir: string,
    /** Where the tool reaches the guest's server, when it serves. */
    readonly service: ServiceAddress | undefined,
  ) {
    const { log, name = "" } = config;
    this.console = new ConsoleWatcher(instance.console, { onLine: log.debugEnabled ? (line) => log.debug(`${name}console: ${line}`) : undefined });
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    // Everything that reads the console listens before the boot signal.
    const probed = { console: this.console, started: this.started, ...(service ? { service } : {}) };
    this.ready = config.readiness.watch(probed, this.probing.signal);
    this.ready.catch(() => undefined);
    for (const [milestone, probe] of Object.entries(config.milestones ?? {})) {
      const reached = probe.watch(probed, this.probing.signal);
      reached.catch(() => undefined);
      this.milestones.set(milestone, reached);
    }
    this.firstOutput = this.console.waitForOutput();
    if (config.guestReportedBoot) this.statement = new GuestReportedBootReader(this.console, config.guestReportedBoot);
    if (config.monitor) {
      config.monitor.start(instance.pid);
      this.monitoring = true;
    }
  }

  /** Starts the VMM with the guest loaded, not running, in a work directory of its own; the deadline bounds the launch. */
  static async launch(config: VmConfig, deadline: Deadline): Promise<Vm> {
    const { backend, log } = config;
    // Synchronous here and in dispose(): nothing else is under way then, and
    // a trip through libuv's thread pool would only add to every boot.
    const workDir = createWorkDir();
    try {
      const launch = { ...config.launch, workDir, log, signal: deadline.signal };
      const launched: Promise<{ instance: VmInstance; network?: PortForward }> =
        config.servedPort === undefined ? backend.launch(launch).then((instance) => ({ instance })) : launchWithFreeHostPort(backend, launch, config.servedPort);
      const { instance, network } = await deadline.race(
        launched,
        () => `${backend.name} did not become ready`,
      );
      // A VMM says where its guest's server is reached; a forwarded port is on the loopback.
      const service = instance.service ?? (network ? { host: "127.0.0.1", port: network.hostPort } : undefined);
      return new Vm(config, instance, workDir, service);
    } catch (error) {
      removeWorkDir(workDir);
      throw error;
    }
  }

  get pid(): number {
    return this.instance.pid;
  }

  get commandLine(): readonly string[] {
    return this.instance.commandLine;
  }

  /** From spawning the VMM to its control channel being ready. */
  get startupNs(): Nanoseconds {
    return this.instance.startupNs;
  }

  /** Whether it booted and ended, with both instants known. */
  get completed(): boolean {
    return this.readyNs !== undefined && this.end !== undefined;
  }

  /**
   * The boot signal (QMP cont, InstanceStart). Its instant is taken as the
   * command leaves, so that starting N VMs in one go releases them together.
   */
  async start(): Promise<Nanoseconds> {
    const startNs = await this.instance.start();
    this.startNs = startNs;
    this.markStarted(startNs);
    return startNs;
  }

  /**
   * When the probe saw the guest ready, raced against the guest's end: a
   * guest that ends first may still have shown it (the console is another
   * pipe), so it gets a grace period before the boot counts as failed.
   */
  async untilReady(deadline: Deadline): Promise<Nanoseconds> {
    this.readyNs = await this.until(this.config.readiness, this.ready, deadline);
    return this.readyNs;
  }

  /** When the milestone's probe saw it, raced against the guest's end as readiness is. */
  untilMilestone(milestone: string, deadline: Deadline): Promise<Nanoseconds> {
    const reached = this.milestones.get(milestone);
    if (!reached) throw new Error(`the VM watches no milestone '${milestone}'`);
    return this.until(this.config.milestones![milestone]!, reached, deadline);
  }

  private async until(probe: ReadinessProbe, seen: Promise<Nanoseconds>, deadline: Deadline): Promise<Nanoseconds> {
    const tail = (): string[] => this.console.tail();
    const first = await deadline.race(
      Promise.race([seen.then((atNs) => ({ atNs })), this.instance.guestEnded.then((end) => ({ end }))]),
      () => probe.missed(),
      tail,
    );
    if ("atNs" in first) return first.atNs;
    const late = await Promise.race([seen, sleep(READY_GRACE_MS)]);
    if (typeof late !== "bigint") throw new Error(probe.endedWithout(first.end.reason) + consoleTail(tail()));
    return noLaterThanEnd(late, first.end.atNs);
  }

  /** The guest's end (its power-off), as the VMM reported it. */
  async untilEnd(deadline: Deadline): Promise<GuestEnd> {
    const end = await deadline.race(this.instance.guestEnded, () => "the guest booted but did not power off", () => this.console.tail());
    this.end = end;
    if (this.readyNs !== undefined) this.readyNs = noLaterThanEnd(this.readyNs, end.atNs);
    return end;
  }

  /** The VMM's peak memory and samples; exact while the VMM outlives its guest (QEMU's -no-shutdown). */
  async stopMonitoring(): Promise<MemoryReport> {
    if (!this.monitoring) throw new Error("this VM's memory is not being sampled");
    this.monitoring = false;
    return this.config.monitor!.stop();
  }

  /** Ends the VMM gracefully (QMP quit), killing it if it does not go in time. */
  async stop(): Promise<void> {
    await this.instance.stop();
  }

  /** What the guest stated of its own boot, read after stop(): it may state it just before its end. */
  async guestReportedBoot(): Promise<GuestReportedBootReading | undefined> {
    const statement = this.statement;
    if (!statement) return undefined;
    await this.consoleUntil(() => statement.stated);
    return statement.reading();
  }

  /**
   * Once the VMM is gone: waits for the console to deliver its last lines (it
   * is another pipe than the VMM's events) until `seen()` holds, or for a while.
   */
  async consoleUntil(seen: () => boolean): Promise<void> {
    if (!seen()) await Promise.race([this.console.ended, sleep(CONSOLE_DRAIN_MS)]);
  }

  /** The instant the VMM process was reaped. */
  async reaped(): Promise<Nanoseconds> {
    return (await this.instance.exited).atNs;
  }

  /** Where the time went, on one clock; after the guest ended and the VMM was reaped. */
  async phases(reapedNs: Nanoseconds): Promise<BootPhasesNs> {
    if (this.startNs === undefined || this.readyNs === undefined || !this.end) throw new Error("the VM has not completed");
    // The ready sign's chunk is output too: the first output has arrived by now.
    const firstOutputNs = await this.firstOutput;
    return bootPhases({ vmmStartupNs: this.startupNs, startNs: this.startNs, firstOutputNs, readyNs: this.readyNs, guestEndNs: this.end.atNs, reapedNs });
  }

  /** Kills the VMM if it still runs (a no-op after stop()), and removes everything the VM made. */
  async dispose(): Promise<void> {
    this.probing.abort();
    try {
      if (this.monitoring) await this.stopMonitoring().catch(() => undefined);
      this.instance.kill();
      await this.instance.exited.catch(() => undefined);
    } finally {
      removeWorkDir(this.workDir);
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/**
 * The ready instant, capped at the guest's end. The guest showed it before its
 * power-off, but console and VMM events are two pipes with no order between
 * them: the end may be stamped first, the ready sign's chunk after it.
 */
export function noLaterThanEnd(readyNs: Nanoseconds, endNs: Nanoseconds): Nanoseconds {
  return readyNs < endNs ? readyNs : endNs;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
