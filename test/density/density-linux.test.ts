// End to end on real QEMU (microvm, TCG) with the Linux baseline: two VMs
// booted at once, and a run stopped by SIGTERM while its two VMMs boot.
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DensityRunSchema } from "../../src/results/density-schema.js";
import { runCli, startCli } from "../helpers/cli.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { TEST_CACHE_DIR } from "../paths.js";

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "bt-density-linux-"));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function privateTmpFor(name: string): Promise<string> {
  const dir = path.join(tmp, name, "tmp");
  await mkdir(dir, { recursive: true });
  return dir;
}

const args = (name: string): string[] => [
  "density",
  "linux:qemu-microvm",
  "--vms",
  "2",
  "--rounds",
  "1",
  "--accel",
  "tcg",
  "--timeout",
  "180",
  "--output",
  "json",
  "--results-dir",
  path.join(tmp, name, "results"),
  "--cache-dir",
  TEST_CACHE_DIR,
];

describe("density linux on qemu-microvm", () => {
  it("boots two at once: both measured, PSS ≤ RSS each, nothing left behind", async () => {
    const privateTmp = await privateTmpFor("two");
    const cli = await runCli(args("two"), { TMPDIR: privateTmp });
    expect(cli.code, cli.stderr).toBe(0);
    const [level] = DensityRunSchema.parse(JSON.parse(cli.stdout)).results[0]!.levels;
    expect(level!.perVm.map((vm) => vm.status)).toEqual(["ok", "ok"]);
    for (const vm of level!.perVm) {
      expect(vm.bootNs).toBeGreaterThan(0);
      expect(vm.pssBytes).toBeLessThanOrEqual(vm.rssBytes!);
      // The guest's memory is the VMM's own: most of a Linux VM is private.
      expect(vm.ussBytes).toBeGreaterThan(vm.rssBytes! / 2);
    }
    expect(level!.summary.pssPerVmBytes).toBeLessThan(level!.summary.rssPerVmBytes!);
    expect(await processesMentioning(privateTmp)).toEqual([]);
    expect(await readdir(privateTmp)).toEqual([]);
  });

  it("on SIGTERM while both boot: kills both VMMs, removes their directories, exits 1 with the run marked interrupted", async () => {
    const privateTmp = await privateTmpFor("sigterm");
    const { child, result } = startCli(args("sigterm"), { TMPDIR: privateTmp });
    let stderr = "";
    child.stderr.on("data", (chunk: string) => (stderr += chunk));
    const deadline = Date.now() + 120_000;
    const until = async (done: () => Promise<boolean> | boolean): Promise<void> => {
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`timed out; stderr so far:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await until(() => stderr.includes("2 VM(s), round 1 of 1"));
    await until(async () => (await processesMentioning(privateTmp)).length === 2);
    // Both launched and released; Linux takes seconds to boot under TCG.
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill("SIGTERM");
    const cli = await result;
    expect(cli.code, cli.stderr).toBe(1);
    const run = DensityRunSchema.parse(JSON.parse(cli.stdout));
    expect(run.interrupted).toBe(true);
    expect(run.results[0]!.status).toBe("interrupted");
    expect(await processesMentioning(privateTmp)).toEqual([]);
    expect(await readdir(privateTmp)).toEqual([]);
  });
});
