// compare on synthetic samples with a known answer: a real shift is called
// significant, noise is not.
import { describe, expect, it } from "vitest";
import { compareRuns, compareSamples } from "../../src/results/compare/compare.js";
import { findRegressions } from "../../src/results/compare/regression-gate.js";
import { noisy, seededRandom, syntheticPerformanceRun } from "./fixtures.js";

describe("compare", () => {
  it("calls a 20% slower boot significant and the unchanged metrics not", () => {
    const random = seededRandom(1);
    const a = syntheticPerformanceRun("20261126T100000Z-aaaa", "2026-11-26T10:00:00.000Z", [
      { target: "null", vmm: "qemu-microvm", bootMs: noisy(random, 20, 10, 0.5), runMs: noisy(random, 20, 12, 1), peakMiB: noisy(random, 20, 42, 0.2) },
    ]);
    const b = syntheticPerformanceRun("20261126T110000Z-bbbb", "2026-11-26T11:00:00.000Z", [
      { target: "null", vmm: "qemu-microvm", bootMs: noisy(random, 20, 12, 0.5), runMs: noisy(random, 20, 12, 1), peakMiB: noisy(random, 20, 32, 0.2), imageBytes: 4096 },
    ]);
    const { rows, unmatched } = compareRuns(a, b);
    const byMetric = Object.fromEntries(rows.map((r) => [r.metric, r]));
    expect(unmatched).toEqual([]);
    expect(byMetric["Time to boot"]).toMatchObject({ significant: true, verdict: "slower", nA: 20, nB: 20 });
    expect(byMetric["Time to boot"]!.changePercent).toBeGreaterThan(15);
    expect(byMetric["Time to boot"]!.pValue).toBeLessThan(0.001);
    expect(byMetric["Time to run"]).toMatchObject({ significant: false, verdict: "no significant change" });
    expect(byMetric["Total memory usage"]).toMatchObject({ significant: true, verdict: "smaller" });
    expect(byMetric["Image size"]).toMatchObject({ verdict: "smaller", pValue: null });
  });

  it("calls pure noise not significant in nearly every trial (false positives at about the 5% level)", () => {
    const random = seededRandom(7);
    const trials = 200;
    let falsePositives = 0;
    for (let t = 0; t < trials; t++) {
      if (compareSamples(noisy(random, 10, 5, 1), noisy(random, 10, 5, 1), "time").significant) falsePositives++;
    }
    expect(falsePositives / trials).toBeLessThan(0.1);
  });

  it("detects a shift of two standard deviations in nearly every trial", () => {
    const random = seededRandom(11);
    const trials = 100;
    let detected = 0;
    for (let t = 0; t < trials; t++) {
      // Uniform on ±1 has σ ≈ 0.577; a shift of 1.2 is about two σ.
      const result = compareSamples(noisy(random, 10, 5, 1), noisy(random, 10, 3.8, 1), "time");
      if (result.significant && result.verdict === "faster") detected++;
    }
    expect(detected / trials).toBeGreaterThan(0.9);
  });

  it("lists target/VMM pairs that only one run measured", () => {
    const a = syntheticPerformanceRun("a", "2026-11-26T10:00:00.000Z", [{ target: "null", vmm: "qemu", bootMs: [1, 2, 3] }]);
    const b = syntheticPerformanceRun("b", "2026-11-26T11:00:00.000Z", [
      { target: "null", vmm: "qemu", bootMs: [1, 2, 3] },
      { target: "linux", vmm: "qemu", bootMs: [9, 9, 9] },
    ]);
    expect(compareRuns(a, b).unmatched).toEqual([{ target: "linux", vmm: "qemu", measuredIn: "B" }]);
  });

  it("reads throughput the other way round: fewer requests per second is slower, and a regression; longer latency too", () => {
    const random = seededRandom(13);
    const serving = (rps: number, p99Ms: number) => ({
      firstAnswerMs: noisy(random, 10, 300, 5),
      requestsPerSecond: noisy(random, 10, rps, rps / 100),
      p99Ms: noisy(random, 10, p99Ms, p99Ms / 100),
    });
    const a = syntheticPerformanceRun("a", "2026-11-26T10:00:00.000Z", [{ target: "osv", vmm: "qemu", bootMs: noisy(random, 10, 150, 1), serving: serving(6000, 4) }]);
    const b = syntheticPerformanceRun("b", "2026-11-26T11:00:00.000Z", [{ target: "osv", vmm: "qemu", bootMs: noisy(random, 10, 150, 1), serving: serving(4500, 6) }]);
    const rows = new Map(compareRuns(a, b).rows.map((r) => [r.metricKey, r]));
    expect(rows.get("rps")).toMatchObject({ better: "higher", verdict: "slower", significant: true });
    expect(rows.get("rps")!.changePercent).toBeCloseTo(-25, 0);
    expect(rows.get("p99")).toMatchObject({ better: "lower", verdict: "slower", significant: true });
    expect(rows.get("first-answer")).toMatchObject({ better: "lower", verdict: "no significant change" });
    const gate = { thresholdPercent: 10, metrics: ["rps", "p99", "first-answer"] as const };
    expect(findRegressions(compareRuns(a, b), gate).map((r) => r.metricKey)).toEqual(["rps", "p99"]);
    // The other way round, more throughput is faster and no regression.
    expect(new Map(compareRuns(b, a).rows.map((r) => [r.metricKey, r])).get("rps")).toMatchObject({ verdict: "faster" });
    expect(findRegressions(compareRuns(b, a), gate)).toEqual([]);
  });
});
