// End to end: the linux baseline (Debian's kernel, a busybox initramfs) on
// QEMU microvm under TCG, with the hello and alloc workloads.
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerformanceRunSchema, type RunEntry } from "../../src/results/schema.js";
import { runCli } from "../helpers/cli.js";
import { TEST_CACHE_DIR } from "../paths.js";

async function measure(workload: "hello" | "alloc", iterations: number, resultsDir: string): Promise<RunEntry> {
  const cli = await runCli([
    "performance", "linux:qemu-microvm", "--workload", workload, "--accel", "tcg", "-n", String(iterations), "-w", "0",
    "--output", "json", "--results-dir", resultsDir, "--cache-dir", TEST_CACHE_DIR,
  ]);
  expect(cli.code, cli.stderr).toBe(0);
  return PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
}

describe("performance linux:qemu-microvm (TCG)", () => {
  let tmp: string;
  let hello: RunEntry;
  let alloc: RunEntry;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "bt-linux-"));
    hello = await measure("hello", 2, tmp);
    alloc = await measure("alloc", 1, tmp);
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("boots Debian's kernel with the initramfs and measures it", async () => {
    expect(hello).toMatchObject({ status: "ok", accel: "tcg" });
    expect(hello.iterations).toHaveLength(2);
    for (const iteration of hello.iterations) {
      expect(iteration.bootNs).toBeLessThanOrEqual(iteration.runNs);
      expect(iteration.guestEndReason).toBe("guest-shutdown");
      // A Linux guest touches far more memory than the VMM alone.
      expect(iteration.peakRssBytes).toBeGreaterThan(64 * 2 ** 20);
      expect(iteration.peakRssExact).toBe(true);
    }
    const roles = hello.image!.files.map((f) => f.role);
    expect(roles).toEqual(["kernel", "initrd"]);
    let bytes = 0;
    for (const file of hello.image!.files) bytes += (await stat(file.path)).size;
    expect(hello.image!.sizeBytes).toBe(bytes);
    expect(hello.bootArgs).toMatch(/console=ttyS0/);
  });

  it("runs the seed's alloc workload: about 8 s of run after the boot, and the VMM's memory grows", () => {
    expect(alloc.status).toBe("ok");
    const run = alloc.iterations[0]!;
    // 4 allocations and 4 frees, each followed by a 1 s pause.
    expect(run.runNs - run.bootNs).toBeGreaterThan(8e9);
    // Sampled every 10 ms over the whole run.
    expect(run.memorySeries.rssBytes.length).toBeGreaterThan(500);
    // The host sees only guest pages never touched before: the guest reuses
    // pages its boot touched and freed, so the 40 MiB show as less, but they show.
    const { offsetsNs, rssBytes } = run.memorySeries;
    const atBoot = rssBytes[offsetsNs.findIndex((t) => t >= run.bootNs)]!;
    expect(Math.max(...rssBytes) - atBoot).toBeGreaterThan(4 * 2 ** 20);
    expect(run.peakRssBytes).toBeGreaterThan(Math.max(...hello.iterations.map((i) => i.peakRssBytes)));
  });
});
