// Mann–Whitney U (Wilcoxon rank-sum) test, two-sided, by the normal
// approximation with tie correction and continuity correction, as R's
// wilcox.test(exact = FALSE, correct = TRUE) and SciPy's mannwhitneyu
// (method="asymptotic") compute it. Rank-based, so skewed boot times and the
// odd outlier do not mislead it the way they would a t-test.
import { errorFunction } from "simple-statistics";

export interface MannWhitneyResult {
  /** U of the first sample: how often one of its values exceeds one of the second's (ties count half). */
  u: number;
  z: number;
  pValue: number;
}

/** Ranks 1..n of the pooled values, ties given their average rank; also Σ(t³ − t) over tie groups. */
function rank(values: number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const average = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = average;
    const t = end - start + 1;
    tieTerm += t ** 3 - t;
    start = end + 1;
  }
  return { ranks, tieTerm };
}

function standardNormalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new Error("mannWhitneyU: both samples need at least one value");
  const n = n1 + n2;
  const { ranks, tieTerm } = rank([...x, ...y]);
  const rankSumX = ranks.slice(0, n1).reduce((a, b) => a + b, 0);
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  // Every value equal: no evidence of any difference.
  if (variance <= 0) return { u, z: 0, pValue: 1 };
  const difference = u - mean;
  const z = (difference - Math.sign(difference) * 0.5) / Math.sqrt(variance);
  const pValue = Math.min(1, 2 * standardNormalCdf(-Math.abs(z)));
  return { u, z, pValue };
}
