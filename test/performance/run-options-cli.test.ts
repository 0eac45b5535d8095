// `performance` with the options that make figures hold on a noisy host, on
// the real null guest and QEMU under TCG: --order, --seed, --precision with
// --max-iterations, --pin, --phases, and their usage errors.
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usableCpus } from "../../src/performance/host/cpu-pinning.js";
import { DensityRunSchema } from "../../src/results/density-schema.js";
import { PerformanceRunSchema, type PerformanceRun } from "../../src/results/schema.js";
import { runCli, startCli } from "../helpers/cli.js";
import { TEST_CACHE_DIR } from "../paths.js";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "bt-run-options-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function performance(args: string[]): Promise<{ run: PerformanceRun; stderr: string; stdout: string; code: number | null }> {
  const resultsDir = await mkdtemp(path.join(tmp, "results-"));
  const cli = await runCli(["performance", "--accel", "tcg", "--results-dir", resultsDir, "--cache-dir", TEST_CACHE_DIR, ...args]);
  const [file] = await readdir(path.join(resultsDir, "performance"));
  const run = PerformanceRunSchema.parse(JSON.parse(await readFile(path.join(resultsDir, "performance", file!), "utf8")));
  return { run, stderr: cli.stderr, stdout: cli.stdout, code: cli.code };
}

/** The pairs in the order their iterations began. */
function timeline(run: PerformanceRun): string[] {
  return run.results
    .flatMap((entry) => entry.iterations.map((i) => ({ pair: `${entry.vmm}${i.warmup ? " (warm-up)" : ""}`, startedAt: i.startedAt! })))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .map((i) => i.pair);
}

describe("performance --order and --seed", () => {
  it("sequential: one pair after the other, as the seed tool did", async () => {
    const { run, code, stderr } = await performance(["null", "--vmm", "qemu", "qemu-microvm", "--order", "sequential", "-n", "2", "-w", "1"]);
    expect(code, stderr).toBe(0);
    expect(run.config.order).toBe("sequential");
    expect(timeline(run)).toEqual(["qemu (warm-up)", "qemu", "qemu", "qemu-microvm (warm-up)", "qemu-microvm", "qemu-microvm"]);
  });

  it("the same --seed gives the same interleaved order", async () => {
    const args = ["null", "--vmm", "qemu", "qemu-microvm", "--seed", "4242", "-n", "5", "-w", "0"];
    const first = await performance(args);
    const second = await performance(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.run.config.seed).toBe(4242);
    expect(timeline(second.run)).toEqual(timeline(first.run));
  });
});

describe("performance --precision", () => {
  it("stops at --max-iterations when the precision is out of reach, and says so", async () => {
    const { run, code, stderr } = await performance(["null:qemu-microvm", "--precision", "0.001", "-n", "2", "--max-iterations", "6", "-w", "0"]);
    expect(code, stderr).toBe(0);
    const [entry] = run.results;
    expect(entry!.iterations).toHaveLength(6);
    expect(entry!.precision).toMatchObject({ targetPercent: 0.001, reached: false });
    expect(stderr).toMatch(/null on qemu-microvm: --precision ±0\.001%: not reached after 6 iterations \(the --max-iterations limit\)/);
    expect(run.config).toMatchObject({ precisionPercent: 0.001, maxIterations: 6 });
  });

  it("stops as soon as the median is precise enough, at -n at the earliest", async () => {
    // ±99% is loose: reached after a few boots even on a busy host (a pair with no spread at all stops at -n: interleaving.test.ts).
    const { run, code, stderr } = await performance(["null:qemu-microvm", "--precision", "99", "-n", "6", "--max-iterations", "40", "-w", "0"]);
    expect(code, stderr).toBe(0);
    const [entry] = run.results;
    const n = entry!.iterations.length;
    expect(n).toBeGreaterThanOrEqual(6);
    expect(n).toBeLessThan(40);
    expect(entry!.precision).toMatchObject({ targetPercent: 99, reached: true });
    expect(entry!.precision!.halfWidthPercent!).toBeLessThanOrEqual(99);
    expect(stderr).toContain(`null on qemu-microvm: median boot time within ±99% (95% CI) after ${n} iterations`);
  });
});

describe("performance --phases", () => {
  it("adds a row per boot phase to the summary", async () => {
    const { stdout, code, stderr } = await performance(["null:qemu-microvm", "-n", "2", "-w", "0", "--phases"]);
    expect(code, stderr).toBe(0);
    for (const label of ["VMM start-up", "Boot signal → first output", "First output → ready", "Ready → guest end", "Guest end → VMM reaped"]) {
      expect(stdout).toMatch(new RegExp(`^null\\s+qemu-microvm\\s+tcg\\s+Phase: ${label}\\s+[\\d.]+ ms`, "m"));
    }
  });
});

// Performance and density pin alike: both go through the one run session.
describe.each([
  ["performance", ["performance", "null:qemu-microvm", "-n", "8", "-w", "1"]],
  ["density", ["density", "null:qemu-microvm", "--vms", "1,2", "--rounds", "3"]],
])("%s --pin", (command, args) => {
  it("runs the VMMs on the pinned CPU and the tool on the others, and records both", async () => {
    const cpus = await usableCpus();
    const vmmCpu = cpus.at(-1)!;
    const resultsDir = await mkdtemp(path.join(tmp, "pin-"));
    const privateTmp = await mkdtemp(path.join(tmp, "pin-tmp-"));
    const { child, result } = startCli([...args, "--accel", "tcg", "--pin", String(vmmCpu), "--output", "json", "--results-dir", resultsDir, "--cache-dir", TEST_CACHE_DIR], {
      TMPDIR: privateTmp,
    });
    // While it runs: the CPUs of every QEMU it started, and of the tool itself.
    const vmmAffinities = new Set<string>();
    let toolAffinity: string | undefined;
    let running = true;
    void result.then(() => (running = false));
    while (running) {
      toolAffinity = (await cpusAllowed(child.pid!)) ?? toolAffinity;
      for (const pid of await processesUnder(privateTmp)) {
        const allowed = await cpusAllowed(pid);
        if (allowed) vmmAffinities.add(allowed);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const cli = await result;
    expect(cli.code, cli.stderr).toBe(0);
    expect([...vmmAffinities]).toEqual([String(vmmCpu)]);
    const run = (command === "density" ? DensityRunSchema : PerformanceRunSchema).parse(JSON.parse(cli.stdout));
    const others = cpus.filter((cpu) => cpu !== vmmCpu);
    if (others.length > 0) {
      expect(toolAffinity).toEqual(others.length === 1 ? String(others[0]) : expect.any(String));
      expect(run.config.pin).toEqual({ vmmCpus: String(vmmCpu), toolCpus: toolAffinity });
    } else {
      expect(run.config.pin).toEqual({ vmmCpus: String(vmmCpu) });
      expect(cli.stderr).toMatch(/takes every CPU this tool may use/);
    }
    // The command line recorded is the VMM's own, not taskset's.
    if (command === "performance") expect(PerformanceRunSchema.parse(run).results[0]!.commandLine![0]).toMatch(/qemu-system-x86_64$/);
  });
});

async function cpusAllowed(pid: number): Promise<string | undefined> {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1];
  } catch {
    return undefined;
  }
}

/** QEMU processes whose command line names a socket under `dir` (the run's private TMPDIR). */
async function processesUnder(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.startsWith("qemu-system") && cmdline.includes(dir)) pids.push(Number(entry));
  }
  return pids;
}

describe("performance: usage errors of the run options", () => {
  it.each([
    [["--pin", "99"], /--pin 99: CPU 99 does not exist here \(or this process may not use them\); the CPUs available: \d/],
    [["--pin", "one"], /--pin one: 'one' is not a CPU list; write CPU numbers and ranges, e\.g\. 1, 2-3/],
    [["--max-iterations", "20"], /--max-iterations applies only with --precision/],
    [["--precision", "2", "-n", "3", "--max-iterations", "5"], /--max-iterations must be at least 6 with --precision: with fewer, the median boot time has no 95% confidence interval/],
    [["--precision", "2", "-n", "30", "--max-iterations", "20"], /--max-iterations \(20\) must be at least -n \(30\)/],
    [["--precision", "0"], /--precision must be a percentage above 0 and below 100/],
    [["--seed", "-3"], /option '--seed <n>' argument '-3' is invalid. It must be a whole number from 0 to 4294967295/],
    [["--order", "random"], /argument 'random' is invalid\. Allowed choices are interleaved, sequential/],
  ])("exits 2 on %j, saying what is valid", async (args, message) => {
    const result = await runCli(["performance", "null:qemu-microvm", "--accel", "tcg", ...args]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });
});
