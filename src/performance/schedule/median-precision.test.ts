import { describe, expect, it } from "vitest";
import { medianConfidenceInterval } from "../../statistics/summary.js";
import { medianPrecision } from "./median-precision.js";

describe("medianConfidenceInterval", () => {
  it("has none below 6 samples, where even the whole range covers the median less than 95% of the time", () => {
    expect(medianConfidenceInterval([1, 2, 3, 4, 5])).toBeUndefined();
    // n = 6: P(B <= 0) = 1/64 <= 0.025 < P(B <= 1) = 7/64: the range [x(1), x(6)].
    expect(medianConfidenceInterval([6, 1, 5, 2, 4, 3])).toEqual({ low: 1, high: 6 });
  });

  it("takes the order statistics of the binomial rule (n = 20: x(6) and x(15), coverage 95.9%)", () => {
    // P(B <= 5) = 0.0207 <= 0.025 < P(B <= 6) = 0.0577 for B ~ Binomial(20, 1/2).
    const samples = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(medianConfidenceInterval(samples)).toEqual({ low: 6, high: 15 });
  });
});

describe("medianPrecision", () => {
  it("is reached at once with no spread, once there is an interval", () => {
    expect(medianPrecision([5, 5, 5, 5, 5], 1)).toEqual({ reached: false });
    expect(medianPrecision([5, 5, 5, 5, 5, 5], 1)).toEqual({ reached: true, halfWidthPercent: 0, ci95Low: 5, ci95High: 5 });
  });

  it("measures the interval's larger side against the median", () => {
    // Median 10, interval [9, 12]: +20% on the high side.
    const p = medianPrecision([9, 10, 10, 10, 10, 12], 25);
    expect(p).toMatchObject({ reached: true, ci95Low: 9, ci95High: 12 });
    expect(p.halfWidthPercent).toBeCloseTo(20, 10);
    expect(medianPrecision([9, 10, 10, 10, 10, 12], 19.9).reached).toBe(false);
  });
});
