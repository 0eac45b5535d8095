// One run of `performance` or `density` (and of the kinds to come), the same
// way from its checked input to its exit code: the input checked before
// anything starts, the host looked at, the VMMs and the tool pinned apart,
// what killed runs left behind removed, stop signals turned into an orderly
// stop, the host sampled between boots, and the run kept, printed and judged.
import type { Logger } from "../../log/logger.js";
import type { DensityObserver } from "../../performance/density/density-runner.js";
import { formatCpuList, pinThisProcess, type CpuPinning } from "../../performance/host/cpu-pinning.js";
import { hostFingerprint, type HostFingerprint } from "../../performance/host/host-fingerprint.js";
import { HostNoiseMonitor } from "../../performance/host/host-noise.js";
import { removeStaleWorkDirs } from "../../housekeeping/work-dir.js";
import type { StoredRun } from "../../results/store/stored-run.js";
import { hostWarnings } from "../../warnings/warnings.js";
import { EXIT_FAILED } from "../exit-codes.js";
import type { RunKeepingOptions, VmOptions } from "../performance.js";
import { keepAndPrintRun } from "./keep-run.js";
import { checkRunInput, type CheckedRunInput } from "./run-input.js";
import { logRunWarnings, runLog } from "./run-log.js";
import { abortOnStopSignals } from "./stop-signals.js";

/** What a run's results must say for its exit code. */
interface RunOutcome {
  interrupted: boolean;
  results: ReadonlyArray<{ target: string; vmm: string; status: string; warnings: readonly string[] }>;
}

export class RunSession {
  readonly startedAt = new Date();
  private interrupted = false;

  private constructor(
    readonly input: CheckedRunInput,
    private readonly log: Logger,
    private readonly noise: HostNoiseMonitor,
    private readonly warningsBefore: number,
  ) {}

  /** Checks the input (a UsageError, exit 2, before anything starts), looks at the host, pins the tool, removes what killed runs left. */
  static async open(targetSpecs: string[], options: VmOptions & RunKeepingOptions, log: Logger): Promise<RunSession> {
    const input = await checkRunInput(targetSpecs, options, log);
    const noise = new HostNoiseMonitor({ benchmarkCores: input.pinning ? input.pinning.vmmCpus.length : options.vcpus });
    const warningsBefore = noise.checkBefore();
    for (const warning of warningsBefore) log.warn(`Host: ${warning}`);
    if (input.pinning) await pinTool(input.pinning, log);
    for (const dir of await removeStaleWorkDirs()) log.info(`Removed ${dir}, left behind by a run that was killed`);
    return new RunSession(input, log, noise, warningsBefore.length);
  }

  /**
   * What the run tells as it goes: the seed's lines, and the host sampled
   * between boots (never while a guest is timed), with any other observers'.
   */
  observer(...others: DensityObserver[]): DensityObserver {
    const sample = (): void => this.noise.sample();
    return combine([runLog(this.log), { measuringStarted: () => this.noise.startMeasuring(), iterationMeasured: sample, levelMeasured: sample }, ...others]);
  }

  /** Runs `measure` with a signal that the stop signals abort (`onStop` first). */
  async measure<T>(onStop: () => void, measure: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const interrupt = abortOnStopSignals(() => {
      this.interrupted = true;
      onStop();
    });
    try {
      return await measure(interrupt.signal);
    } finally {
      interrupt.release();
    }
  }

  get wasInterrupted(): boolean {
    return this.interrupted;
  }

  /** The host as the run saw it, what else it was doing included; call once, when the measuring is over. */
  host(vmmVersions: Record<string, string>): Promise<HostFingerprint> {
    return hostFingerprint(vmmVersions, this.noise.finish());
  }

  /**
   * Every warning logged, the run kept (its file, the stores, its report) and
   * printed whatever happens; returns the exit code: 0 when everything that
   * could run here succeeded and was kept.
   */
  async keep(stored: StoredRun, outcome: RunOutcome, host: HostFingerprint, print: () => void): Promise<number> {
    logRunWarnings(this.log, outcome.results);
    for (const warning of host.noise?.warnings.slice(this.warningsBefore) ?? []) this.log.warn(`Host: ${warning}`);
    const kept = await keepAndPrintRun(this.input.resultsDir, stored, this.input.mysqlTarget, this.log, print);
    return allThatCouldRunSucceeded(outcome.results) && !outcome.interrupted && kept ? 0 : EXIT_FAILED;
  }
}

/** Pairs not available here do not count against a run, as long as something ran. */
export function allThatCouldRunSucceeded(entries: readonly { status: string }[]): boolean {
  return entries.some((e) => e.status === "ok") && entries.every((e) => e.status === "ok" || e.status === "unavailable");
}

/** The tool onto the CPUs the VMMs do not get, so that it never takes their time; with none left, it shares. */
async function pinTool(pinning: CpuPinning, log: Logger): Promise<void> {
  const vmmCpus = formatCpuList(pinning.vmmCpus);
  if (pinning.toolCpus.length === 0) {
    log.warn(hostWarnings.pinTakesAll(vmmCpus));
    return;
  }
  await pinThisProcess(pinning.toolCpus);
  log.info(`VMMs run on CPU(s) ${vmmCpus}, the tool on ${formatCpuList(pinning.toolCpus)}`);
}

/** One observer that calls each of `observers` in turn. */
function combine(observers: readonly DensityObserver[]): DensityObserver {
  const combined: Record<string, (...args: unknown[]) => void> = {};
  for (const observer of observers) {
    for (const [name, handler] of Object.entries(observer) as Array<[string, (...args: unknown[]) => void]>) {
      const before = combined[name];
      combined[name] = before ? (...args) => (before(...args), handler(...args)) : handler;
    }
  }
  return combined as DensityObserver;
}
