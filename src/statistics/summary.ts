// Summary statistics of one metric's samples, with hyperfine's outlier test.
import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";
import quantileT from "@stdlib/stats-base-dists-t-quantile";
import { max, mean, median, medianAbsoluteDeviation, min, quantileSorted, sampleStandardDeviation } from "simple-statistics";

/**
 * hyperfine's threshold on the modified Z-score |x - median| / MAD: a sample
 * that far from the median is flagged as an outlier (1.4826 scales the MAD to a
 * standard deviation for normal data; 10 of those is "clearly not noise").
 */
export const OUTLIER_THRESHOLD = 1.4826 * 10;

/** A relative half-width of the 95% interval above which the mean is called imprecise. */
export const WIDE_INTERVAL_RATIO = 0.1;

export interface Summary {
  n: number;
  mean: number;
  median: number;
  /** Sample standard deviation (n - 1); 0 for a single sample. */
  stddev: number;
  min: number;
  max: number;
  p95: number;
  /** 95% confidence interval of the mean (Student's t); equal to the mean when n = 1. */
  ci95Low: number;
  ci95High: number;
  /** Indexes of the samples whose modified Z-score exceeds OUTLIER_THRESHOLD. */
  outlierIndexes: number[];
}

export function modifiedZScores(samples: readonly number[]): number[] {
  const center = median([...samples]);
  // A MAD of 0 (most samples identical) would divide by zero; as hyperfine
  // does, use the smallest positive number so any differing sample stands out.
  const mad = medianAbsoluteDeviation([...samples]) || Number.EPSILON;
  return samples.map((x) => (x - center) / mad);
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("summarize: no samples");
  const values = [...samples];
  const sorted = [...samples].sort((a, b) => a - b);
  const n = values.length;
  const average = mean(values);
  const stddev = n > 1 ? sampleStandardDeviation(values) : 0;
  const halfWidth = n > 1 ? quantileT(0.975, n - 1) * (stddev / Math.sqrt(n)) : 0;
  const outlierIndexes = modifiedZScores(values).flatMap((z, i) => (Math.abs(z) > OUTLIER_THRESHOLD ? [i] : []));
  return {
    n,
    mean: average,
    median: median(values),
    stddev,
    min: min(values),
    max: max(values),
    p95: quantileSorted(sorted, 0.95),
    ci95Low: average - halfWidth,
    ci95High: average + halfWidth,
    outlierIndexes,
  };
}

/**
 * The distribution-free confidence interval of the median: the order
 * statistics x(k) and x(n+1-k) for the largest k with P(B < k) <= (1 - level) / 2,
 * B ~ Binomial(n, 1/2). It assumes nothing about the shape of the samples
 * (boot times are skewed), and needs n >= 6 at 95%: below that, even the whole
 * range covers the median less than 95% of the time, and there is none.
 */
export function medianConfidenceInterval(samples: readonly number[], level = 0.95): { low: number; high: number } | undefined {
  const n = samples.length;
  const tail = (1 - level) / 2;
  let k = 0;
  while (k < Math.floor(n / 2) && binomialCdf(k, n, 0.5) <= tail) k++;
  if (k === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return { low: sorted[k - 1]!, high: sorted[n - k]! };
}
