import { describe, expect, it } from "vitest";
import { summarize } from "../statistics/summary.js";
import { pairWarnings, summaryWarnings } from "./warnings.js";

describe("summaryWarnings", () => {
  it("names outliers as hyperfine does", () => {
    expect(summaryWarnings("Time to boot", summarize([10, 10.1, 9.9, 10.05, 9.95, 10.02, 50])).join(" ")).toMatch(/^Time to boot: 1 statistical outlier\(s\) among 7 samples/);
  });

  it("warns about a wide interval and stays quiet about a narrow one", () => {
    expect(summaryWarnings("x", summarize([1, 2, 3]))).toEqual([expect.stringMatching(/confidence interval is wide/)]);
    expect(summaryWarnings("x", summarize([100, 100.1, 99.9, 100.05]))).toEqual([]);
  });
});

describe("pairWarnings", () => {
  it("says how precise the median got when --precision was not reached, or that there is no interval yet", () => {
    expect(pairWarnings.precisionNotReached(2, 50, 3.14)).toMatch(/not reached after 50 iterations .* it is ±3\.1%\. Raise --max-iterations/);
    expect(pairWarnings.precisionNotReached(2, 5, undefined)).toMatch(/there is no interval yet \(fewer than 6 iterations\)/);
  });
});
