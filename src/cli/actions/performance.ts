// What `benchmark-tool performance` does (src/cli/performance.ts defines its options).
import path from "node:path";
import { createLogger, type Logger } from "../../log/logger.js";
import { outputWidth } from "../../output/text-table.js";
import { createCatalog } from "../../performance/catalog.js";
import { CpuListError, formatCpuList, pinThisProcess, planPinning, usableCpus, type CpuPinning } from "../../performance/host/cpu-pinning.js";
import { HostNoiseMonitor } from "../../performance/host/host-noise.js";
import { DEFAULT_SAMPLE_INTERVAL_MS } from "../../performance/measure/memory-monitor.js";
import { randomSeed } from "../../performance/schedule/iteration-schedule.js";
import { SOURCES_MIRROR_ENV, mirrorProblem, sourcesMirrorFrom } from "../../performance/targets/sources/mirror.js";
import { PlanError, resolvePlan, type Plan } from "../../performance/plan.js";
import { runPlan, type RunSettings } from "../../performance/runner.js";
import { resolveAccel } from "../../performance/vmm/accel.js";
import { findOnPath } from "../../performance/vmm/find-binary.js";
import { TASKSET } from "../../performance/vmm/vmm-processes.js";
import { removeStaleWorkDirs } from "../../performance/work-dir.js";
import { EXPORTERS } from "../../results/export/formats.js";
import { phaseRows } from "../../results/export/phase-rows.js";
import { hostFingerprint } from "../../results/host.js";
import { resolveResultsDir } from "../../results/paths.js";
import { buildRunDocument, summarizeEntry } from "../../results/performance-run.js";
import { newRunId } from "../../results/run-id.js";
import { performanceStoredRun } from "../../results/store/stored-run.js";
import { BenchmarkProgress } from "../benchmark-progress.js";
import { EXIT_FAILED, UsageError } from "../exit-codes.js";
import { keepAndPrintRun } from "../keep-run.js";
import { mysqlTargetOrUsageError } from "../mysql-options.js";
import type { MysqlTarget } from "../../results/store/mysql-target.js";
import { checkPerformanceInput } from "../performance-checks.js";
import { resolveCacheDir } from "../cache-dir.js";
import { DEFAULT_MAX_ITERATIONS, type PerformanceOptions, type RunKeepingOptions, type VmOptions } from "../performance.js";

/** The fewest iterations with a 95% confidence interval of the median. */
const MIN_ITERATIONS_FOR_MEDIAN_CI = 6;
const STOP_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** --precision and --max-iterations together, checked before anything runs. */
function maxIterationsOf(options: PerformanceOptions): number | undefined {
  if (options.precision === undefined) {
    if (options.maxIterations !== undefined) throw new UsageError("--max-iterations applies only with --precision; without it, -n is the exact count");
    return undefined;
  }
  const max = options.maxIterations ?? Math.max(DEFAULT_MAX_ITERATIONS, options.iterations);
  if (max < options.iterations) throw new UsageError(`--max-iterations (${max}) must be at least -n (${options.iterations}), the fewest iterations each pair gets`);
  if (max < MIN_ITERATIONS_FOR_MEDIAN_CI) {
    throw new UsageError(`--max-iterations must be at least ${MIN_ITERATIONS_FOR_MEDIAN_CI} with --precision: with fewer, the median boot time has no 95% confidence interval`);
  }
  return max;
}

/** --pin checked against this host's CPUs, before anything runs. */
async function pinningOf(options: VmOptions): Promise<CpuPinning | undefined> {
  if (options.pin === undefined) return undefined;
  if (!(await findOnPath(TASKSET))) throw new UsageError(`--pin needs ${TASKSET}, which was not found: install util-linux ('sudo apt-get install util-linux')`);
  try {
    return planPinning(options.pin, await usableCpus());
  } catch (error) {
    if (error instanceof CpuListError) throw new UsageError(`--pin ${options.pin}: ${error.message}`);
    throw error;
  }
}

/** What performance and density resolve and check alike, before anything runs. */
export interface CheckedRunInput {
  plan: Plan;
  resultsDir: string;
  cacheDir: string;
  sourcesMirror?: string;
  pinning?: CpuPinning;
  mysqlTarget?: MysqlTarget;
}

/** The targets, VMMs and options checked: bad input is a UsageError (exit 2) before anything is built or started. */
export async function checkRunInput(targetSpecs: string[], options: VmOptions & RunKeepingOptions, log: Logger): Promise<CheckedRunInput> {
  const mysqlTarget = mysqlTargetOrUsageError(options);
  const pinning = await pinningOf(options);
  const catalog = createCatalog(options.firecrackerBin ? { firecrackerBinary: options.firecrackerBin } : {});
  let plan;
  try {
    plan = resolvePlan(targetSpecs, options.vmm, options.workload, catalog);
  } catch (error) {
    if (error instanceof PlanError) throw new UsageError(error.message);
    throw error;
  }
  if (options.accel === "kvm") {
    try {
      await resolveAccel("kvm");
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const resultsDir = resolveResultsDir(options.resultsDir);
  const cacheDir = resolveCacheDir(options.cacheDir);
  await checkPerformanceInput(plan, {
    ...(options.memory !== undefined ? { memory: options.memory } : {}),
    ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
    accel: options.accel,
    resultsDir,
    cacheDir,
    ...(options.firecrackerBin !== undefined ? { firecrackerBin: options.firecrackerBin } : {}),
  });
  for (const why of plan.leftOut) log.info(`Leaving out ${why}`);
  const sourcesMirror = sourcesMirrorFrom(options.sourcesMirror);
  const mirrorIssue = sourcesMirror === undefined ? undefined : mirrorProblem(sourcesMirror);
  if (mirrorIssue) throw new UsageError(`${mirrorIssue} (--sources-mirror or $${SOURCES_MIRROR_ENV}): give a directory laid out as <host>/<path> of each upstream URL`);
  return {
    plan,
    resultsDir,
    cacheDir,
    ...(sourcesMirror ? { sourcesMirror } : {}),
    ...(pinning ? { pinning } : {}),
    ...(mysqlTarget ? { mysqlTarget } : {}),
  };
}

/** How each VM runs, as RunSettings has it. */
export function vmRunSettings(options: VmOptions & RunKeepingOptions, input: CheckedRunInput): Omit<RunSettings, "iterations" | "warmup"> {
  return {
    ...(input.pinning ? { pinCpus: formatCpuList(input.pinning.vmmCpus) } : {}),
    accel: options.accel,
    ...(options.memory ? { memoryMiB: options.memory } : {}),
    vcpus: options.vcpus,
    ...(options.cpu ? { cpu: options.cpu } : {}),
    workload: options.workload,
    timeoutMs: options.timeout * 1000,
    ...(options.bootArgs ? { extraBootArgs: options.bootArgs } : {}),
    cacheDir: input.cacheDir,
    ...(options.clearCache ? { clearCache: true } : {}),
    ...(input.sourcesMirror ? { sourcesMirror: input.sourcesMirror } : {}),
    sampleIntervalMs: DEFAULT_SAMPLE_INTERVAL_MS,
  };
}

/** How each VM ran, as the run document's config records it. */
export function vmRunConfig(options: VmOptions, pinning: CpuPinning | undefined) {
  return {
    ...(pinning ? { pin: { vmmCpus: formatCpuList(pinning.vmmCpus), ...(pinning.toolCpus.length ? { toolCpus: formatCpuList(pinning.toolCpus) } : {}) } } : {}),
    accel: options.accel,
    ...(options.memory ? { memoryMiB: options.memory } : {}),
    vcpus: options.vcpus,
    workload: options.workload,
    timeoutSeconds: options.timeout,
    ...(options.bootArgs ? { bootArgs: options.bootArgs } : {}),
  };
}

/**
 * Ctrl-C, kill, or the terminal closing abort the returned signal: the VMMs
 * run in their own process group and would not get the signal themselves, so
 * the tool stops them. Call release() once the run is over.
 */
export function abortOnStopSignals(onStop: () => void): { signal: AbortSignal; release: () => void } {
  const interrupt = new AbortController();
  const onStopSignal = (): void => {
    if (interrupt.signal.aborted) return;
    onStop();
    interrupt.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onStopSignal);
  return { signal: interrupt.signal, release: () => STOP_SIGNALS.forEach((signal) => process.off(signal, onStopSignal)) };
}

export async function runPerformance(targetSpecs: string[], options: PerformanceOptions): Promise<number> {
  const progress = new BenchmarkProgress(options.precision !== undefined);
  const log = createLogger({ debug: options.debug, beforeWrite: () => progress.line.clear(), status: progress.line });
  const maxIterations = maxIterationsOf(options);
  const input = await checkRunInput(targetSpecs, options, log);
  const { plan, resultsDir, pinning, mysqlTarget } = input;
  const noise = new HostNoiseMonitor({ benchmarkCores: pinning ? pinning.vmmCpus.length : options.vcpus });
  const warningsBefore = noise.checkBefore();
  for (const warning of warningsBefore) log.warn(`Host: ${warning}`);
  if (pinning) await pinTool(pinning, log);

  const runSeed = options.seed ?? randomSeed();
  if (options.order === "interleaved") log.info(`Interleaved order, seed ${runSeed} (--seed ${runSeed} repeats it)`);
  const settings: RunSettings = {
    ...vmRunSettings(options, input),
    iterations: options.iterations,
    warmup: options.warmup,
    order: options.order,
    seed: runSeed,
    ...(options.precision !== undefined ? { precisionPercent: options.precision, maxIterations } : {}),
    ...(options.bootTimer ? { bootTimer: true } : {}),
  };

  for (const dir of await removeStaleWorkDirs()) log.info(`Removed ${dir}, left behind by a run that was killed`);

  const interrupt = abortOnStopSignals(() => {
    progress.end();
    log.warn("Interrupted: stopping the VMMs and keeping the results measured so far");
  });
  const startedAt = new Date();
  let entries;
  try {
    entries = await runPlan(plan.entries, settings, log, interrupt.signal, {
      onEntryStart: (entry) => progress.start(entry),
      onMeasuringStart: () => {
        noise.startMeasuring();
        progress.measuring();
      },
      onIteration: (entry, record, measured, runProgress) => {
        noise.sample();
        progress.iteration(entry, record, measured, runProgress);
      },
    });
  } finally {
    interrupt.release();
    progress.end();
  }

  const summarized = entries.map(summarizeEntry);
  const vmmVersions = Object.fromEntries(summarized.flatMap((e) => (e.vmmVersion ? [[e.vmm, e.vmmVersion]] : [])));
  const hostNoise = noise.finish();
  const run = buildRunDocument({
    runId: newRunId(startedAt),
    startedAt,
    finishedAt: new Date(),
    host: await hostFingerprint(vmmVersions, hostNoise),
    config: {
      targets: targetSpecs,
      ...(options.vmm ? { vmms: options.vmm } : {}),
      iterations: options.iterations,
      warmup: options.warmup,
      order: options.order,
      seed: runSeed,
      ...(options.precision !== undefined ? { precisionPercent: options.precision, maxIterations } : {}),
      ...vmRunConfig(options, pinning),
      ...(options.bootTimer ? { bootTimer: true } : {}),
      sampleIntervalMs: DEFAULT_SAMPLE_INTERVAL_MS,
    },
    labels: options.label ?? [],
    interrupted: interrupt.signal.aborted,
    leftOut: plan.leftOut,
    entries: summarized,
  });
  reportWarnings(log, run.results);
  for (const warning of hostNoise.warnings.slice(warningsBefore.length)) log.warn(`Host: ${warning}`);
  const kept = await keepAndPrintRun(resultsDir, performanceStoredRun(run), mysqlTarget, log, () =>
    process.stdout.write(EXPORTERS[options.output].render(run, { width: outputWidth(), ...(options.phases ? { phaseRows } : {}) })),
  );
  return allThatCouldRunSucceeded(run.results) && !run.interrupted && kept ? 0 : EXIT_FAILED;
}

/** Pairs not available here do not count against a run, as long as something ran. */
export function allThatCouldRunSucceeded(entries: readonly { status: string }[]): boolean {
  return entries.some((e) => e.status === "ok") && entries.every((e) => e.status === "ok" || e.status === "unavailable");
}

/** The tool onto the CPUs the VMMs do not get, so that it never takes their time; with none left, it shares. */
async function pinTool(pinning: CpuPinning, log: Logger): Promise<void> {
  const vmmCpus = formatCpuList(pinning.vmmCpus);
  if (pinning.toolCpus.length === 0) {
    log.warn(`--pin ${vmmCpus} takes every CPU this tool may use: the tool shares them with the VMMs`);
    return;
  }
  await pinThisProcess(pinning.toolCpus);
  log.info(`VMMs run on CPU(s) ${vmmCpus}, the tool on ${formatCpuList(pinning.toolCpus)}`);
}

function reportWarnings(log: Logger, entries: ReturnType<typeof summarizeEntry>[]): void {
  for (const entry of entries) {
    for (const warning of entry.warnings) log.warn(`${entry.target} on ${entry.vmm}: ${warning}`);
  }
  if (entries.every((e) => e.status === "unavailable")) log.error("None of the selected target/VMM pairs is available here (why: below the results)");
  const notOk = entries.filter((e) => e.status !== "ok" && e.status !== "unavailable");
  if (notOk.length) log.warn(`${notOk.length} of ${entries.length} target/VMM pair(s) did not complete: ${notOk.map((e) => `${e.target} on ${e.vmm} (${e.status})`).join(", ")}`);
}
