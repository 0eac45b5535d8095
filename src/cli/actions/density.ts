// What `benchmark-tool density` does (src/cli/density.ts defines its options).
import os from "node:os";
import { createLogger } from "../../log/logger.js";
import { outputWidth } from "../../output/text-table.js";
import { runDensity } from "../../performance/density/density-runner.js";
import { removeStaleWorkDirs } from "../../performance/work-dir.js";
import { DensityRunSchema, type DensityRun } from "../../results/density-schema.js";
import { renderDensityRun } from "../../results/export/density-output.js";
import { hostFingerprint } from "../../results/host.js";
import { newRunId } from "../../results/run-id.js";
import { DENSITY_SCHEMA_VERSION } from "../../results/schema-versions.js";
import { densityStoredRun } from "../../results/store/stored-run.js";
import { TOOL_NAME, TOOL_VERSION } from "../../tool-version.js";
import { EXIT_FAILED, UsageError } from "../exit-codes.js";
import { DEFAULT_MAX_VMS, DEFAULT_VMS, type DensityOptions } from "../density.js";
import { keepAndPrintRun } from "../keep-run.js";
import { abortOnStopSignals, allThatCouldRunSucceeded, checkRunInput, vmRunConfig, vmRunSettings } from "./performance.js";

const MIB = 2 ** 20;
const MIN_MEMORY_MARGIN_BYTES = 512 * MIB;

/** The levels asked for; --vms and --until-failure exclude each other, --max-vms needs the latter. */
function levelsOf(options: DensityOptions): number[] {
  if (options.untilFailure) {
    if (options.vms) throw new UsageError("--vms and --until-failure exclude each other: --until-failure chooses the levels itself (1, 2, 4, ... up to --max-vms)");
    return [options.maxVms ?? DEFAULT_MAX_VMS];
  }
  if (options.maxVms !== undefined) throw new UsageError("--max-vms applies only with --until-failure; without it, --vms lists the levels");
  return options.vms ?? DEFAULT_VMS;
}

export async function runDensityCommand(targetSpecs: string[], options: DensityOptions): Promise<number> {
  const log = createLogger({ debug: options.debug });
  const levels = levelsOf(options);
  const input = await checkRunInput(targetSpecs, options, log);
  const memoryMarginBytes = options.memoryMargin !== undefined ? options.memoryMargin * MIB : Math.max(MIN_MEMORY_MARGIN_BYTES, Math.round(os.totalmem() / 10));
  for (const dir of await removeStaleWorkDirs()) log.info(`Removed ${dir}, left behind by a run that was killed`);

  const interrupt = abortOnStopSignals(() => log.warn("Interrupted: stopping every VMM and keeping the levels measured so far"));
  const startedAt = new Date();
  let results;
  try {
    results = await runDensity(
      input.plan.entries,
      {
        levels,
        rounds: options.rounds,
        ...(options.untilFailure ? { untilFailure: true } : {}),
        memoryMarginBytes,
        run: { ...vmRunSettings(options, input), iterations: options.rounds, warmup: 0 },
      },
      log,
      interrupt.signal,
    );
  } finally {
    interrupt.release();
  }
  const vmmVersions = Object.fromEntries(results.flatMap((e) => (e.vmmVersion ? [[e.vmm, e.vmmVersion]] : [])));
  const run: DensityRun = DensityRunSchema.parse({
    schemaVersion: DENSITY_SCHEMA_VERSION,
    kind: "density",
    runId: newRunId(startedAt),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    host: await hostFingerprint(vmmVersions),
    config: {
      targets: targetSpecs,
      ...(options.vmm ? { vmms: options.vmm } : {}),
      ...vmRunConfig(options, input.pinning),
      vms: levels,
      rounds: options.rounds,
      ...(options.untilFailure ? { untilFailure: true } : {}),
      memoryMarginBytes,
    },
    labels: options.label ?? [],
    interrupted: interrupt.signal.aborted,
    leftOut: input.plan.leftOut,
    results,
  });
  for (const entry of run.results) {
    for (const warning of entry.warnings) log.warn(`${entry.target} on ${entry.vmm}: ${warning}`);
  }
  const kept = await keepAndPrintRun(input.resultsDir, densityStoredRun(run), input.mysqlTarget, log, () =>
    process.stdout.write(renderDensityRun(run, options.output, outputWidth())),
  );
  return allThatCouldRunSucceeded(run.results) && !run.interrupted && kept ? 0 : EXIT_FAILED;
}
