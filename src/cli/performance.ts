// `benchmark-tool performance [target...]`: boots each target on each VMM,
// measures boot time, run time, image size and memory, and keeps the results.
import os from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { createLogger, type Logger } from "../log/logger.js";
import { createCatalog } from "../performance/catalog.js";
import { PlanError, resolvePlan } from "../performance/plan.js";
import { runPlan, type RunSettings } from "../performance/runner.js";
import { WORKLOADS, type Workload } from "../performance/targets/types.js";
import { ACCEL_REQUESTS, resolveAccel, type AccelRequest } from "../performance/vmm/accel.js";
import { DEFAULT_SAMPLE_INTERVAL_MS } from "../performance/measure/memory-monitor.js";
import { SOURCES_MIRROR_ENV, mirrorProblem, sourcesMirrorFrom } from "../performance/targets/sources/mirror.js";
import { EXPORTERS, OUTPUT_FORMATS, type OutputFormat } from "../results/export/formats.js";
import { hostFingerprint } from "../results/host.js";
import { resolveResultsDir } from "../results/paths.js";
import { buildRunDocument, newRunId, summarizeEntry } from "../results/performance-run.js";
import { writePerformanceRun } from "../results/store/run-files.js";
import { writeAutomaticReport } from "../results/report/html-report.js";
import { dbUrlOption, mysqlExportOption, persistRun, type ExportOptions } from "../results/store/persist-run.js";
import { performanceStoredRun } from "../results/store/stored-run.js";
import { mysqlTargetOrUsageError } from "./export.js";
import { BenchmarkProgress } from "./benchmark-progress.js";
import { EXIT_FAILED, UsageError } from "./exit-codes.js";

export const DEFAULT_TIMEOUT_SECONDS = 60;
const STOP_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

interface PerformanceOptions extends ExportOptions {
  iterations: number;
  warmup: number;
  vmm?: string[];
  accel: AccelRequest;
  memory?: number;
  vcpus: number;
  cpu?: string;
  workload: Workload;
  timeout: number;
  bootArgs?: string;
  firecrackerBin?: string;
  bootTimer?: boolean;
  output: OutputFormat;
  resultsDir?: string;
  cacheDir?: string;
  clearCache?: boolean;
  sourcesMirror?: string;
  debug?: boolean;
}

function integer(min: number, what: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${what} must be a whole number of at least ${min}.`);
    return n;
  };
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a positive number of seconds.");
  return n;
}

export function defaultCacheDir(): string {
  if (process.env.BENCHMARK_TOOL_CACHE_DIR) return process.env.BENCHMARK_TOOL_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "benchmark-tool");
}

export function registerPerformanceCommand(program: Command): void {
  program
    .command("performance")
    .description("Measure time to boot, time to run, image size and total memory of unikernels on VMMs.")
    .argument("[target...]", "<unikernel>[:<vmm>] or a GitHub repository from the registry; none = every supported target")
    .option("-n, --iterations <n>", "measured iterations per target and VMM", integer(1, "--iterations"), 10)
    .option("-w, --warmup <n>", "unmeasured iterations first", integer(0, "--warmup"), 1)
    .option("--vmm <name...>", "restrict to these VMM backends")
    .addOption(new Option("--accel <accel>", "KVM, TCG (software), or KVM when it works").choices(ACCEL_REQUESTS).default("auto"))
    .option("--memory <MiB>", "guest memory (default: the target's own, else 128)", integer(1, "--memory"))
    .option("--vcpus <n>", "guest vCPUs", integer(1, "--vcpus"), 1)
    .option("--cpu <model>", "QEMU CPU model (-cpu), e.g. host; QEMU's default when absent")
    .addOption(new Option("--workload <name>", "what the guest runs").choices(WORKLOADS).default("hello"))
    .option("--timeout <seconds>", "per iteration, from the boot to the guest's power-off", positiveNumber, DEFAULT_TIMEOUT_SECONDS)
    .option("--boot-args <args>", "appended to the guest's boot arguments (kernel command line)")
    .option("--firecracker-bin <path>", "the Firecracker binary (default: $FIRECRACKER_BIN, else 'firecracker' on PATH, else one a recipe image ships)")
    .option("--boot-timer", "on Firecracker, also record its boot-timer device's boot time (guests that support it: null)")
    .addOption(new Option("--output <format>", "what goes to stdout").choices(OUTPUT_FORMATS).default("table"))
    .option("--results-dir <dir>", "where results are kept (default ./results)")
    .addOption(mysqlExportOption())
    .addOption(dbUrlOption())
    .option("--cache-dir <dir>", "where built guests are cached (default $XDG_CACHE_HOME/benchmark-tool)")
    .option("--clear-cache", "rebuild Docker-built targets without Docker's layer cache, removing intermediate containers")
    .option("--sources-mirror <dir>", `take the recipes' upstream sources from this mirror (<host>/<path> of each URL), nothing from the network (default $${SOURCES_MIRROR_ENV})`)
    .option("--debug", "also show the guest console, VMM command lines and build logs")
    .action(async (targets: string[], options: PerformanceOptions) => {
      process.exitCode = await runPerformance(targets, options);
    });
}

async function runPerformance(targetSpecs: string[], options: PerformanceOptions): Promise<number> {
  const progress = new BenchmarkProgress();
  const log = createLogger({ debug: options.debug, beforeWrite: () => progress.line.clear() });
  const mysqlTarget = mysqlTargetOrUsageError(options);
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
  for (const why of plan.leftOut) log.info(`Leaving out ${why}`);
  const sourcesMirror = sourcesMirrorFrom(options.sourcesMirror);
  const mirrorIssue = sourcesMirror === undefined ? undefined : mirrorProblem(sourcesMirror);
  if (mirrorIssue) throw new UsageError(`${mirrorIssue} (--sources-mirror or $${SOURCES_MIRROR_ENV}): give a directory laid out as <host>/<path> of each upstream URL`);

  const settings: RunSettings = {
    iterations: options.iterations,
    warmup: options.warmup,
    accel: options.accel,
    ...(options.memory ? { memoryMiB: options.memory } : {}),
    vcpus: options.vcpus,
    ...(options.cpu ? { cpu: options.cpu } : {}),
    workload: options.workload,
    timeoutMs: options.timeout * 1000,
    ...(options.bootArgs ? { extraBootArgs: options.bootArgs } : {}),
    ...(options.bootTimer ? { bootTimer: true } : {}),
    cacheDir: options.cacheDir ?? defaultCacheDir(),
    ...(options.clearCache ? { clearCache: true } : {}),
    ...(sourcesMirror ? { sourcesMirror } : {}),
    sampleIntervalMs: DEFAULT_SAMPLE_INTERVAL_MS,
  };

  const interrupt = new AbortController();
  // Ctrl-C, kill, or the terminal closing: the VMMs run in their own process
  // group and would not get the signal themselves, so the tool stops them.
  const onStopSignal = (): void => {
    if (interrupt.signal.aborted) return;
    progress.end();
    log.warn("Interrupted: stopping the VMMs and keeping the results measured so far");
    interrupt.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onStopSignal);
  const startedAt = new Date();
  let entries;
  try {
    entries = await runPlan(plan.entries, settings, log, interrupt.signal, {
      onEntryStart: (entry) => progress.start(entry),
      onIteration: (entry, record, measured, s) => progress.iteration(entry, record, measured, s),
      onEntryEnd: () => progress.end(),
    });
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onStopSignal);
    progress.end();
  }

  const summarized = entries.map(summarizeEntry);
  const vmmVersions = Object.fromEntries(summarized.flatMap((e) => (e.vmmVersion ? [[e.vmm, e.vmmVersion]] : [])));
  const run = buildRunDocument({
    runId: newRunId(startedAt),
    startedAt,
    finishedAt: new Date(),
    host: await hostFingerprint(vmmVersions),
    config: {
      targets: targetSpecs,
      ...(options.vmm ? { vmms: options.vmm } : {}),
      iterations: options.iterations,
      warmup: options.warmup,
      accel: options.accel,
      ...(options.memory ? { memoryMiB: options.memory } : {}),
      vcpus: options.vcpus,
      workload: options.workload,
      timeoutSeconds: options.timeout,
      ...(options.bootArgs ? { bootArgs: options.bootArgs } : {}),
      ...(options.bootTimer ? { bootTimer: true } : {}),
      sampleIntervalMs: DEFAULT_SAMPLE_INTERVAL_MS,
    },
    interrupted: interrupt.signal.aborted,
    leftOut: plan.leftOut,
    entries: summarized,
  });
  const resultsDir = resolveResultsDir(options.resultsDir);
  const file = await writePerformanceRun(resultsDir, run);
  reportWarnings(log, run.results);
  log.info(`Results saved to ${file}`);
  const stored = performanceStoredRun(run);
  const kept = await persistRun(resultsDir, stored, mysqlTarget, log);
  await writeAutomaticReport(resultsDir, stored, log);
  process.stdout.write(EXPORTERS[options.output].render(run));
  return run.results.every((e) => e.status === "ok") && !run.interrupted && kept ? 0 : EXIT_FAILED;
}

function reportWarnings(log: Logger, entries: ReturnType<typeof summarizeEntry>[]): void {
  for (const entry of entries) {
    for (const warning of entry.warnings) log.warn(`${entry.target} on ${entry.vmm}: ${warning}`);
  }
  const notOk = entries.filter((e) => e.status !== "ok");
  if (notOk.length) log.warn(`${notOk.length} of ${entries.length} target/VMM pair(s) did not complete: ${notOk.map((e) => `${e.target} on ${e.vmm} (${e.status})`).join(", ")}`);
}
