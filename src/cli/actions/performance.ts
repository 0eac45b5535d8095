// What `benchmark-tool performance` does (src/cli/performance.ts defines its options).
import { createLogger, type Logger } from "../../log/logger.js";
import { outputWidth } from "../../output/text-table.js";
import { DEFAULT_SAMPLE_INTERVAL_MS } from "../../performance/measure/memory-monitor.js";
import type { RunSettings } from "../../performance/run-settings.js";
import { measureGeneratorCeiling, type GeneratorCeiling } from "../../performance/load/generator-ceiling.js";
import { runPlan } from "../../performance/runner/run-plan.js";
import type { ServingSettings } from "../../performance/runner/serving.js";
import { randomSeed } from "../../performance/schedule/iteration-schedule.js";
import { EXPORTERS } from "../../results/export/formats.js";
import { phaseRows } from "../../results/export/phase-rows.js";
import { buildRunDocument, summarizeEntry } from "../../results/performance-run.js";
import { newRunId } from "../../results/run-id.js";
import { performanceStoredRun } from "../../results/store/stored-run.js";
import { BenchmarkProgress } from "../benchmark-progress.js";
import { UsageError } from "../exit-codes.js";
import { DEFAULT_MAX_ITERATIONS, type PerformanceOptions } from "../performance.js";
import { vmRunConfig, vmRunSettings } from "../session/run-input.js";
import { RunSession } from "../session/run-session.js";

/** The fewest iterations with a 95% confidence interval of the median. */
const MIN_ITERATIONS_FOR_MEDIAN_CI = 6;

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

export async function runPerformance(targetSpecs: string[], options: PerformanceOptions): Promise<number> {
  const progress = new BenchmarkProgress(options.precision !== undefined);
  const log = createLogger({ debug: options.debug, beforeWrite: () => progress.line.clear(), status: progress.line });
  const maxIterations = maxIterationsOf(options);
  const session = await RunSession.open(targetSpecs, options, log);
  const { plan, pinning, serving } = session.input;

  const runSeed = options.seed ?? randomSeed();
  if (options.order === "interleaved") log.info(`Interleaved order, seed ${runSeed} (--seed ${runSeed} repeats it)`);
  const settings: RunSettings = {
    ...vmRunSettings(options, session.input),
    iterations: options.iterations,
    warmup: options.warmup,
    order: options.order,
    seed: runSeed,
    ...(options.precision !== undefined ? { precisionPercent: options.precision, maxIterations } : {}),
    ...(options.bootTimer ? { bootTimer: true } : {}),
  };

  let entries;
  let generatorCeiling: GeneratorCeiling | undefined;
  try {
    entries = await session.measure(
      () => {
        progress.end();
        log.warn("Interrupted: stopping the VMMs and keeping the results measured so far");
      },
      async (signal) => {
        const measured = await runPlan(plan.entries, settings, log, signal, session.observer(progress.observer()));
        if (serving && !signal.aborted && measured.some((e) => e.status === "ok")) generatorCeiling = await ceilingOf(serving, settings, log, signal);
        return measured;
      },
    );
  } finally {
    progress.end();
  }

  const summarized = entries.map(summarizeEntry);
  const host = await session.host(Object.fromEntries(summarized.flatMap((e) => (e.vmmVersion ? [[e.vmm, e.vmmVersion]] : []))));
  const run = buildRunDocument({
    runId: newRunId(session.startedAt),
    startedAt: session.startedAt,
    finishedAt: new Date(),
    host,
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
      ...(serving
        ? {
            load: {
              generator: serving.generator,
              durationSeconds: serving.durationSeconds,
              connections: serving.connections,
              threads: serving.threads,
              warmupSeconds: serving.warmupSeconds,
            },
          }
        : {}),
    },
    labels: options.label ?? [],
    interrupted: session.wasInterrupted,
    leftOut: plan.leftOut,
    entries: summarized,
    ...(generatorCeiling ? { generatorCeiling } : {}),
  });
  return session.keep(performanceStoredRun(run), run, host, () =>
    process.stdout.write(EXPORTERS.performance[options.output].render(run, { width: outputWidth(), ...(options.phases ? { phaseRows } : {}) })),
  );
}

/** The same load against the same server on the host: the generator's ceiling, which the guests' throughput is read against. */
async function ceilingOf(serving: ServingSettings, settings: RunSettings, log: Logger, signal: AbortSignal): Promise<GeneratorCeiling | undefined> {
  log.info(`Measuring the load generator's ceiling: ${serving.generator} against the http workload on the host for ${serving.durationSeconds} s`);
  try {
    const ceiling = await measureGeneratorCeiling(
      {
        durationSeconds: serving.durationSeconds,
        connections: serving.connections,
        threads: serving.threads,
        generator: serving.generator,
        ...(settings.pinCpus ? { serverCpus: settings.pinCpus } : {}),
        ...(serving.generatorCpus ? { generatorCpus: serving.generatorCpus } : {}),
      },
      settings.cacheDir,
      log,
      signal,
    );
    log.info(`Load generator's ceiling: ${ceiling.requestsPerSecond.toFixed(0)} requests/s from the server on the host`);
    return ceiling;
  } catch (error) {
    if (signal.aborted) return undefined;
    log.warn(`Could not measure the load generator's ceiling (${(error as Error).message}); the guests' throughput is kept without it`);
    return undefined;
  }
}
