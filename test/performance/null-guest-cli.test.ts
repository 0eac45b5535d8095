// End to end: `benchmark-tool performance` boots the null guest on both QEMU
// machines under TCG and reports what the seed reported, and more.
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOT_PHASES, RUN_PHASES } from "../../src/vocabulary/boot-phases.js";
import { PerformanceRunSchema, type PerformanceRun } from "../../src/results/schema.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { TEST_CACHE_DIR } from "../paths.js";

const SEED_LINES = [
  /^INFO\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] Running benchmark for null with qemu backend$/m,
  /^INFO\[[^\]]+\] Running benchmark for null with qemu-microvm backend$/m,
  /^INFO\[[^\]]+\] Unikernel booted, waiting for execution to end\.\.\.$/m,
  /^INFO\[[^\]]+\] Time to run: \d+\.\d\dms$/m,
  /^INFO\[[^\]]+\] Time to boot: \d+\.\d\dms$/m,
  /^INFO\[[^\]]+\] Image size: \d+\.\d\dMiB$/m,
  /^INFO\[[^\]]+\] Total memory usage: \d+\.\d\dMiB$/m,
];

describe("performance null (QEMU pc and microvm, TCG)", () => {
  let tmp: string;
  let resultsDir: string;
  let cli: CliResult;
  let run: PerformanceRun;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "bt-null-"));
    resultsDir = path.join(tmp, "results");
    const privateTmp = path.join(tmp, "tmp");
    await import("node:fs/promises").then((fs) => fs.mkdir(privateTmp));
    cli = await runCli(
      ["performance", "null", "--vmm", "qemu", "qemu-microvm", "--accel", "tcg", "-n", "3", "-w", "1", "--output", "json", "--results-dir", resultsDir, "--cache-dir", TEST_CACHE_DIR],
      { TMPDIR: privateTmp },
    );
    run = PerformanceRunSchema.parse(JSON.parse(cli.stdout));
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("exits 0 with a valid JSON document on stdout and the seed's lines on stderr", () => {
    expect(cli.code, cli.stderr).toBe(0);
    for (const line of SEED_LINES) expect(cli.stderr).toMatch(line);
    // One set of the seed's lines per measured iteration, on each VMM.
    expect(cli.stderr.match(/\] Time to boot: \d/g)).toHaveLength(6);
  });

  it("measures n iterations after the warm-up, on both machines, with real properties", async () => {
    expect(run.results.map((r) => [r.target, r.vmm, r.status, r.accel])).toEqual([
      ["null", "qemu", "ok", "tcg"],
      ["null", "qemu-microvm", "ok", "tcg"],
    ]);
    for (const entry of run.results) {
      expect(entry.iterations.map((i) => i.warmup)).toEqual([true, false, false, false]);
      for (const iteration of entry.iterations) {
        expect(iteration.bootNs).toBeGreaterThan(0);
        // Equal only when the end event overtook the marker on its way to the tool.
        expect(iteration.bootNs).toBeLessThanOrEqual(iteration.runNs);
        expect(iteration.vmmStartupNs).toBeGreaterThan(0);
        expect(iteration.peakRssBytes).toBeGreaterThan(1024 * 1024);
        expect(iteration.peakRssExact).toBe(true);
        expect(iteration.guestEndReason).toBe("guest-shutdown");
        expect(iteration.memorySeries.rssBytes.length).toBeGreaterThan(0);
        expect(Math.max(...iteration.memorySeries.rssBytes)).toBeLessThanOrEqual(iteration.peakRssBytes);
        // Phases on the tool's clock: none negative; from the boot signal to the guest's end they are the run time, to the ns.
        const phases = iteration.phasesNs!;
        for (const phase of BOOT_PHASES) expect(phases[phase], phase).toBeGreaterThanOrEqual(0);
        expect(RUN_PHASES.reduce((sum, phase) => sum + phases[phase], 0)).toBe(iteration.runNs);
        expect(phases.bootToFirstOutput + phases.firstOutputToReady).toBe(iteration.bootNs);
        expect(phases.vmmStartup).toBe(iteration.vmmStartupNs);
        expect(phases.guestEndToReaped).toBeGreaterThan(0);
        expect(Date.parse(iteration.startedAt!)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
      }
      for (const metric of ["bootTimeMs", "runTimeMs", "vmmStartupMs", "peakMemoryMiB"] as const) {
        expect(entry.summary?.[metric]?.n).toBe(3);
      }
      expect(entry.summary!.bootTimeMs!.median).toBeLessThan(entry.summary!.runTimeMs!.median);
      const measured = entry.iterations.filter((i) => !i.warmup);
      const boots = measured.map((i) => i.bootNs / 1e6).sort((a, b) => a - b);
      expect(entry.summary!.bootTimeMs!.median).toBeCloseTo(boots[1]!, 6);
      // The image is exactly the kernel file the VMM booted.
      const kernel = entry.image!.files.find((f) => f.role === "kernel")!;
      expect(entry.image!.sizeBytes).toBe((await stat(kernel.path)).size);
      expect(entry.commandLine).toContain("-S");
    }
    expect(run.host.cores).toBeGreaterThan(0);
    expect(run.host.vmmVersions.qemu).toMatch(/^\d+\.\d+/);
    expect(run.config).toMatchObject({ iterations: 3, warmup: 1, accel: "tcg", workload: "hello", order: "interleaved" });
    expect(cli.stderr).toContain(`Interleaved order, seed ${run.config.seed} (--seed ${run.config.seed} repeats it)`);
  });

  it("interleaves the pairs: both warm-ups first, then rounds of one iteration of each", () => {
    const timeline = run.results
      .flatMap((entry) => entry.iterations.map((i) => ({ vmm: entry.vmm, warmup: i.warmup, startedAt: i.startedAt! })))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    expect(timeline.map((i) => i.warmup)).toEqual([true, true, false, false, false, false, false, false]);
    for (let round = 0; round < 3; round++) {
      expect(timeline.slice(2 + 2 * round, 4 + 2 * round).map((i) => i.vmm).sort()).toEqual(["qemu", "qemu-microvm"]);
    }
  });

  it("records the host's noise before and during the run", () => {
    const noise = run.host.noise!;
    expect(noise.before.loadAverage).toHaveLength(3);
    expect(noise.during!.seconds).toBeGreaterThan(0);
    expect(noise.during!.othersBusyCoresMean).toBeGreaterThanOrEqual(0);
    // Every warning of the record was logged, saying what to do.
    for (const warning of noise.warnings) expect(cli.stderr).toContain(`Host: ${warning}`);
  });

  it("keeps the same document in the results directory", async () => {
    const files = await readdir(path.join(resultsDir, "performance"));
    expect(files).toEqual([`${run.runId}.json`]);
    expect(cli.stderr).toContain(`Results saved to ${path.join(resultsDir, "performance", files[0]!)}`);
  });

  it("leaves no process, socket or temporary directory behind", async () => {
    expect(await readdir(path.join(tmp, "tmp"))).toEqual([]);
    expect(await processesMentioning(path.join(tmp, "tmp"))).toEqual([]);
  });
});

describe("performance output formats and usage errors", () => {
  it("prints the summary table by default and CSV and Markdown on request", async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), "bt-formats-"));
    try {
      const base = ["performance", "null:qemu-microvm", "--accel", "tcg", "-n", "2", "-w", "0", "--results-dir", tmp, "--cache-dir", TEST_CACHE_DIR];
      const table = await runCli(base);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/^Target\s+VMM\s+Accel\s+Metric\s+Median/);
      expect(table.stdout).toMatch(/null\s+qemu-microvm\s+tcg\s+Time to boot\s+[\d.]+ ms/);
      const csv = await runCli([...base, "--output", "csv"]);
      expect(csv.stdout.split("\n")[0]).toBe("target,vmm,accel,status,metric,unit,n,median,mean,stddev,min,max,p95,ci95_low,ci95_high,outliers,error");
      expect(csv.stdout).toMatch(/^null,qemu-microvm,tcg,ok,Time to boot,ms,2,/m);
      const markdown = await runCli([...base, "--output", "markdown"]);
      expect(markdown.stdout).toMatch(/^\| Target +\| VMM +\|/);
      // Logs never reach stdout.
      expect(table.stdout + csv.stdout + markdown.stdout).not.toMatch(/INFO\[/);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it("takes a relative --cache-dir and --results-dir from the current directory", async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), "bt-relative-"));
    try {
      const cli = await runCli(["performance", "null:qemu-microvm", "--accel", "tcg", "-n", "1", "-w", "0", "--results-dir", "results", "--cache-dir", "cache"], {}, tmp);
      expect(cli.code, cli.stderr).toBe(0);
      expect(await readdir(path.join(tmp, "cache", "null"))).toHaveLength(1);
      expect(await readdir(path.join(tmp, "results", "performance"))).toHaveLength(1);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it("shows the VMM command line and the guest console with --debug", async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), "bt-debug-"));
    try {
      const cli = await runCli(["performance", "null:qemu-microvm", "--accel", "tcg", "-n", "1", "-w", "0", "--debug", "--results-dir", tmp, "--cache-dir", TEST_CACHE_DIR]);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stderr).toMatch(/^DEBU\[[^\]]+\] VMM command line: \S*qemu-system-x86_64 -machine microvm.* -S .*-kernel \S+null\.elf -append exit=ged$/m);
      expect(cli.stderr).toMatch(/^DEBU\[[^\]]+\] console: BENCHMARK_TOOL_READY$/m);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it.each([
    [["performance", "osv-unknown"], /unknown target 'osv-unknown'; valid targets: null \(benchmark-tool\/null\), linux \(torvalds\/linux\)/],
    [["performance", "--vmm", "xen"], /unknown VMM 'xen'; valid VMMs: qemu, qemu-microvm/],
    [["performance", "null:firecracker-x"], /null does not support VMM 'firecracker-x'/],
    [["performance", "-n", "0"], /--iterations <n>' argument '0' is invalid\. It must be a whole number from 1 to 10000/],
    [["performance", "--accel", "xen"], /argument 'xen' is invalid. Allowed choices are auto, kvm, tcg/],
    [["performance", "null", "--workload", "alloc"], /null runs only the hello workload/],
  ])("exits 2 on %j, saying what is valid", async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });
});
