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

describe("chartSpecs of server guests (the http workload)", () => {
  const servers = performanceStoredRun(
    syntheticPerformanceRun("20261205T000000Z-0003", "2026-12-05T00:00:00Z", [
      { target: "osv", vmm: "qemu", bootMs: [150, 152, 151], serving: { firstAnswerMs: [700, 760, 740], requestsPerSecond: [5800, 5900, 5700], p99Ms: [4, 5, 6] } },
      { target: "unikraft", vmm: "qemu", bootMs: [140, 141, 139], serving: { firstAnswerMs: [330, 400, 380], requestsPerSecond: [1500, 1800, 1300], p99Ms: [9, 8, 10] } },
      // A pair without a server's figures (another workload) gets none of the serving charts.
      { target: "null", vmm: "qemu", bootMs: [60, 62, 61] },
    ]),
  );

  it("draws the first answer beside the boot, requests per second, latency percentiles and memory idle and under load, medians per pair", () => {
    const charts = byId(chartSpecs([servers]));
    const series = (id: string) => charts[id]!.option.series as Array<{ name: string; type: string; data: number[] }>;
    expect(series("first-answer").map((s) => [s.name, s.data])).toEqual([
      ["Ready marker (listening)", [151, 140]],
      ["First answer", [740, 380]],
    ]);
    expect(series("requests-per-second")[0]!.data).toEqual([5800, 1500]);
    expect(series("latency").map((s) => s.name)).toEqual(["p50", "p90", "p99"]);
    expect(series("latency")[2]!.data).toEqual([5, 9]);
    expect(series("serving-memory").map((s) => s.data)).toEqual([[60, 60], [70, 70]]);
    expect(charts["requests-per-second"]!.table.rows.map((r) => r[0])).toEqual(["osv · qemu", "unikraft · qemu"]);
    // On a log scale, the bars start at the power of ten below the smallest value, not at 1.
    const logCharts = byId(chartSpecs([servers], "log"));
    expect(logCharts["first-answer"]!.option.yAxis).toMatchObject({ type: "log", min: 100, startValue: 100 });
    expect(logCharts["first-answer"]!.barStart).toBe(100);
  });
});
