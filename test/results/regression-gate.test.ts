// compare --fail-on-regression through the built CLI, on stored runs with a
// known answer: a +50% boot time fails the gate and is named, identical samples
// and a significant shift below the threshold pass, pairs measured in one run
// only are listed without failing, and a run from another host or
// configuration raises a warning that says what differs.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { SqliteStore } from "../../src/results/store/sqlite-store.js";
import { performanceStoredRun } from "../../src/results/store/stored-run.js";
import { noisy, seededRandom, syntheticPerformanceRun, type SyntheticPair, type SyntheticRunExtras } from "./fixtures.js";

let resultsDir: string;
const random = seededRandom(13);
const boot = noisy(random, 20, 10, 0.1);
const run = noisy(random, 20, 30, 0.1);
const memory = noisy(random, 20, 42, 0.05);
const pair = (bootMs: number[], more: Partial<SyntheticPair> = {}): SyntheticPair => ({ target: "null", vmm: "qemu-microvm", bootMs, runMs: run, peakMiB: memory, ...more });

/** Run ids by name; each run started one hour after the one before. */
const RUNS: Record<string, { pairs: SyntheticPair[]; extras?: SyntheticRunExtras }> = {
  base: { pairs: [pair(boot, { guestBootMs: boot.map((x) => x / 2) })], extras: { labels: ["baseline"] } },
  plus50: { pairs: [pair(boot.map((x) => x * 1.5))], extras: { labels: ["pr-50"] } },
  identical: { pairs: [pair(boot)] },
  plus5: { pairs: [pair(boot.map((x) => x * 1.05))] },
  otherHost: { pairs: [pair(boot, { accel: "kvm", vmmVersion: "8.2.2 (Debian 1:8.2.2+ds-0ubuntu1)" })], extras: { host: { hostname: "runner-amd", cpuModel: "AMD EPYC 7763 64-Core Processor", cores: 4 } } },
  guestSlower: { pairs: [pair(boot, { guestBootMs: boot.map((x) => (x / 2) * 1.5) })] },
  extraPair: { pairs: [pair(boot), { target: "linux", vmm: "qemu", bootMs: noisy(random, 20, 300, 5) }] },
};
const ids: Record<string, string> = {};

beforeAll(async () => {
  resultsDir = await mkdtemp(path.join(os.tmpdir(), "regression-gate-"));
  const store = await SqliteStore.open(resultsDir);
  try {
    let hour = 10;
    for (const [name, { pairs, extras }] of Object.entries(RUNS)) {
      ids[name] = `20261126T${hour}0000Z-${name.slice(0, 4).padEnd(4, "0")}`;
      await store.save(performanceStoredRun(syntheticPerformanceRun(ids[name]!, `2026-11-26T${hour++}:00:00.000Z`, pairs, extras)));
    }
  } finally {
    store.close();
  }
});
afterAll(async () => {
  await rm(resultsDir, { recursive: true, force: true });
});

const compare = (...args: string[]) => runCli(["compare", ...args, "--results-dir", resultsDir]);

describe("compare --fail-on-regression", () => {
  it("fails (exit 1) on a boot time 50% slower and names the metric, and only that one", async () => {
    const result = await compare(ids.base!, ids.plus50!, "--fail-on-regression", "10");
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain("Regression gate failed: 1 metric(s) significantly worse (p < 0.05) by more than 10%:");
    expect(result.stderr).toMatch(/Regression: null on qemu-microvm, Time to boot: 9\.97 ms → 14\.96 ms \(\+50\.0%, p < 0\.001\)/);
    expect(result.stderr.match(/^Regression: /gm)).toHaveLength(1);
    expect(result.stdout).toMatch(/Time to boot .* slower: regression\n/);
    expect(result.stdout).toMatch(/Time to run .* no significant change\n/);
  });

  it("passes (exit 0) on identical samples", async () => {
    const result = await compare(ids.base!, ids.identical!, "--fail-on-regression", "10");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Regression gate passed: no metric (boot, run, memory, size) is significantly worse (p < 0.05) by more than 10%.");
    expect(result.stderr).not.toContain("Warning:");
  });

  it("passes (exit 0) on a shift of 5% under a 10% threshold, though the shift is significant", async () => {
    const result = await compare(ids.base!, ids.plus5!, "--fail-on-regression", "10", "--output", "json");
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as { rows: Array<{ metric: string; significant: boolean; verdict: string; changePercent: number; pValue: number }>; gate: { passed: boolean; thresholdPercent: number } };
    const bootRow = output.rows.find((r) => r.metric === "Time to boot")!;
    expect(bootRow).toMatchObject({ significant: true, verdict: "slower" });
    expect(bootRow.pValue).toBeLessThan(0.001);
    expect(bootRow.changePercent).toBeCloseTo(5, 1);
    expect(output.gate).toMatchObject({ passed: true, thresholdPercent: 10 });
    // The same shift fails a 2% threshold.
    expect((await compare(ids.base!, ids.plus5!, "--fail-on-regression", "2")).code).toBe(1);
  });

  it("counts only the metrics --metrics names, at the significance level --alpha sets", async () => {
    expect((await compare(ids.base!, ids.plus50!, "--fail-on-regression", "10", "--metrics", "run,memory")).code).toBe(0);
    expect((await compare(ids.base!, ids.plus50!, "--fail-on-regression", "10", "--metrics", "boot")).code).toBe(1);
    // n = 20 against 20 completely separated: p ≈ 7e-8 by the normal approximation, so a stricter level still fails it ...
    expect((await compare(ids.base!, ids.plus50!, "--fail-on-regression", "10", "--alpha", "0.000001")).code).toBe(1);
    // ... and one below that p passes it, calling the shift not significant.
    const strict = await compare(ids.base!, ids.plus50!, "--fail-on-regression", "10", "--alpha", "1e-9");
    expect(strict.code).toBe(0);
    expect(strict.stdout).toMatch(/Time to boot .* no significant change\n/);
  });

  it("gates the boot time the guest reports when --metrics names it", async () => {
    expect((await compare(ids.base!, ids.guestSlower!, "--fail-on-regression", "10")).code).toBe(0);
    const result = await compare(ids.base!, ids.guestSlower!, "--fail-on-regression", "10", "--metrics", "boot,guest-boot");
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^Regression: null on qemu-microvm, Time to boot \(guest-reported\): 4\.99 ms → 7\.48 ms \(\+50\.0%, p < 0\.001\)$/m);
    // A run without it has no such row: nothing to gate.
    expect((await compare(ids.base!, ids.identical!, "--fail-on-regression", "10", "--metrics", "guest-boot")).code).toBe(0);
  });

  it("finds runs by label: the newest run carrying it", async () => {
    const result = await compare("baseline", "pr-50", "--fail-on-regression", "10");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`A = ${ids.base} (baseline), B = ${ids.plus50} (pr-50)`);
  });

  it("lists a pair measured in one run only without failing", async () => {
    const result = await compare(ids.base!, ids.extraPair!, "--fail-on-regression", "10");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Not compared: linux on qemu: measured in B only");
  });

  it("warns when B comes from another host and configuration, naming what differs", async () => {
    const result = await compare(ids.base!, ids.otherHost!, "--fail-on-regression", "10");
    expect(result.code, result.stderr).toBe(0);
    const warning = result.stderr.split("\n").find((l) => l.startsWith("Warning:"));
    expect(warning).toContain("A and B were measured on different hosts or configurations:");
    expect(warning).toContain("CPU model (A: Test CPU; B: AMD EPYC 7763 64-Core Processor)");
    expect(warning).toContain("CPU cores (A: 2; B: 4)");
    expect(warning).toContain("accelerator (A: tcg; B: kvm)");
    expect(warning).toContain("QEMU version (A: 7.2.0 (Debian 1:7.2+dfsg-7+deb12u6); B: 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1))");
    expect(warning).not.toMatch(/memory|vCPUs|kernel/);
  });

  it("writes a pull-request comment with --output markdown: runs, warning, table and verdict", async () => {
    const result = await compare("baseline", ids.otherHost!, "--fail-on-regression", "10", "--output", "markdown");
    expect(result.code).toBe(0);
    const comment = result.stdout;
    expect(comment).toMatch(/^### benchmark-tool compare\n\n\*\*A\*\* `\S+` \(`baseline`\) → \*\*B\*\* `\S+`; a change is significant when p < 0\.05/);
    expect(comment).toContain("> **Warning:** A and B were measured on different hosts or configurations: CPU model");
    expect(comment).toMatch(/\n\| Target +\| VMM +\| Metric +\|/);
    expect(comment).toMatch(/\*\*Regression gate passed: no metric \(boot, run, memory, size\) is significantly worse \(p < 0\.05\) by more than 10%\.\*\*\n$/);
    const failing = await compare(ids.base!, ids.plus50!, "--fail-on-regression", "10", "--output", "markdown");
    expect(failing.stdout).toContain("| **slower: regression** |");
    expect(failing.stdout).toMatch(/\*\*Regression gate failed: 1 metric\(s\) significantly worse \(p < 0\.05\) by more than 10%:\*\*\n- null on qemu-microvm, Time to boot: 9\.97 ms → 14\.96 ms \(\+50\.0%, p < 0\.001\)\n$/);
  });

  it("refuses bad gate settings with a message naming what is valid (exit 2)", async () => {
    const negative = await compare(ids.base!, ids.plus50!, "--fail-on-regression", "-5");
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain("give the threshold as a percentage of at least 0");
    const metric = await compare(ids.base!, ids.plus50!, "--fail-on-regression", "5", "--metrics", "boot,speed");
    expect(metric.code).toBe(2);
    expect(metric.stderr).toContain('unknown metric(s) "speed"; choose from boot, run, startup, memory, size, guest-boot, vmm-boot');
    const alpha = await compare(ids.base!, ids.plus50!, "--alpha", "5");
    expect(alpha.code).toBe(2);
    const metricsAlone = await compare(ids.base!, ids.plus50!, "--metrics", "boot");
    expect(metricsAlone.code).toBe(2);
    expect(metricsAlone.stderr).toContain("--metrics chooses what --fail-on-regression counts");
  });

  it("without --fail-on-regression, reports a slower run and still exits 0", async () => {
    const result = await compare(ids.base!, ids.plus50!);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Time to boot .* slower\n/);
    expect(result.stderr).not.toContain("Regression");
  });
});
