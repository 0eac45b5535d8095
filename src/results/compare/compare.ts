// Compares two performance runs: for each target and VMM they share and each
// metric, the medians, the change in percent, and whether the difference is
// significant at 95% (Mann–Whitney U), with a plain verdict.
import { median } from "simple-statistics";
import { METRIC_INFO, METRICS } from "../metrics.js";
import type { PerformanceRun, RunEntry } from "../schema.js";
import { metricSamples, type Iteration } from "./iteration-metrics.js";
import { mannWhitneyU } from "./mann-whitney.js";

export const SIGNIFICANCE_LEVEL = 0.05;

export type Verdict = "faster" | "slower" | "smaller" | "larger" | "no significant change";

export interface ComparisonRow {
  target: string;
  vmm: string;
  metric: string;
  unit: string;
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

/** Lower is better for every metric: times get faster/slower, memory and size smaller/larger. */
function verdictOf(metricIsTime: boolean, significant: boolean, medianA: number, medianB: number): Verdict {
  if (!significant || medianA === medianB) return "no significant change";
  if (metricIsTime) return medianB < medianA ? "faster" : "slower";
  return medianB < medianA ? "smaller" : "larger";
}

function changePercent(a: number, b: number): number | null {
  return a === 0 ? null : ((b - a) / a) * 100;
}

export function compareSamples(a: number[], b: number[], isTime: boolean): Pick<ComparisonRow, "nA" | "nB" | "medianA" | "medianB" | "changePercent" | "pValue" | "significant" | "verdict"> {
  const medianA = median(a);
  const medianB = median(b);
  const { pValue } = mannWhitneyU(a, b);
  const significant = pValue < SIGNIFICANCE_LEVEL;
  return { nA: a.length, nB: b.length, medianA, medianB, changePercent: changePercent(medianA, medianB), pValue, significant, verdict: verdictOf(isTime, significant, medianA, medianB) };
}

export interface Comparison {
  runA: string;
  runB: string;
  rows: ComparisonRow[];
  /** Target/VMM pairs measured in only one of the runs. */
  unmatched: string[];
}

export function compareRuns(a: PerformanceRun, b: PerformanceRun): Comparison {
  const measured = (e: RunEntry): Iteration[] => e.iterations.filter((i) => !i.warmup);
  const key = (e: RunEntry): string => `${e.target} on ${e.vmm}`;
  const inB = new Map(b.results.filter((e) => measured(e).length > 0).map((e) => [key(e), e]));
  const rows: ComparisonRow[] = [];
  const matched = new Set<string>();
  for (const entryA of a.results) {
    const entryB = inB.get(key(entryA));
    if (!entryB || measured(entryA).length === 0) continue;
    matched.add(key(entryA));
    for (const metric of METRICS) {
      const samplesA = metricSamples(measured(entryA), metric);
      const samplesB = metricSamples(measured(entryB), metric);
      // A reported metric counts only where both runs have it.
      if (!samplesA || !samplesB) continue;
      const { label, unit } = METRIC_INFO[metric];
      rows.push({ target: entryA.target, vmm: entryA.vmm, metric: label, unit, ...compareSamples(samplesA, samplesB, unit === "ms") });
    }
    if (entryA.image && entryB.image) {
      const sizeA = entryA.image.sizeBytes / 2 ** 20;
      const sizeB = entryB.image.sizeBytes / 2 ** 20;
      // The same build gives the same bytes: any difference is a real one.
      const verdict: Verdict = sizeA === sizeB ? "no significant change" : sizeB < sizeA ? "smaller" : "larger";
      rows.push({ target: entryA.target, vmm: entryA.vmm, metric: "Image size", unit: "MiB", nA: 1, nB: 1, medianA: sizeA, medianB: sizeB, changePercent: changePercent(sizeA, sizeB), pValue: null, significant: sizeA !== sizeB, verdict });
    }
  }
  const all = new Set([...a.results, ...b.results].filter((e) => measured(e).length > 0).map(key));
  return { runA: a.runId, runB: b.runId, rows, unmatched: [...all].filter((k) => !matched.has(k)) };
}
