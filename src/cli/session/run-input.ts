// What performance and density resolve and check alike before anything runs:
// the plan of targets and VMMs, the directories, the sources mirror, the CPU
// pinning, the MySQL target. Bad input is a UsageError (exit 2).
import os from "node:os";
import type { Logger } from "../../log/logger.js";
import { createCatalog } from "../../performance/catalog.js";
import { CpuListError, formatCpuList, planPinning, usableCpus, type CpuPinning } from "../../performance/host/cpu-pinning.js";
import { DEFAULT_SAMPLE_INTERVAL_MS } from "../../performance/measure/memory-monitor.js";
import { PlanError, resolvePlan, type Plan } from "../../performance/plan.js";
import type { RunSettings } from "../../performance/run-settings.js";
import { SOURCES_MIRROR_ENV, mirrorProblem, sourcesMirrorFrom } from "../../performance/targets/sources/mirror.js";
import { resolveAccel } from "../../performance/vmm/accel.js";
import { findOnPath } from "../../performance/vmm/find-binary.js";
import { TASKSET } from "../../performance/vmm/vmm-processes.js";
import { checkWrk, wrkVersion } from "../../performance/load/wrk-load.js";
import type { ServingSettings } from "../../performance/runner/serving.js";
import { resolveResultsDir } from "../../results/paths.js";
import type { MysqlTarget } from "../../results/store/mysql-target.js";
import { resolveCacheDir } from "../cache-dir.js";
import { UsageError } from "../exit-codes.js";
import { mysqlTargetOrUsageError } from "../mysql-options.js";
import { checkPerformanceInput } from "../performance-checks.js";
import { DEFAULT_CONNECTIONS, DEFAULT_LOAD_SECONDS, type LoadOptions, type RunKeepingOptions, type VmOptions } from "../performance.js";

export interface CheckedRunInput {
  plan: Plan;
  resultsDir: string;
  cacheDir: string;
  sourcesMirror?: string;
  pinning?: CpuPinning;
  mysqlTarget?: MysqlTarget;
  /** How server guests are loaded (--workload http). */
  serving?: ServingSettings;
}

/** The load before each measured one, not counted: connections opened, the guest's caches warm. */
export const SERVING_WARMUP_SECONDS = 1;

/** --workload http: the load generator here, and how it loads (on the tool's CPUs with --pin). */
async function servingOf(options: VmOptions & Partial<LoadOptions>, pinning: CpuPinning | undefined): Promise<ServingSettings | undefined> {
  if (options.workload !== "http") {
    if (options.loadDuration !== undefined || options.connections !== undefined) {
      throw new UsageError(`--load-duration and --connections apply only with --workload http, not with --workload ${options.workload}`);
    }
    return undefined;
  }
  const wrk = await checkWrk();
  if (!wrk.available) throw new UsageError(`--workload http needs a load generator: ${wrk.reason}`);
  const connections = options.connections ?? DEFAULT_CONNECTIONS;
  const generatorCpus = pinning?.toolCpus.length ? pinning.toolCpus : undefined;
  return {
    durationSeconds: options.loadDuration ?? DEFAULT_LOAD_SECONDS,
    connections,
    // A thread per connection, as many as the generator's CPUs allow.
    threads: Math.max(1, Math.min(connections, generatorCpus?.length ?? os.availableParallelism())),
    warmupSeconds: SERVING_WARMUP_SECONDS,
    ...(generatorCpus ? { generatorCpus: formatCpuList(generatorCpus) } : {}),
    generator: await wrkVersion(),
  };
}

/** --pin checked against this host's CPUs. */
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

/** The targets, VMMs and options checked: bad input is a UsageError (exit 2) before anything is built or started. */
export async function checkRunInput(targetSpecs: string[], options: VmOptions & Partial<LoadOptions> & RunKeepingOptions, log: Logger): Promise<CheckedRunInput> {
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
  const serving = await servingOf(options, pinning);
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
    ...(serving ? { serving } : {}),
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
    ...(input.serving ? { serving: input.serving } : {}),
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
