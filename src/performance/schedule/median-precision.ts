// The stopping rule of adaptive repetitions (--precision): a pair has been
// measured enough once the 95% confidence interval of its median boot time
// lies within ± the wanted percentage of that median.
import { median } from "simple-statistics";
import { medianConfidenceInterval } from "../../statistics/summary.js";

export interface MedianPrecision {
  /** The interval's larger distance from the median, in percent of it; absent while there is no interval (n < 6). */
  halfWidthPercent?: number;
  ci95Low?: number;
  ci95High?: number;
  reached: boolean;
}

export function medianPrecision(samples: readonly number[], targetPercent: number): MedianPrecision {
  const interval = samples.length > 0 ? medianConfidenceInterval(samples) : undefined;
  if (!interval) return { reached: false };
  const center = median([...samples]);
  const spread = Math.max(center - interval.low, interval.high - center);
  const halfWidthPercent = center === 0 ? (spread === 0 ? 0 : Infinity) : (spread / Math.abs(center)) * 100;
  return { halfWidthPercent, ci95Low: interval.low, ci95High: interval.high, reached: halfWidthPercent <= targetPercent };
}
