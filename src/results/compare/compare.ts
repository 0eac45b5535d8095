// Compares two performance runs: for each target and VMM they share and each
// metric, the medians, the change in percent, and whether the difference is
// significant (Mann–Whitney U, p below the significance level), with a plain
// verdict.
import { median } from "simple-statistics";
import { METRIC_INFO, METRICS, type MetricInfo } from "../metrics.js";
import type { PerformanceRun, RunEntry } from "../schema.js";
import { COMPARED_METRIC_OF, SIGNIFICANCE_LEVEL, type ComparedMetric } from "./choices.js";
import { metricSamples, type Iteration } from "./iteration-metrics.js";
import { mannWhitneyU } from "../../statistics/mann-whitney.js";

export type Verdict = "faster" | "slower" | "smaller" | "larger" | "no significant change";

export interface ComparisonRow {
  target: string;
  vmm: string;
  metricKey: ComparedMetric;
  metric: string;
  unit: string;
  /** Which way is better: a regression is a significant change the other way. */
  better: MetricInfo["better"];
  nA: number;
  nB: number;
  medianA: number;
  medianB: number;
  /** (B − A) / A in percent; null when A's median is 0. */
  changePercent: number | null;
  /** Two-sided Mann–Whitney p-value; null for the image size, which does not vary between iterations. */
  pValue: number | null;
  significant: boolean;
  verdict: Verdict;
}

/** What a metric measures, for its verdict's words: times get faster/slower (throughput too, the other way round), memory and size smaller/larger. */
export type MetricKind = "time" | "throughput" | "size";

function verdictOf(kind: MetricKind, significant: boolean, medianA: number, medianB: number): Verdict {
  if (!significant || medianA === medianB) return "no significant change";
  if (kind === "time") return medianB < medianA ? "faster" : "slower";
  if (kind === "throughput") return medianB > medianA ? "faster" : "slower";
  return medianB < medianA ? "smaller" : "larger";
}

function kindOf(info: MetricInfo): MetricKind {
  return info.better === "higher" ? "throughput" : info.unit === "ms" ? "time" : "size";
}

function changePercent(a: number, b: number): number | null {
  return a === 0 ? null : ((b - a) / a) * 100;
}

export function compareSamples(
  a: number[],
  b: number[],
  kind: MetricKind,
  alpha = SIGNIFICANCE_LEVEL,
): Pick<ComparisonRow, "nA" | "nB" | "medianA" | "medianB" | "changePercent" | "pValue" | "significant" | "verdict"> {
  const medianA = median(a);
  const medianB = median(b);
  const { pValue } = mannWhitneyU(a, b);
  const significant = pValue < alpha;
  return { nA: a.length, nB: b.length, medianA, medianB, changePercent: changePercent(medianA, medianB), pValue, significant, verdict: verdictOf(kind, significant, medianA, medianB) };
}

/** A target/VMM pair that only one of the runs measured. */
export interface UnmatchedPair {
  target: string;
  vmm: string;
  measuredIn: "A" | "B";
  /** In the other run: its status when the pair was there but not measured (failed, skipped, interrupted). */
  otherStatus?: string;
}

export interface Comparison {
  runA: string;
  runB: string;
  /** The significance level the verdicts used. */
  alpha: number;
  rows: ComparisonRow[];
  unmatched: UnmatchedPair[];
}

export function compareRuns(a: PerformanceRun, b: PerformanceRun, alpha = SIGNIFICANCE_LEVEL): Comparison {
  const measured = (e: RunEntry): Iteration[] => e.iterations.filter((i) => !i.warmup);
  const key = (e: RunEntry): string => `${e.target}\n${e.vmm}`;
  const inB = new Map(b.results.filter((e) => measured(e).length > 0).map((e) => [key(e), e]));
  const rows: ComparisonRow[] = [];
  const compared = new Set<string>();
  for (const entryA of a.results) {
    const entryB = inB.get(key(entryA));
    if (!entryB || measured(entryA).length === 0) continue;
    compared.add(key(entryA));
    for (const metric of METRICS) {
      const samplesA = metricSamples(measured(entryA), metric);
      const samplesB = metricSamples(measured(entryB), metric);
      // A reported metric counts only where both runs have it.
      if (!samplesA || !samplesB) continue;
      const info = METRIC_INFO[metric];
      rows.push({
        target: entryA.target,
        vmm: entryA.vmm,
        metricKey: COMPARED_METRIC_OF[metric],
        metric: info.label,
        unit: info.unit,
        better: info.better,
        ...compareSamples(samplesA, samplesB, kindOf(info), alpha),
      });
    }
    if (entryA.image && entryB.image) {
      const sizeA = entryA.image.sizeBytes / 2 ** 20;
      const sizeB = entryB.image.sizeBytes / 2 ** 20;
      // The same build gives the same bytes: any difference is a real one.
      const verdict: Verdict = sizeA === sizeB ? "no significant change" : sizeB < sizeA ? "smaller" : "larger";
      rows.push({ target: entryA.target, vmm: entryA.vmm, metricKey: "size", metric: "Image size", unit: "MiB", better: "lower", nA: 1, nB: 1, medianA: sizeA, medianB: sizeB, changePercent: changePercent(sizeA, sizeB), pValue: null, significant: sizeA !== sizeB, verdict });
    }
  }
  const unmatched: UnmatchedPair[] = [];
  for (const [run, measuredIn, other] of [[a, "A", b], [b, "B", a]] as const) {
    for (const entry of run.results) {
      if (measured(entry).length === 0 || compared.has(key(entry))) continue;
      const inOther = other.results.find((e) => key(e) === key(entry));
      unmatched.push({ target: entry.target, vmm: entry.vmm, measuredIn, ...(inOther ? { otherStatus: inOther.status } : {}) });
    }
  }
  return { runA: a.runId, runB: b.runId, alpha, rows, unmatched };
}

/** "linux on qemu: measured in B only", with the other run's status when it had the pair. */
export function describeUnmatched(pair: UnmatchedPair): string {
  const other = pair.measuredIn === "A" ? "B" : "A";
  return `${pair.target} on ${pair.vmm}: measured in ${pair.measuredIn} only${pair.otherStatus ? ` (${pair.otherStatus} in ${other})` : ""}`;
}
