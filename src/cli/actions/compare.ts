// What `benchmark-tool compare` does (src/cli/compare.ts defines its options).
import { createLogger } from "../../log/logger.js";
import { toCsv } from "../../output/csv.js";
import { formatMarkdownTable, formatTextTable, type TableSpec } from "../../output/text-table.js";
import { compareRuns, SIGNIFICANCE_LEVEL, type Comparison } from "../../results/compare/compare.js";
import { formatNumber } from "../../results/export/summary-rows.js";
import { resolveResultsDir } from "../../results/paths.js";
import type { PerformanceRun } from "../../results/schema.js";
import { withImportedStore } from "../../results/store/import-json-files.js";
import type { StoredRun } from "../../results/store/stored-run.js";
import type { CompareOptions } from "../compare.js";
import { UsageError } from "../exit-codes.js";
import { withRunReferences } from "../run-references.js";

function performanceDocument(run: StoredRun): PerformanceRun {
  if (run.kind !== "performance") throw new UsageError(`run ${run.runId} is a ${run.kind} run; compare takes performance runs`);
  return run.document;
}

function comparisonTable(c: Comparison): TableSpec {
  return {
    header: ["Target", "VMM", "Metric", `Median A`, `Median B`, "Change", "p (Mann–Whitney)", "Verdict"],
    align: ["left", "left", "left", "right", "right", "right", "right", "left"],
    rows: c.rows.map((r) => [
      r.target,
      r.vmm,
      r.metric,
      `${formatNumber(r.medianA)} ${r.unit}`,
      `${formatNumber(r.medianB)} ${r.unit}`,
      r.changePercent === null ? "–" : `${r.changePercent >= 0 ? "+" : ""}${r.changePercent.toFixed(1)}%`,
      r.pValue === null ? "exact" : r.pValue < 0.001 ? "<0.001" : r.pValue.toFixed(3),
      r.verdict,
    ]),
  };
}

function render(c: Comparison, format: CompareOptions["output"]): string {
  switch (format) {
    case "json":
      return JSON.stringify({ ...c, significanceLevel: SIGNIFICANCE_LEVEL, test: "Mann-Whitney U, two-sided, normal approximation" }, null, 2) + "\n";
    case "csv":
      return toCsv(
        ["target", "vmm", "metric", "unit", "n_a", "n_b", "median_a", "median_b", "change_percent", "p_value", "significant", "verdict"],
        c.rows.map((r) => [r.target, r.vmm, r.metric, r.unit, r.nA, r.nB, r.medianA, r.medianB, r.changePercent, r.pValue, r.significant, r.verdict]),
      );
    case "markdown":
      return formatMarkdownTable(comparisonTable(c));
    case "table":
      return formatTextTable(comparisonTable(c));
  }
}

export async function compare(refA: string, refB: string, options: CompareOptions): Promise<void> {
  const [a, b] = await withRunReferences(() =>
    withImportedStore(resolveResultsDir(options.resultsDir), createLogger(), (store) => [refA, refB].map((ref) => performanceDocument(store.load(store.resolve(ref, "performance"))))),
  );
  const comparison = compareRuns(a!, b!);
  if (comparison.rows.length === 0) throw new UsageError(`runs ${comparison.runA} and ${comparison.runB} have no target and VMM measured in both`);
  process.stderr.write(`A = ${comparison.runA}, B = ${comparison.runB}; significant when p < ${SIGNIFICANCE_LEVEL}\n`);
  for (const pair of comparison.unmatched) process.stderr.write(`Only in one of the runs: ${pair}\n`);
  process.stdout.write(render(comparison, options.output));
}
