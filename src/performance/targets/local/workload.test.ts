import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../../log/logger.js";
import { READY_MARKER } from "../types.js";
import { buildWorkload } from "./workload.js";

interface RunResult {
  stdout: string;
  exitCode: number | null;
  peakRssKiB: number;
}

/** Runs `file`, polling its VmHWM (peak RSS) from /proc while it lives. */
function runAndWatch(file: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    let peakRssKiB = 0;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const poll = setInterval(() => {
      readFile(`/proc/${child.pid}/status`, "utf8")
        .then((status) => {
          const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
          if (hwm) peakRssKiB = Math.max(peakRssKiB, Number(hwm[1]));
        })
        .catch(() => undefined);
    }, 200);
    child.on("error", reject);
    child.on("close", (exitCode) => {
      clearInterval(poll);
      resolve({ stdout, exitCode, peakRssKiB });
    });
  });
}

describe("buildWorkload", () => {
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "bt-workload-"));
  });

  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("builds hello, which prints the marker first and exits 0", async () => {
    const file = await buildWorkload("hello", { cacheDir, log: silentLogger });
    const result = await runAndWatch(file);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${READY_MARKER}\n`);
  });

  it("reuses the cached build", async () => {
    const first = await buildWorkload("hello", { cacheDir, log: silentLogger });
    const mtimeMs = (await stat(first)).mtimeMs;
    const second = await buildWorkload("hello", { cacheDir, log: silentLogger });
    expect(second).toBe(first);
    expect((await stat(second)).mtimeMs).toBe(mtimeMs);
  });

  // Slow: alloc sleeps 8 s by design.
  it("builds alloc, which prints the marker first, peaks above 40 MiB and exits 0", async () => {
    const file = await buildWorkload("alloc", { cacheDir, log: silentLogger });
    const result = await runAndWatch(file);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.startsWith(`${READY_MARKER}\n`)).toBe(true);
    expect(result.peakRssKiB).toBeGreaterThan(40 * 1024);
  }, 30_000);
});
