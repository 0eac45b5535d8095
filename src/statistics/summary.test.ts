import { describe, expect, it } from "vitest";
import { modifiedZScores, summarize } from "./summary.js";

describe("summarize", () => {
  it("computes the usual figures on a known sample", () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.n).toBe(8);
    expect(s.mean).toBe(5);
    expect(s.median).toBe(4.5);
    expect(s.min).toBe(2);
    expect(s.max).toBe(9);
    expect(s.stddev).toBeCloseTo(2.138, 3);
    // t(0.975, 7) = 2.3646; half width = 2.3646 * 2.138 / sqrt(8) = 1.7875
    expect(s.ci95Low).toBeCloseTo(5 - 1.7875, 3);
    expect(s.ci95High).toBeCloseTo(5 + 1.7875, 3);
    // Linear interpolation between order statistics (R type 7): 7 + 0.65 * (9 - 7).
    expect(s.p95).toBeCloseTo(8.3, 10);
    expect(s.outlierIndexes).toEqual([]);
  });

  it("gives a zero-width interval and zero deviation for one sample", () => {
    const s = summarize([3.5]);
    expect(s).toMatchObject({ n: 1, mean: 3.5, median: 3.5, stddev: 0, ci95Low: 3.5, ci95High: 3.5 });
  });

  it("flags a sample far from the median as hyperfine does", () => {
    const samples = [10, 10.1, 9.9, 10.05, 9.95, 10.02, 50];
    const s = summarize(samples);
    expect(s.outlierIndexes).toEqual([6]);
  });

  it("does not flag ordinary noise", () => {
    expect(summarize([10, 11, 9, 10.5, 9.5, 10.2]).outlierIndexes).toEqual([]);
  });

  it("refuses an empty sample", () => {
    expect(() => summarize([])).toThrow(/no samples/);
  });
});

describe("modifiedZScores", () => {
  it("treats identical samples as having no spread", () => {
    const z = modifiedZScores([5, 5, 5, 6]);
    expect(z.slice(0, 3)).toEqual([0, 0, 0]);
    expect(z[3]).toBeGreaterThan(1e10);
  });
});
