// What `benchmark-tool density` does (src/cli/density.ts defines its options).
import os from "node:os";
import { createLogger } from "../../log/logger.js";
import { outputWidth } from "../../output/text-table.js";
import { runDensity } from "../../performance/density/density-runner.js";
import { DensityRunSchema, type DensityRun } from "../../results/density-schema.js";
import { EXPORTERS } from "../../results/export/formats.js";
import { newRunId } from "../../results/run-id.js";
import { DENSITY_SCHEMA_VERSION } from "../../results/schema-versions.js";
import { densityStoredRun } from "../../results/store/stored-run.js";
import { TOOL_NAME, TOOL_VERSION } from "../../tool-version.js";
import { UsageError } from "../exit-codes.js";
import { DEFAULT_MAX_VMS, DEFAULT_VMS, type DensityOptions } from "../density.js";
import { vmRunConfig, vmRunSettings } from "../session/run-input.js";
import { RunSession } from "../session/run-session.js";

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
  const session = await RunSession.open(targetSpecs, options, log);
  const { plan, pinning } = session.input;
  const memoryMarginBytes = options.memoryMargin !== undefined ? options.memoryMargin * MIB : Math.max(MIN_MEMORY_MARGIN_BYTES, Math.round(os.totalmem() / 10));

  const results = await session.measure(
    () => log.warn("Interrupted: stopping every VMM and keeping the levels measured so far"),
    (signal) =>
      runDensity(
        plan.entries,
        {
          levels,
          rounds: options.rounds,
          ...(options.untilFailure ? { untilFailure: true } : {}),
          memoryMarginBytes,
          run: { ...vmRunSettings(options, session.input), iterations: options.rounds, warmup: 0 },
        },
        log,
        signal,
        session.observer(),
      ),
  );
  const host = await session.host(Object.fromEntries(results.flatMap((e) => (e.vmmVersion ? [[e.vmm, e.vmmVersion]] : []))));
  const run: DensityRun = DensityRunSchema.parse({
    schemaVersion: DENSITY_SCHEMA_VERSION,
    kind: "density",
    runId: newRunId(session.startedAt),
    startedAt: session.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    host,
    config: {
      targets: targetSpecs,
      ...(options.vmm ? { vmms: options.vmm } : {}),
      ...vmRunConfig(options, pinning),
      vms: levels,
      rounds: options.rounds,
      ...(options.untilFailure ? { untilFailure: true } : {}),
      memoryMarginBytes,
    },
    labels: options.label ?? [],
    interrupted: session.wasInterrupted,
    leftOut: plan.leftOut,
    results,
  });
  return session.keep(densityStoredRun(run), run, host, () => process.stdout.write(EXPORTERS.density[options.output].render(run, { width: outputWidth() })));
}
