// What `benchmark-tool compare` does (src/cli/compare.ts defines its options).
import { DEFAULT_GATE_METRICS } from "../../results/compare/choices.js";
import { compareRuns } from "../../results/compare/compare.js";
import { compareLogLines, renderComparison, type CompareOutcome } from "../../results/export/comparison-output.js";
import { findRegressions } from "../../results/compare/regression-gate.js";
import { runDifferences } from "../../results/compare/run-differences.js";
import type { PerformanceRun } from "../../results/schema.js";
import type { StoredRun } from "../../results/store/stored-run.js";
import type { CompareOptions } from "../compare.js";
import { EXIT_FAILED, UsageError } from "../exit-codes.js";
import { runSourceOf, withStoredRuns } from "../stored-runs.js";

function performanceDocument(run: StoredRun): PerformanceRun {
  if (run.kind !== "performance") throw new UsageError(`run ${run.runId} is a ${run.kind} run; compare takes performance runs`);
  return run.document;
}

export async function compare(refA: string, refB: string, options: CompareOptions): Promise<void> {
  if (options.metrics && options.failOnRegression === undefined) throw new UsageError("--metrics chooses what --fail-on-regression counts; give --fail-on-regression <percent> too");
  const [a, b] = await withStoredRuns(runSourceOf(options), async (store) => {
    const [idA, idB] = [await store.resolve(refA, "performance"), await store.resolve(refB, "performance")];
    if (idA === idB) throw new UsageError(`'${refA}' and '${refB}' are the same run, ${idA}; compare two different runs`);
    return [performanceDocument(await store.load(idA)), performanceDocument(await store.load(idB))] as const;
  });
  const comparison = compareRuns(a, b, options.alpha);
  if (comparison.rows.length === 0) throw new UsageError(`runs ${comparison.runA} and ${comparison.runB} have no target and VMM measured in both`);
  const gate = options.failOnRegression === undefined ? undefined : { thresholdPercent: options.failOnRegression, metrics: options.metrics ?? DEFAULT_GATE_METRICS };
  const outcome: CompareOutcome = {
    comparison,
    labelsA: a.labels ?? [],
    labelsB: b.labels ?? [],
    differences: runDifferences(a, b),
    ...(gate ? { gate } : {}),
    regressions: gate ? findRegressions(comparison, gate) : [],
  };
  for (const line of compareLogLines(outcome)) process.stderr.write(`${line}\n`);
  process.stdout.write(renderComparison(outcome, options.output));
  if (outcome.regressions.length > 0) process.exitCode = EXIT_FAILED;
}
