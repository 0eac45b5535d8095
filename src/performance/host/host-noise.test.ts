import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HostNoiseMonitor } from "./host-noise.js";

const TOOL_PID = 4000;

/** A /proc and /sys of a 2-core host, written as files: the monitor reads nothing else. */
class FakeHost {
  readonly proc: string;
  readonly sys: string;
  nowMs = 1_000_000;

  constructor(readonly root: string) {
    this.proc = path.join(root, "proc");
    this.sys = path.join(root, "sys");
    mkdirSync(path.join(this.proc, "self"), { recursive: true });
    mkdirSync(path.join(this.sys, "devices/system/cpu"), { recursive: true });
    this.cpu({ user: 1000, system: 500, idle: 8000, steal: 0 });
    this.self(100);
    this.load(0.2);
    this.file("proc/meminfo", "MemTotal: 1000 kB\nSwapTotal:      2048 kB\nSwapFree:       1024 kB\n");
    this.file("proc/vmstat", "pswpin 10\npswpout 5\n");
  }

  file(relative: string, text: string): void {
    mkdirSync(path.dirname(path.join(this.root, relative)), { recursive: true });
    writeFileSync(path.join(this.root, relative), text);
  }

  cpu(j: { user: number; system: number; idle: number; steal: number }): void {
    const line = (name: string, k: number) => `${name} ${j.user / k} 0 ${j.system / k} ${j.idle / k} 0 0 0 ${j.steal / k} 0 0`;
    this.file("proc/stat", [line("cpu", 1), line("cpu0", 2), line("cpu1", 2), "intr 0"].join("\n") + "\n");
  }

  /** The tool's own CPU time: utime, stime, cutime, cstime. */
  self(jiffies: number): void {
    this.file("proc/self/stat", `${TOOL_PID} (node (main)) S 1 1 1 0 -1 0 0 0 0 0 ${jiffies / 2} ${jiffies / 4} ${jiffies / 8} ${jiffies / 8} 20 0 1 0\n`);
  }

  load(oneMinute: number): void {
    this.file("proc/loadavg", `${oneMinute} 0.5 0.4 1/100 12345\n`);
  }

  process(pid: number, command: string, parentPid: number): void {
    this.file(`proc/${pid}/stat`, `${pid} (${command}) S ${parentPid} ${pid} ${pid} 0 -1\n`);
  }

  monitor(benchmarkCores = 1): HostNoiseMonitor {
    return new HostNoiseMonitor({ benchmarkCores, procRoot: this.proc, sysRoot: this.sys, pid: TOOL_PID, minIntervalMs: 1000, now: () => this.nowMs });
  }
}

let host: FakeHost;
beforeEach(() => {
  host = new FakeHost(mkdtempSync(path.join(os.tmpdir(), "host-noise-")));
});
afterEach(() => rmSync(host.root, { recursive: true, force: true }));

describe("HostNoiseMonitor before a run", () => {
  it("records a quiet host and has nothing to warn about", () => {
    const monitor = host.monitor();
    expect(monitor.checkBefore()).toEqual([]);
    const { before, warnings } = monitor.finish();
    expect(before).toMatchObject({ loadAverage: [0.2, 0.5, 0.4], otherVmms: [], swapUsedBytes: 1024 * 1024 });
    expect(before.cpuGovernors).toBeUndefined();
    expect(before.boost).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it("warns about load above the free cores, other VMMs, a governor other than performance, and boost, saying what to do", () => {
    host.load(1.7);
    host.process(123, "qemu-system-x86", 1);
    host.process(124, "firecracker", 1);
    host.process(125, "qemu-system-x86", TOOL_PID); // the tool's own
    host.process(126, "bash", 1);
    host.file("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "powersave\n");
    host.file("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance\n");
    host.file("sys/devices/system/cpu/intel_pstate/no_turbo", "0\n");
    const warnings = host.monitor().checkBefore();
    expect(warnings).toEqual([
      expect.stringMatching(/load average is 1\.70 \(1 min\), more than the 1 of its 2 cores the run leaves free: .*wait for it to end or stop it/),
      expect.stringMatching(/^2 other VMM process\(es\) running \(qemu-system-x86 \[pid 123\], firecracker \[pid 124\]\): .*stop them/),
      expect.stringMatching(/governor is 'powersave', not 'performance': .*cpupower frequency-set -g performance/),
      expect.stringMatching(/boost \(turbo\) is on: .*no_turbo/),
    ]);
    const { before } = host.monitor().finish();
    expect(before.cpuGovernors?.sort()).toEqual(["performance", "powersave"]);
    expect(before.boost).toBe(true);
  });

  it("leaves no core free when the benchmark takes them all", () => {
    host.load(0.1);
    expect(host.monitor(2).checkBefore()).toEqual([expect.stringMatching(/more than the 0 of its 2 cores/)]);
  });
});

describe("HostNoiseMonitor during a run", () => {
  it("tells the others' CPU time from the tool's, and sees steal, new VMMs and swapping", () => {
    const monitor = host.monitor();
    monitor.checkBefore();
    monitor.startMeasuring();
    // Within a second: no sample.
    host.nowMs += 500;
    host.cpu({ user: 1100, system: 500, idle: 8100, steal: 0 });
    monitor.sample();
    // 10 s later: of 2000 jiffies (2 cores), 1600 busy, 300 of them the tool's (and its reaped VMMs'); 200 stolen.
    host.nowMs += 9_500;
    host.cpu({ user: 2100, system: 1000, idle: 8200, steal: 200 });
    host.self(400);
    host.load(2.5);
    host.process(130, "qemu-system-x86", 999);
    host.file("proc/vmstat", "pswpin 30\npswpout 5\n");
    monitor.sample();
    const { during, warnings } = monitor.finish();
    expect(during).toMatchObject({ seconds: 10, intervals: 1, maxLoadAverage1m: 2.5, otherVmms: [{ pid: 130, command: "qemu-system-x86" }], swappedPages: 20 });
    // (1600 busy - 300 own) / 2000 x 2 cores.
    expect(during!.othersBusyCoresMean).toBeCloseTo(1.3, 10);
    expect(during!.othersBusyCoresMax).toBeCloseTo(1.3, 10);
    expect(during!.stealPercent).toBeCloseTo(10, 10);
    expect(warnings).toEqual([
      expect.stringMatching(/other processes kept 1\.30 cores busy on average during the run \(1\.30 at most\), more than the 1 left free/),
      expect.stringMatching(/hypervisor gave 10\.0% of this machine's CPU time to others \(steal time\)/),
      expect.stringMatching(/^1 other VMM process\(es\) started during the run \(qemu-system-x86 \[pid 130\]\)/),
      expect.stringMatching(/swapped 20 pages in or out during the run: .*swapoff/),
    ]);
  });

  it("reads the real /proc and /sys of this host", () => {
    const monitor = new HostNoiseMonitor({ benchmarkCores: 1, minIntervalMs: 0 });
    monitor.checkBefore();
    monitor.startMeasuring();
    let spin = 0;
    for (let i = 0; i < 5e6; i++) spin += i;
    expect(spin).toBeGreaterThan(0);
    const { before, during } = monitor.finish();
    expect(before.loadAverage).toHaveLength(3);
    expect(before.swapUsedBytes).toBeGreaterThanOrEqual(0);
    expect(during!.othersBusyCoresMean).toBeGreaterThanOrEqual(0);
    expect(during!.stealPercent).toBeGreaterThanOrEqual(0);
  });
});
