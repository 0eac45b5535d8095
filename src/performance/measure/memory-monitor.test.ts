import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryMonitor } from "./memory-monitor.js";

// A child that touches 64 MiB, says so, then waits for a line on stdin.
const TOUCH_64_MIB = `
const b = Buffer.alloc(64 * 1024 * 1024, 1);
process.stdout.write("touched\\n");
process.stdin.once("data", () => process.exit(b[12345] === 1 ? 0 : 1));
`;

describe("MemoryMonitor", () => {
  const monitor = new MemoryMonitor(5);
  afterAll(() => monitor.close());

  it("reads the exact peak of a live process and a series of samples", async () => {
    const child = spawn(process.execPath, ["-e", TOUCH_64_MIB], { stdio: ["pipe", "pipe", "inherit"] });
    monitor.start(child.pid!);
    await once(child.stdout!, "data");
    await new Promise((r) => setTimeout(r, 50));
    const report = await monitor.stop();
    child.stdin!.write("done\n");
    await once(child, "exit");
    expect(report.peakExact).toBe(true);
    expect(report.peakRssBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(report.rssBytes.length).toBeGreaterThanOrEqual(5);
    expect(report.sampleTimesNs.length).toBe(report.rssBytes.length);
    expect(Math.max(...report.rssBytes)).toBeLessThanOrEqual(report.peakRssBytes);
    // Samples are an interval apart, but for the last one, taken at stop().
    const times = report.sampleTimesNs.slice(0, -1);
    const gaps = times.slice(1).map((t, i) => Number(t - times[i]!) / 1e6);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(4);
  });

  it("puts each report on the process it was started for, however quickly they follow each other", async () => {
    // Two live processes far apart in size, sampled in turn: a report of one
    // taken for the other would show at once.
    const small = spawn(process.execPath, ["-e", "process.stdout.write('ready\\n'); process.stdin.once('data', () => process.exit(0))"], { stdio: ["pipe", "pipe", "inherit"] });
    const large = spawn(process.execPath, ["-e", TOUCH_64_MIB], { stdio: ["pipe", "pipe", "inherit"] });
    await Promise.all([once(small.stdout!, "data"), once(large.stdout!, "data")]);
    try {
      for (let round = 0; round < 40; round++) {
        const child = round % 2 ? large : small;
        monitor.start(child.pid!);
        if (round % 3 === 0) await new Promise((r) => setTimeout(r, 7));
        const report = await monitor.stop();
        expect(report.peakExact, `round ${round}`).toBe(true);
        if (child === large) expect(report.peakRssBytes, `round ${round}`).toBeGreaterThan(64 * 1024 * 1024);
        else expect(report.peakRssBytes, `round ${round}`).toBeLessThan(64 * 1024 * 1024);
      }
    } finally {
      for (const child of [small, large]) child.stdin!.write("done\n");
      await Promise.all([once(small, "exit"), once(large, "exit")]);
    }
  });

  it("says the peak is not exact when the process is already gone, and serves the next process", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 100)"], { stdio: "ignore" });
    monitor.start(child.pid!);
    await once(child, "exit");
    const report = await monitor.stop();
    expect(report.peakExact).toBe(false);
    expect(report.peakRssBytes).toBeGreaterThan(0);
  });
});
