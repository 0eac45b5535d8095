import { describe, expect, it } from "vitest";
import { performanceStoredRun } from "../../src/results/store/stored-run.js";
import { syntheticPerformanceRun } from "./fixtures.js";
import { chartSpecs, type ChartSpec } from "../../src/results/report/chart-specs.js";

const nullBesideLinux = performanceStoredRun(
  syntheticPerformanceRun("20261127T000000Z-0001", "2026-11-27T00:00:00Z", [
    { target: "null", vmm: "qemu-microvm", bootMs: [3, 3.2, 3.1] },
    { target: "linux", vmm: "qemu-microvm", bootMs: [1690, 1700, 1710], runMs: [1750, 1760, 1770] },
  ]),
);
const twoNulls = performanceStoredRun(
  syntheticPerformanceRun("20261127T000000Z-0002", "2026-11-27T00:00:00Z", [
    { target: "null", vmm: "qemu", bootMs: [60, 62, 61] },
    { target: "null", vmm: "qemu-microvm", bootMs: [3, 3.2, 3.1] },
  ]),
);

const byId = (charts: ChartSpec[]): Record<string, ChartSpec> => Object.fromEntries(charts.map((c) => [c.id, c]));
const yAxisType = (chart: ChartSpec): unknown => (chart.option.yAxis as { type: string }).type;

describe("chartSpecs scales", () => {
  it("auto: a log axis where the values span two orders of magnitude, linear elsewhere", () => {
    const charts = byId(chartSpecs([nullBesideLinux]));
    expect(charts["boot-time"]!.logScale).toBe(true);
    expect(yAxisType(charts["boot-time"]!)).toBe("log");
    expect(charts["peak-memory"]!.logScale).toBe(false);
    expect(yAxisType(charts["peak-memory"]!)).toBe("value");
    expect(byId(chartSpecs([twoNulls]))["boot-time"]!.logScale).toBe(false);
  });

  it("linear and log apply to every chart that offers the switch; the memory series has none", () => {
    for (const scale of ["linear", "log"] as const) {
      const charts = chartSpecs([nullBesideLinux], scale);
      const switchable = charts.filter((c) => c.logScale !== undefined);
      expect(switchable.map((c) => c.id)).toEqual(["boot-time", "run-time", "peak-memory", "boot-phases", "image-size"]);
      for (const chart of switchable) expect(yAxisType(chart), chart.id).toBe(scale === "log" ? "log" : "value");
      expect(byId(charts)["memory-over-time"]!.logScale).toBeUndefined();
    }
  });

  it("stacks each phase's mean per target and VMM; the stack is the mean iteration", () => {
    const phases = byId(chartSpecs([twoNulls]))["boot-phases"]!;
    const series = phases.option.series as Array<{ name: string; stack: string; data: number[] }>;
    expect(series.map((s) => s.stack)).toEqual(Array(5).fill("phases"));
    // The fixture's boot is split 40/60 between its two boot phases; the microvm pair's mean boot is 3.1 ms.
    expect(series[1]!.data[1]! + series[2]!.data[1]!).toBeCloseTo(3.1, 10);
    expect(phases.table.rows[1]![0]).toBe("null · qemu-microvm");
  });
});
