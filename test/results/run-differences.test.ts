// What compare warns about: the hosts and configurations of two runs, compared
// once per difference, or per pair when only some pairs differ.
import { describe, expect, it } from "vitest";
import type { PerformanceRun } from "../../src/results/schema.js";
import { syntheticPerformanceRun } from "./fixtures.js";
import { describeDifferences, runDifferences } from "../../src/results/compare/run-differences.js";

const pairs = [
  { target: "null", vmm: "qemu", bootMs: [1, 2, 3] },
  { target: "linux", vmm: "qemu", bootMs: [9, 9, 9] },
];

describe("runDifferences", () => {
  it("finds nothing between two runs of one machine and configuration, host names aside", () => {
    const a = syntheticPerformanceRun("a", "2026-11-26T10:00:00.000Z", pairs, { host: { hostname: "runner-1" } });
    const b = syntheticPerformanceRun("b", "2026-11-26T11:00:00.000Z", pairs, { host: { hostname: "runner-2" } });
    expect(runDifferences(a, b)).toEqual([]);
    expect(describeDifferences([])).toBeUndefined();
  });

  it("names a difference of every pair once, and one of some pairs with those pairs", () => {
    const a = syntheticPerformanceRun("a", "2026-11-26T10:00:00.000Z", pairs);
    const b = structuredClone(syntheticPerformanceRun("b", "2026-11-26T11:00:00.000Z", pairs)) as PerformanceRun;
    for (const entry of b.results) entry.vcpus = 2;
    b.results[1]!.memoryMiB = 256;
    b.config.workload = "alloc";
    b.host.kernel = "6.12.0";
    expect(runDifferences(a, b)).toEqual([
      { what: "host kernel", a: "6.1.0", b: "6.12.0" },
      { what: "workload", a: "hello", b: "alloc" },
      { what: "guest memory (MiB) (linux on qemu)", a: "64", b: "256" },
      { what: "vCPUs", a: "1", b: "2" },
    ]);
  });

  it("compares only pairs both runs measured", () => {
    const a = syntheticPerformanceRun("a", "2026-11-26T10:00:00.000Z", pairs);
    const b = structuredClone(syntheticPerformanceRun("b", "2026-11-26T11:00:00.000Z", pairs)) as PerformanceRun;
    b.results[1] = { ...b.results[1]!, status: "failed", accel: "kvm", iterations: [] };
    expect(runDifferences(a, b)).toEqual([]);
  });
});
