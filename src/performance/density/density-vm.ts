// One of the N VMs of a density level: launched paused, released with the
// others, timed to its ready marker and its end, then kept alive (QEMU's
// -no-shutdown) until the level's memory is read, and cleaned up whatever
// happens.
import type { Logger } from "../../log/logger.js";
import type { Nanoseconds } from "../measure/clock.js";
import { ConsoleWatcher } from "../probes/console-watcher.js";
import { Deadline, InterruptedError, noLaterThanEnd, readyTime } from "../iteration.js";
import type { LaunchConfig, VmInstance, VmmBackend } from "../vmm/types.js";
import { createWorkDir, removeWorkDir } from "../work-dir.js";
import type { ProcessMemory } from "./process-memory.js";

export type DensityVmStatus = "ok" | "failed" | "interrupted";

/** One VM's line in a level: what the JSON output's perVm holds. */
export interface DensityVmRecord {
  /** 1-based round of the level. */
  round: number;
  /** 0-based within the round, in launch order. */
  vm: number;
  status: DensityVmStatus;
  error?: string;
  vmmStartupMs?: number;
  /** From this VM's own boot signal to its ready marker. */
  bootMs?: number;
  /** From this VM's own boot signal to its guest's end. */
  runMs?: number;
  guestEndReason?: string;
  /** Read while all the level's VMMs were up (absent when this VMM had already exited). */
  rssBytes?: number;
  pssBytes?: number;
  ussBytes?: number;
  peakRssBytes?: number;
}

export interface DensityVmLaunch {
  backend: VmmBackend;
  launch: Omit<LaunchConfig, "workDir" | "log" | "signal">;
  readyMarker: string;
  /** For the VMM's launch; the level's deadline bounds the rest. */
  timeoutMs: number;
  log: Logger;
  signal?: AbortSignal;
}

export class DensityVm {
  private readonly workDir = createWorkDir();
  private instance?: VmInstance;
  private watcher?: ConsoleWatcher;
  private ready?: Promise<Nanoseconds>;
  private error?: unknown;
  startNs?: Nanoseconds;
  readyNs?: Nanoseconds;
  private endNs?: Nanoseconds;
  private endReason?: string;

  constructor(
    readonly index: number,
    private readonly request: DensityVmLaunch,
  ) {}

  /** Launched and waiting for its boot signal. */
  get paused(): boolean {
    return this.instance !== undefined && this.error === undefined;
  }

  get pid(): number | undefined {
    return this.instance?.pid;
  }

  get ok(): boolean {
    return this.error === undefined && this.endNs !== undefined;
  }

  /** Starts the VMM with the guest loaded, not running; a failure is kept as this VM's outcome. */
  async launch(): Promise<void> {
    const { backend, log } = this.request;
    const deadline = new Deadline(this.request.timeoutMs, this.request.signal);
    try {
      this.instance = await deadline.race(
        backend.launch({ ...this.request.launch, workDir: this.workDir, log, signal: deadline.signal }),
        () => `${backend.name} did not become ready`,
      );
      const prefix = `vm ${this.index} console: `;
      this.watcher = new ConsoleWatcher(this.instance.console, { onLine: log.debugEnabled ? (line) => log.debug(prefix + line) : undefined });
      this.ready = this.watcher.waitForMarker(this.request.readyMarker);
    } catch (error) {
      this.error = error;
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Sends the boot signal. Its clock reading is taken as the command leaves,
   * so that calling this for every VM in one go releases them together.
   */
  release(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return this.instance!.start().then(
      (startNs) => {
        this.startNs = startNs;
      },
      (error: unknown) => {
        this.error = error;
      },
    );
  }

  /** Waits for the ready marker and the guest's end, within the level's deadline. */
  async awaitEnd(deadline: Deadline): Promise<void> {
    if (this.startNs === undefined || this.error !== undefined) return;
    const instance = this.instance!;
    const watcher = this.watcher!;
    try {
      const readyNs = await readyTime(instance, this.ready!, deadline, this.request.readyMarker, watcher);
      const end = await deadline.race(instance.guestEnded, () => "the guest booted but did not power off", () => watcher.tail());
      this.readyNs = noLaterThanEnd(readyNs, end.atNs);
      this.endNs = end.atNs;
      this.endReason = end.reason;
    } catch (error) {
      this.error = error;
    }
  }

  record(round: number, memory: ProcessMemory | undefined): DensityVmRecord {
    const ms = (from: Nanoseconds | undefined, to: Nanoseconds | undefined): number | undefined =>
      from === undefined || to === undefined ? undefined : Number(to - from) / 1e6;
    const interrupted = this.error instanceof InterruptedError;
    const bootMs = ms(this.startNs, this.readyNs);
    const runMs = ms(this.startNs, this.endNs);
    return {
      round,
      vm: this.index,
      status: this.ok ? "ok" : interrupted ? "interrupted" : "failed",
      ...(this.error !== undefined ? { error: this.error instanceof Error ? this.error.message : String(this.error) } : {}),
      ...(this.instance ? { vmmStartupMs: Number(this.instance.startupNs) / 1e6 } : {}),
      ...(bootMs !== undefined ? { bootMs } : {}),
      ...(runMs !== undefined ? { runMs } : {}),
      ...(this.endReason ? { guestEndReason: this.endReason } : {}),
      ...(memory ?? {}),
    };
  }

  /** Ends the VMM (gracefully unless interrupted or failed) and removes its directory. */
  async dispose(): Promise<void> {
    try {
      if (this.instance) {
        if (this.ok && !this.request.signal?.aborted) await this.instance.stop().catch(() => this.instance!.kill());
        else this.instance.kill();
        await this.instance.exited.catch(() => undefined);
      }
    } finally {
      removeWorkDir(this.workDir);
    }
  }
}
