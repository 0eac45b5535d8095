// End to end on a real Firecracker: the null guest booted through the CLI,
// with the boot timer. Runs only where a firecracker binary (FIRECRACKER_BIN or
// PATH) and a usable /dev/kvm are present; reported as skipped, with the reason, elsewhere.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { kvmUsable } from "../../src/performance/vmm/accel.js";
import { findOnPath } from "../../src/performance/vmm/find-binary.js";
import { PerformanceRunSchema } from "../../src/results/schema.js";
import { runCli } from "../helpers/cli.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { TEST_CACHE_DIR } from "../paths.js";

const binary = await findOnPath(process.env.FIRECRACKER_BIN || "firecracker");
const kvm = await kvmUsable();
const missing = [binary ? "" : "no firecracker binary (set FIRECRACKER_BIN or put it on PATH)", kvm.usable ? "" : (kvm.reason ?? "/dev/kvm unusable")].filter(Boolean);
const skipReason = missing.length ? ` (skipped: ${missing.join("; ")})` : "";
if (skipReason) console.log(`real-firecracker.test.ts${skipReason}`);

describe(`null guest on a real Firecracker${skipReason}`, () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(missing.length > 0)("boots 1+3 times with the boot timer; Firecracker's figure sits beside the tool's", async () => {
    const privateTmp = await mkdtemp(path.join(os.tmpdir(), "bt-real-fc-"));
    const results = await mkdtemp(path.join(os.tmpdir(), "bt-real-fc-results-"));
    dirs.push(privateTmp, results);
    const cli = await runCli(
      ["performance", "null:firecracker", "--firecracker-bin", binary!, "--boot-timer", "-n", "3", "--output", "json", "--results-dir", results, "--cache-dir", TEST_CACHE_DIR, "--timeout", "20"],
      { TMPDIR: privateTmp },
    );
    expect(cli.code, cli.stderr).toBe(0);
    const entry = PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry).toMatchObject({ status: "ok", accel: "kvm", vmmVersion: expect.stringMatching(/^v\d+\.\d+/) });
    for (const iteration of entry.iterations) {
      expect(iteration.guestEndReason).toBe("vmm-exit");
      expect(iteration.bootNs).toBeGreaterThan(0);
      expect(iteration.bootNs).toBeLessThanOrEqual(iteration.runNs);
      expect(iteration.vmmStartupNs).toBeGreaterThan(0);
      expect(iteration.peakRssBytes).toBeGreaterThan(1024 * 1024);
      // Firecracker measures from a moment after the tool's InstanceStart, to the guest's write before the marker.
      expect(iteration.vmmReportedBootNs).toBeGreaterThan(0);
      expect(iteration.vmmReportedBootNs!).toBeLessThan(iteration.runNs);
    }
    expect(await readdir(privateTmp)).toEqual([]);
    expect(await processesMentioning(privateTmp)).toEqual([]);
  });
});
