// The tool killed outright (SIGKILL: no handler runs) in the middle of a Linux
// boot: its VMM must die with it, and nothing it made may stay behind once the
// next run has started.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processStartTicks } from "../../src/housekeeping/work-dir.js";
import { runCli, startCli } from "../helpers/cli.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { TEST_CACHE_DIR } from "../paths.js";

let tmp: string;
const strays: number[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "bt-sigkill-"));
});

afterAll(async () => {
  // Whatever a failed assertion left running.
  const pids = [...strays, ...(await processesMentioning(tmp)).map((line) => Number(line.split(":")[0]))];
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone already, as it should be.
    }
  }
  await rm(tmp, { recursive: true, force: true });
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await delay(50);
  }
}

function nextRun(privateTmp: string, resultsDir: string): ReturnType<typeof runCli> {
  return runCli(
    ["performance", "null:qemu-microvm", "--accel", "tcg", "-n", "1", "-w", "0", "--output", "json", "--results-dir", resultsDir, "--cache-dir", TEST_CACHE_DIR],
    { TMPDIR: privateTmp },
  );
}

describe("SIGKILL of the tool", () => {
  it("mid Linux boot: the VMM dies with the tool, and after the next run no directory is left", async () => {
    const privateTmp = path.join(tmp, "linux");
    await mkdir(privateTmp);
    const { child, result } = startCli(
      ["performance", "linux:qemu-microvm", "--accel", "tcg", "-n", "5", "-w", "0", "--results-dir", path.join(tmp, "results-linux"), "--cache-dir", TEST_CACHE_DIR],
      { TMPDIR: privateTmp },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // QEMU is up (its QMP socket is in the private directory), and Linux takes over a second to boot under TCG.
    const vmm = await waitFor("no VMM started", async () => ((await processesMentioning(privateTmp))[0]), 120_000);
    await delay(400);
    expect(stderr, "the kill must come before the guest is ready").not.toMatch(/Unikernel booted/);
    child.kill("SIGKILL");
    expect((await result).signal).toBe("SIGKILL");

    // A process that ended has no command line left (it may stay a zombie until init reaps it).
    await waitFor(`the VMM ${vmm} still runs`, async () => ((await processesMentioning(privateTmp)).length === 0 ? true : undefined), 5000);

    const next = await nextRun(privateTmp, path.join(tmp, "results-linux"));
    expect(next.code, next.stderr).toBe(0);
    expect(await readdir(privateTmp)).toEqual([]);
    expect(await processesMentioning(privateTmp)).toEqual([]);
  });

  it("the next run removes directories whose owner is gone, and stops a VMM still naming one; a live run's stay", async () => {
    const privateTmp = path.join(tmp, "stale");
    await mkdir(privateTmp);
    // A run that died: its pid no longer exists.
    const dead = spawn("true");
    await once(dead, "exit");
    const deadDir = path.join(privateTmp, `benchmark-tool-${dead.pid}-12345-AbCdEf`);
    // A live run (this test process) keeps its directory.
    const liveDir = path.join(privateTmp, `benchmark-tool-${process.pid}-${processStartTicks(process.pid)}-GhIjKl`);
    // A pid that lives on with another start time is another process: its directory is stale too.
    const reusedDir = path.join(privateTmp, `benchmark-tool-${process.pid}-1-MnOpQr`);
    for (const dir of [deadDir, liveDir, reusedDir]) await mkdir(dir, { mode: 0o700 });
    // An orphaned VMM of the dead run, which names its directory.
    const orphan = spawn("sh", ["-c", "sleep 300", path.join(deadDir, "qmp.sock")], { stdio: "ignore", detached: true });
    strays.push(orphan.pid!);

    const next = await nextRun(privateTmp, path.join(tmp, "results-stale"));
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`Removed ${deadDir}, left behind by a run that was killed`);
    expect(next.stderr).toContain(`Removed ${reusedDir}, left behind by a run that was killed`);
    expect(await readdir(privateTmp)).toEqual([path.basename(liveDir)]);
    await waitFor("the orphaned VMM still runs", async () => (orphan.exitCode !== null || orphan.signalCode !== null ? true : undefined), 5000);
    expect(orphan.signalCode).toBe("SIGKILL");
  });
});
