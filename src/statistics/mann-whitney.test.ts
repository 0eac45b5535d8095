import { describe, expect, it } from "vitest";
import { mannWhitneyU } from "./mann-whitney.js";

describe("mannWhitneyU", () => {
  it("matches R's wilcox.test(x, y, exact = FALSE, correct = TRUE) on textbook samples", () => {
    // R: W = 0, p-value = 0.01219 for completely separated samples of 5.
    const separated = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(separated.u).toBe(0);
    expect(separated.pValue).toBeCloseTo(0.01219, 4);
    // Same with the samples swapped: U = n1·n2, same p.
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5])).toMatchObject({ u: 25 });
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).pValue).toBeCloseTo(0.01219, 4);
  });

  it("corrects the variance for ties", () => {
    // Pooled ranks: 1,2,3 tie at 2; 4,5 tie at 4.5; 6 alone. U_x = (2+2+4.5) - 6 = 2.5.
    // σ² = 9/12 · (7 − (24 + 6)/30) = 4.5; z = (2.5 − 4.5 + 0.5)/√4.5; p = 2Φ(−0.7071) = 0.4795.
    const tied = mannWhitneyU([1, 1, 2], [1, 2, 3]);
    expect(tied.u).toBe(2.5);
    expect(tied.z).toBeCloseTo(-1.5 / Math.sqrt(4.5), 10);
    expect(tied.pValue).toBeCloseTo(0.4795, 4);
  });

  it("finds no difference when every value is the same", () => {
    expect(mannWhitneyU([3, 3, 3], [3, 3])).toEqual({ u: 3, z: 0, pValue: 1 });
  });

  it("gives identical samples p = 1", () => {
    expect(mannWhitneyU([1, 2, 3, 4], [1, 2, 3, 4]).pValue).toBeCloseTo(1, 6);
  });
});
