// A VMM backend that boots nothing: its guests take exactly the time a model
// says, on a simulated clock that the tool's monotonic clock reads (the test
// replaces process.hrtime.bigint with it). Time passes only when a simulated
// VMM says so, so a run's figures are the same on every machine, loaded or not.
// The memory monitor samples the test process itself (a real pid).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { vi } from "vitest";
import type { RunSettings } from "../../src/performance/run-settings.js";
import { READY_MARKER, type BootArtifacts, type TargetBuilder } from "../../src/performance/targets/types.js";
import type { GuestEnd, VmInstance, VmmBackend, VmmExit } from "../../src/performance/vmm/types.js";

/** The simulated monotonic clock, in ns, shared by every simulated VMM of a run like a host's. */
export class SimulatedClock {
  nowNs = 1_000_000_000n;
  private runStartNs: bigint | undefined;
  private launches = 0;

  /** A VMM launches: the simulated time since the run's first launch, and how many launches came before. */
  launch(): { sinceRunStartMs: number; launch: number } {
    this.runStartNs ??= this.nowNs;
    return { sinceRunStartMs: Number(this.nowNs - this.runStartNs) / 1e6, launch: this.launches++ };
  }

  advanceMs(ms: number): void {
    this.nowNs += BigInt(Math.round(ms * 1e6));
  }

  /** Makes the tool's clock (process.hrtime.bigint) this one until restore(). */
  install(): { restore: () => void } {
    const spy = vi.spyOn(process.hrtime, "bigint").mockImplementation(() => this.nowNs);
    return { restore: () => spy.mockRestore() };
  }
}

/** How long one boot takes, given the simulated time since the run's first launch and the launches before it. */
export type BootModel = (sinceRunStartMs: number, launch: number) => number;

export interface SimulatedPhasesMs {
  startupMs: number;
  /** From the boot signal to the first console output, as a share of the boot. */
  firstOutputShare: number;
  readyToEndMs: number;
  reapMs: number;
}

const PHASES: SimulatedPhasesMs = { startupMs: 5, firstOutputShare: 0.25, readyToEndMs: 1, reapMs: 2 };

/** Lets the stream's data events and promise callbacks run before the clock moves on. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class SimulatedVmm implements VmmBackend {
  constructor(
    readonly name: string,
    private readonly clock: SimulatedClock,
    private readonly bootMs: BootModel,
    private readonly phases: SimulatedPhasesMs = PHASES,
  ) {}

  async checkAvailable() {
    return { available: true };
  }

  async version(): Promise<string> {
    return "simulated 1.0";
  }

  async launch(): Promise<VmInstance> {
    const { sinceRunStartMs, launch } = this.clock.launch();
    const bootMs = this.bootMs(sinceRunStartMs, launch);
    this.clock.advanceMs(this.phases.startupMs);
    return new SimulatedInstance(this.clock, BigInt(Math.round(this.phases.startupMs * 1e6)), bootMs, this.phases);
  }
}

class SimulatedInstance implements VmInstance {
  readonly pid = process.pid;
  readonly commandLine = ["simulated-vmm"];
  readonly console = new PassThrough();
  readonly outlivesGuest = true;
  readonly guestEnded: Promise<GuestEnd>;
  readonly exited: Promise<VmmExit>;
  private endGuest!: (end: GuestEnd) => void;
  private reaped!: (exit: VmmExit) => void;

  constructor(
    private readonly clock: SimulatedClock,
    readonly startupNs: bigint,
    private readonly bootMs: number,
    private readonly phases: SimulatedPhasesMs,
  ) {
    this.guestEnded = new Promise((resolve) => (this.endGuest = resolve));
    this.exited = new Promise((resolve) => (this.reaped = resolve));
  }

  stderrText(): string {
    return "";
  }

  async start(): Promise<bigint> {
    const startNs = this.clock.nowNs;
    void this.boot();
    return startNs;
  }

  private async boot(): Promise<void> {
    await settle();
    this.clock.advanceMs(this.bootMs * this.phases.firstOutputShare);
    this.console.write("simulated firmware\n");
    await settle();
    this.clock.advanceMs(this.bootMs * (1 - this.phases.firstOutputShare));
    this.console.write(`${READY_MARKER}\n`);
    await settle();
    this.clock.advanceMs(this.phases.readyToEndMs);
    this.endGuest({ atNs: this.clock.nowNs, reason: "guest-shutdown" });
  }

  async stop(): Promise<void> {
    this.clock.advanceMs(this.phases.reapMs);
    this.reaped({ code: 0, signal: null, atNs: this.clock.nowNs });
  }

  kill(): void {
    this.reaped({ code: null, signal: "SIGKILL", atNs: this.clock.nowNs });
  }
}

/** A target whose one artifact is a small file (for the image size); remove() deletes it. */
export function simulatedTarget(name: string): TargetBuilder & { remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "simulated-target-"));
  const kernelPath = path.join(dir, `${name}.elf`);
  writeFileSync(kernelPath, Buffer.alloc(4096));
  const artifacts: BootArtifacts = { kernelPath, bootArgs: "", readyMarker: READY_MARKER };
  return {
    name,
    workloads: ["hello"],
    checkAvailable: async () => ({ available: true }),
    build: async () => artifacts,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function simulatedSettings(overrides: Partial<RunSettings> = {}): RunSettings {
  return { iterations: 10, warmup: 1, accel: "tcg", vcpus: 1, workload: "hello", timeoutMs: 10_000, cacheDir: os.tmpdir(), ...overrides };
}
