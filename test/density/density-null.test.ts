// End to end on real QEMU (microvm, TCG) with the null guest: density levels
// of 1, 2 and 4 VMs booted at once, and a level where one VM never shows its
// ready marker. Nothing may be left behind: no VMM, no private directory.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DensityRunSchema, type DensityRun } from "../../src/results/density-schema.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { QEMU_WRAPPER, TEST_CACHE_DIR } from "../paths.js";

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "bt-density-"));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A private TMPDIR and results directory per run, so that what a run leaves behind is its own. */
async function runDir(name: string): Promise<{ privateTmp: string; resultsDir: string }> {
  const privateTmp = path.join(tmp, name, "tmp");
  await mkdir(privateTmp, { recursive: true });
  return { privateTmp, resultsDir: path.join(tmp, name, "results") };
}

async function expectNothingLeft(privateTmp: string): Promise<void> {
  expect(await processesMentioning(privateTmp)).toEqual([]);
  expect(await readdir(privateTmp)).toEqual([]);
}

describe("density null on qemu-microvm at 1, 2 and 4 VMs", () => {
  let cli: CliResult;
  let run: DensityRun;
  let dirs: { privateTmp: string; resultsDir: string };

  beforeAll(async () => {
    dirs = await runDir("levels");
    cli = await runCli(
      ["density", "null:qemu-microvm", "--vms", "1,2,4", "--rounds", "2", "--accel", "tcg", "--output", "json", "--results-dir", dirs.resultsDir, "--cache-dir", TEST_CACHE_DIR],
      { TMPDIR: dirs.privateTmp },
    );
    run = DensityRunSchema.parse(JSON.parse(cli.stdout));
  });

  it("exits 0 and reports every VM of every round at each level", () => {
    expect(cli.code, cli.stderr).toBe(0);
    expect(run.results.map((e) => [e.target, e.vmm, e.status, e.accel])).toEqual([["null", "qemu-microvm", "ok", "tcg"]]);
    const entry = run.results[0]!;
    expect(entry.levels.map((l) => l.vms)).toEqual([1, 2, 4]);
    for (const level of entry.levels) {
      expect(level.perVm).toHaveLength(level.vms * 2);
      expect(level.rounds.map((r) => r.round)).toEqual([1, 2]);
      expect(level.perVm.every((vm) => vm.status === "ok"), JSON.stringify(level.perVm)).toBe(true);
      expect(level.summary).toMatchObject({ vmsTotal: level.vms * 2, failures: 0 });
    }
    expect(entry.largestFullLevel).toBe(4);
  });

  it("times each VM from its own boot signal: boot > 0, the end after the boot, all ready no sooner than the slowest", () => {
    for (const level of run.results[0]!.levels) {
      for (const vm of level.perVm) {
        expect(vm.bootNs).toBeGreaterThan(0);
        expect(vm.runNs).toBeGreaterThanOrEqual(vm.bootNs!);
        expect(vm.vmmStartupNs).toBeGreaterThan(0);
      }
      for (const round of level.rounds) {
        const boots = level.perVm.filter((vm) => vm.round === round.round).map((vm) => vm.bootNs!);
        expect(round.allReadyNs).toBeGreaterThanOrEqual(Math.max(...boots));
        expect(round.releaseSpreadNs).toBeGreaterThanOrEqual(0);
        // Released in one go: the boot signals leave within a small part of one boot.
        expect(round.releaseSpreadNs).toBeLessThan(level.vms === 1 ? Number.MIN_VALUE : 50e6);
      }
    }
  });

  it("reads every VMM's memory while all are up: PSS ≤ RSS and USS ≤ PSS each, and PSS per VM below RSS per VM when VMMs share pages", () => {
    for (const level of run.results[0]!.levels) {
      for (const vm of level.perVm) {
        expect(vm.rssBytes).toBeGreaterThan(1 << 20);
        expect(vm.pssBytes).toBeLessThanOrEqual(vm.rssBytes!);
        expect(vm.ussBytes).toBeLessThanOrEqual(vm.pssBytes!);
        expect(vm.peakRssBytes).toBeGreaterThanOrEqual(vm.rssBytes!);
      }
      for (const round of level.rounds) {
        const vms = level.perVm.filter((vm) => vm.round === round.round);
        if (level.vms > 1) expect(mean(vms.map((vm) => vm.pssBytes!))).toBeLessThan(mean(vms.map((vm) => vm.rssBytes!)));
        expect(round.memAvailableBeforeBytes).toBeGreaterThan(0);
        expect(round.memAvailableWhileUpBytes).toBeGreaterThan(0);
        expect(round.ksm?.run).toBeGreaterThanOrEqual(0);
      }
    }
    const [one, , four] = run.results[0]!.levels;
    // Four QEMUs split their shared pages four ways.
    expect(four!.summary.pssPerVmBytes!).toBeLessThan(one!.summary.pssPerVmBytes!);
  });

  it("records the host's noise before and during the run, as performance does, and logs its warnings", () => {
    const noise = run.host.noise!;
    expect(noise.before.loadAverage).toHaveLength(3);
    expect(noise.during!.seconds).toBeGreaterThan(0);
    expect(noise.during!.intervals).toBeGreaterThanOrEqual(0);
    expect(noise.during!.othersBusyCoresMean).toBeGreaterThanOrEqual(0);
    for (const warning of noise.warnings) expect(cli.stderr).toContain(`Host: ${warning}`);
  });

  it("keeps the run in the results directory as the document it printed", async () => {
    const files = await readdir(path.join(dirs.resultsDir, "density"));
    expect(files).toEqual([`${run.runId}.json`]);
    expect(JSON.parse(await readFile(path.join(dirs.resultsDir, "density", files[0]!), "utf8"))).toEqual(run);
  });

  it("is stored: history lists it as a density run, export gives it back, and its report draws it against N", async () => {
    const history = await runCli(["history", "--kind", "density", "--output", "json", "--results-dir", dirs.resultsDir]);
    expect(history.code, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout)).toMatchObject([{ runId: run.runId, kind: "density" }]);
    const exported = await runCli(["export", run.runId, "--format", "json", "--results-dir", dirs.resultsDir]);
    expect(JSON.parse(exported.stdout)).toEqual(run);
    const report = await readFile(path.join(dirs.resultsDir, "reports", `${run.runId}.html`), "utf8");
    expect(report).toContain('data-chart="density-boot"');
    expect(report).toContain('data-chart="density-memory"');
  });

  it("leaves nothing behind", async () => {
    await expectNothingLeft(dirs.privateTmp);
  });
});

describe("density: one VM of a level that never shows its ready marker", () => {
  let cli: CliResult;
  let run: DensityRun;
  let dirs: { privateTmp: string; resultsDir: string };

  beforeAll(async () => {
    dirs = await runDir("one-fails");
    const boots = path.join(tmp, "one-fails", "boots.log");
    await writeFile(boots, "");
    // The wrapper gives the second boot no console: its guest boots and ends, its marker never arrives.
    cli = await runCli(
      ["density", "null:qemu-microvm", "--vms", "3", "--rounds", "1", "--accel", "tcg", "--output", "json", "--results-dir", dirs.resultsDir, "--cache-dir", TEST_CACHE_DIR],
      { TMPDIR: dirs.privateTmp, QEMU_BIN: QEMU_WRAPPER, QEMU_BOOTS_LOG: boots, QEMU_SILENT_BOOT: "2" },
    );
    run = DensityRunSchema.parse(JSON.parse(cli.stdout));
  });

  it("reports the failing VM with why, measures the two others, and exits 1", () => {
    expect(cli.code, cli.stderr).toBe(1);
    const entry = run.results[0]!;
    expect(entry.status).toBe("failed");
    const [level] = entry.levels;
    expect(level!.perVm.map((vm) => vm.status)).toEqual(["ok", "failed", "ok"]);
    expect(level!.perVm[1]!.error).toMatch(/without printing the ready marker 'BENCHMARK_TOOL_READY'/);
    for (const vm of [level!.perVm[0]!, level!.perVm[2]!]) {
      expect(vm.bootNs).toBeGreaterThan(0);
      expect(vm.pssBytes).toBeLessThanOrEqual(vm.rssBytes!);
    }
    expect(level!.summary.failures).toBe(1);
    expect(level!.rounds[0]!.allReadyNs).toBeUndefined();
    expect(cli.stderr).toMatch(/3 VM\(s\), round 1, VM 1 failed: the guest ended/);
  });

  it("leaves nothing behind", async () => {
    await expectNothingLeft(dirs.privateTmp);
  });
});

describe("density --until-failure", () => {
  it("doubles the VMs until one fails, and reports the largest level that fully succeeded", async () => {
    const dirs = await runDir("until-failure");
    const boots = path.join(tmp, "until-failure", "boots.log");
    await writeFile(boots, "");
    // Boots 1, then 2-3, then 4-7: the fourth boot, the first of the level of 4, shows no marker.
    const cli = await runCli(
      ["density", "null:qemu-microvm", "--until-failure", "--max-vms", "8", "--rounds", "1", "--accel", "tcg", "--output", "json", "--results-dir", dirs.resultsDir, "--cache-dir", TEST_CACHE_DIR],
      { TMPDIR: dirs.privateTmp, QEMU_BIN: QEMU_WRAPPER, QEMU_BOOTS_LOG: boots, QEMU_SILENT_BOOT: "4" },
    );
    expect(cli.code, cli.stderr).toBe(0);
    const entry = DensityRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry.levels.map((l) => [l.vms, l.summary.failures])).toEqual([
      [1, 0],
      [2, 0],
      [4, 1],
    ]);
    expect(entry.largestFullLevel).toBe(2);
    expect(entry.stopReason).toBe("1 of 4 VMs failed at 4 VMs");
    await expectNothingLeft(dirs.privateTmp);
  });

  it("starts no level that would leave the host less available memory than the margin", async () => {
    const dirs = await runDir("margin");
    const availableMiB = Math.floor(Number(/^MemAvailable:\s+(\d+) kB/m.exec(await readFile("/proc/meminfo", "utf8"))![1]) / 1024);
    const cli = await runCli(
      ["density", "null:qemu-microvm", "--until-failure", "--rounds", "1", "--accel", "tcg", "--memory-margin", String(availableMiB), "--output", "json", "--results-dir", dirs.resultsDir, "--cache-dir", TEST_CACHE_DIR],
      { TMPDIR: dirs.privateTmp },
    );
    expect(cli.code, cli.stderr).toBe(1);
    const entry = DensityRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry.levels).toEqual([]);
    expect(entry.status).toBe("skipped");
    expect(entry.stopReason).toMatch(/^1 VM would need about \d+ MiB of the \d+ MiB available, leaving less than the \d+ MiB margin \(--memory-margin\)$/);
    await expectNothingLeft(dirs.privateTmp);
  });
});
