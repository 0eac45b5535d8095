import { describe, expect, it } from "vitest";
import { CpuListError, formatCpuList, parseCpuList, planPinning, usableCpus } from "./cpu-pinning.js";

describe("CPU lists", () => {
  it("reads taskset's list format and writes it back", () => {
    expect(parseCpuList("1")).toEqual([1]);
    expect(parseCpuList("2-3")).toEqual([2, 3]);
    expect(parseCpuList("0, 2-4,3")).toEqual([0, 2, 3, 4]);
    expect(formatCpuList([5, 0, 1, 2])).toBe("0-2,5");
    expect(formatCpuList([3])).toBe("3");
  });

  it.each([
    ["", /'' is not a CPU list/],
    ["a", /'a' is not a CPU list; write CPU numbers and ranges, e.g. 1, 2-3/],
    ["-1", /not a CPU list/],
    ["3-1", /'3-1' in '3-1' is a range that ends before it starts/],
  ])("refuses %j, saying what a list looks like", (text, message) => {
    expect(() => parseCpuList(text)).toThrow(CpuListError);
    expect(() => parseCpuList(text)).toThrow(message);
  });
});

describe("planPinning", () => {
  it("gives the tool the CPUs the VMM does not get", () => {
    expect(planPinning("1", [0, 1])).toEqual({ vmmCpus: [1], toolCpus: [0] });
    expect(planPinning("0-1", [0, 1])).toEqual({ vmmCpus: [0, 1], toolCpus: [] });
  });

  it("names CPUs that do not exist, and the ones that do", () => {
    expect(() => planPinning("7", [0, 1])).toThrow("CPU 7 does not exist here (or this process may not use them); the CPUs available: 0-1");
    expect(() => planPinning("1-3", [0, 1])).toThrow(/CPUs 2-3 do not exist here/);
  });

  it("reads the CPUs this process may use", async () => {
    const cpus = await usableCpus();
    expect(cpus.length).toBeGreaterThan(0);
    expect(cpus.every((cpu) => Number.isInteger(cpu) && cpu >= 0)).toBe(true);
  });
});
