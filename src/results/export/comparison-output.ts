// compare's output: the table (text, Markdown, CSV, JSON), the warning about
// differing hosts or configurations, and the regression gate's verdict. The
// Markdown form is a whole pull-request comment.
import { toCsv } from "../../output/csv.js";
import { formatMarkdownTable, formatTextTable, type TableSpec } from "../../output/text-table.js";
import { formatNumber } from "./summary-rows.js";
import type { CompareFormat } from "../compare/choices.js";
import { describeUnmatched, type Comparison, type ComparisonRow } from "../compare/compare.js";
import { isRegression, type RegressionGate } from "../compare/regression-gate.js";
import { describeDifferences, type RunDifference } from "../compare/run-differences.js";

export interface CompareOutcome {
  comparison: Comparison;
  labelsA: readonly string[];
  labelsB: readonly string[];
  differences: RunDifference[];
  /** Present with --fail-on-regression. */
  gate?: RegressionGate;
  /** The rows the gate failed on; empty without a gate. */
  regressions: ComparisonRow[];
}

function change(row: ComparisonRow): string {
  return row.changePercent === null ? "–" : `${row.changePercent >= 0 ? "+" : ""}${row.changePercent.toFixed(1)}%`;
}

function pValue(row: ComparisonRow): string {
  return row.pValue === null ? "exact" : row.pValue < 0.001 ? "<0.001" : row.pValue.toFixed(3);
}

function comparisonTable(outcome: CompareOutcome, markRegression: (verdict: string) => string): TableSpec {
  const { gate } = outcome;
  return {
    header: ["Target", "VMM", "Metric", "Median A", "Median B", "Change", "p (Mann–Whitney)", "Verdict"],
    align: ["left", "left", "left", "right", "right", "right", "right", "left"],
    rows: outcome.comparison.rows.map((r) => [
      r.target,
      r.vmm,
      r.metric,
      `${formatNumber(r.medianA)} ${r.unit}`,
      `${formatNumber(r.medianB)} ${r.unit}`,
      change(r),
      pValue(r),
      gate && isRegression(r, gate) ? markRegression(`${r.verdict}: regression`) : r.verdict,
    ]),
  };
}

/** "null on qemu-microvm, Time to boot: 10.0 ms → 15.0 ms (+50.0%, p < 0.001)". */
export function describeRegression(row: ComparisonRow): string {
  const p = row.pValue === null ? "image bytes differ" : row.pValue < 0.001 ? "p < 0.001" : `p = ${row.pValue.toFixed(3)}`;
  return `${row.target} on ${row.vmm}, ${row.metric}: ${formatNumber(row.medianA)} ${row.unit} → ${formatNumber(row.medianB)} ${row.unit} (${change(row)}, ${p})`;
}

/** The gate's verdict in one sentence. */
function gateSummary(outcome: CompareOutcome, gate: RegressionGate): string {
  const criterion = `significantly worse (p < ${outcome.comparison.alpha}) by more than ${gate.thresholdPercent}%`;
  if (outcome.regressions.length === 0) return `Regression gate passed: no metric (${gate.metrics.join(", ")}) is ${criterion}.`;
  return `Regression gate failed: ${outcome.regressions.length} metric(s) ${criterion}:`;
}

/** What goes to stderr whatever the format: the runs, the warning, the pairs not compared, the gate's verdict. */
export function compareLogLines(outcome: CompareOutcome): string[] {
  const { comparison: c, gate } = outcome;
  const labels = (l: readonly string[]): string => (l.length ? ` (${l.join(", ")})` : "");
  const lines = [`A = ${c.runA}${labels(outcome.labelsA)}, B = ${c.runB}${labels(outcome.labelsB)}; significant when p < ${c.alpha}`];
  const warning = describeDifferences(outcome.differences);
  if (warning) lines.push(`Warning: ${warning}`);
  for (const pair of c.unmatched) lines.push(`Not compared: ${describeUnmatched(pair)}`);
  if (gate) {
    lines.push(gateSummary(outcome, gate));
    for (const row of outcome.regressions) lines.push(`Regression: ${describeRegression(row)}`);
  }
  return lines;
}

function pullRequestComment(outcome: CompareOutcome): string {
  const { comparison: c, gate } = outcome;
  const run = (id: string, labels: readonly string[]): string => `\`${id}\`${labels.length ? ` (${labels.map((l) => `\`${l}\``).join(", ")})` : ""}`;
  const parts = [
    "### benchmark-tool compare",
    `**A** ${run(c.runA, outcome.labelsA)} → **B** ${run(c.runB, outcome.labelsB)}; a change is significant when p < ${c.alpha} (Mann–Whitney U); lower is better.`,
  ];
  const warning = describeDifferences(outcome.differences);
  if (warning) parts.push(`> **Warning:** ${warning}`);
  parts.push(formatMarkdownTable(comparisonTable(outcome, (verdict) => `**${verdict}**`)).trimEnd());
  if (c.unmatched.length) parts.push(`Not compared: ${c.unmatched.map(describeUnmatched).join("; ")}.`);
  if (gate) {
    const summary = gateSummary(outcome, gate);
    parts.push([`**${summary}**`, ...outcome.regressions.map((row) => `- ${describeRegression(row)}`)].join("\n"));
  }
  return parts.join("\n\n") + "\n";
}

export function renderComparison(outcome: CompareOutcome, format: CompareFormat): string {
  const { comparison: c, gate } = outcome;
  switch (format) {
    case "json":
      return (
        JSON.stringify(
          {
            ...c,
            test: "Mann-Whitney U, two-sided, normal approximation",
            labelsA: outcome.labelsA,
            labelsB: outcome.labelsB,
            differences: outcome.differences,
            ...(gate ? { gate: { ...gate, passed: outcome.regressions.length === 0, regressions: outcome.regressions } } : {}),
          },
          null,
          2,
        ) + "\n"
      );
    case "csv":
      return toCsv(
        ["target", "vmm", "metric", "unit", "n_a", "n_b", "median_a", "median_b", "change_percent", "p_value", "significant", "verdict", "regression"],
        c.rows.map((r) => [r.target, r.vmm, r.metric, r.unit, r.nA, r.nB, r.medianA, r.medianB, r.changePercent, r.pValue, r.significant, r.verdict, gate ? isRegression(r, gate) : false]),
      );
    case "markdown":
      return pullRequestComment(outcome);
    case "table":
      return formatTextTable(comparisonTable(outcome, (verdict) => verdict));
  }
}
