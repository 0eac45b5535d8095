// The failure paths of one iteration and of a whole run: a guest that never
// becomes ready, one that never powers off, a VMM killed mid-run, Ctrl-C.
// Each must end promptly with a clear error and leave nothing behind.
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { runIteration, type IterationRequest } from "../../src/performance/runner/iteration.js";
import { IterationTimeoutError } from "../../src/performance/vm/deadline.js";
import { InterruptedError } from "../../src/performance/vm/interrupted-error.js";
import { MemoryMonitor } from "../../src/performance/measure/memory-monitor.js";
import { nullGuest } from "../../src/performance/targets/local/null-guest.js";
import type { BootArtifacts } from "../../src/performance/targets/types.js";
import { VmmExitedError } from "../../src/performance/vmm/errors.js";
import { QemuBackend } from "../../src/performance/vmm/qemu/qemu-backend.js";
import { PerformanceRunSchema } from "../../src/results/schema.js";
import { startCli } from "../helpers/cli.js";
import { iterationRequest } from "../helpers/iteration-request.js";
import { processesMentioning, usePrivateTmpdir } from "../helpers/leftovers.js";
import { PROJECT_ROOT, TEST_CACHE_DIR } from "../paths.js";

describe("one iteration's failure paths (null guest on QEMU pc, TCG)", () => {
  const monitor = new MemoryMonitor();
  const backend = new QemuBackend("qemu", "pc");
  let artifacts: BootArtifacts;

  beforeAll(async () => {
    artifacts = await nullGuest.build({ vmm: "qemu", workload: "hello", cacheDir: TEST_CACHE_DIR, log: silentLogger });
  });
  // runIteration makes its private directory under os.tmpdir().
  const privateTmp = usePrivateTmpdir("bt-failures-");

  afterAll(() => monitor.close());

  const request = (overrides: Parameters<typeof iterationRequest>[1] = {}): IterationRequest =>
    iterationRequest({ backend, artifacts, monitor, accel: "tcg" }, overrides);

  it("measures a normal boot (the baseline for the failures below)", async () => {
    const measured = await runIteration(request());
    expect(measured.bootNs).toBeLessThanOrEqual(measured.runNs);
    expect(measured.guestEndReason).toBe("guest-shutdown");
  });

  it("fails after the timeout when the ready marker never comes, showing the console", async () => {
    const started = Date.now();
    // The guest prints its own marker, then halts: exit=ged does nothing on machine pc.
    const error = await runIteration(request({ readyMarker: "NEVER_PRINTED", timeoutMs: 2000, bootArgs: "exit=ged" })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(IterationTimeoutError);
    expect((error as Error).message).toMatch(/did not print the ready marker 'NEVER_PRINTED' within the 2 s timeout \(--timeout\); last console lines:\n\s+BENCHMARK_TOOL_READY/);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it("fails after the timeout when the guest booted but never powers off", async () => {
    const error = await runIteration(request({ timeoutMs: 2000, bootArgs: "exit=ged" })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(IterationTimeoutError);
    expect((error as Error).message).toMatch(/the guest booted but did not power off within the 2 s timeout/);
  });

  it("fails at once when the guest powers off without printing the marker", async () => {
    const error = await runIteration(request({ readyMarker: "NEVER_PRINTED" })).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/the guest ended \(guest-shutdown\) without printing the ready marker 'NEVER_PRINTED'; last console lines/);
  });

  it("reports a VMM killed mid-run with how it died", async () => {
    const iteration = runIteration(
      request({
        bootArgs: "exit=ged",
        timeoutMs: 20_000,
        onBooted: () => {
          void processesMentioning(privateTmp()).then((found) => {
            for (const line of found) process.kill(Number(line.split(":")[0]), "SIGKILL");
          });
        },
      }),
    );
    const error = await iteration.catch((e: Error) => e);
    expect(error).toBeInstanceOf(VmmExitedError);
    expect((error as Error).message).toMatch(/qemu exited unexpectedly \(killed by SIGKILL\)/);
  });

  it("stops at once on abort (Ctrl-C)", async () => {
    const controller = new AbortController();
    const iteration = runIteration(request({ bootArgs: "exit=ged", signal: controller.signal, onBooted: () => controller.abort() }));
    await expect(iteration).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe("a run with one failing target and Ctrl-C (CLI)", () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "bt-run-failures-"));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("keeps measuring the other targets when one hangs, and exits 1", async () => {
    const privateTmp = path.join(tmp, "hang");
    await mkdir(privateTmp);
    const { result } = startCli(
      ["performance", "null:qemu", "null:qemu-microvm", "--boot-args", "exit=ged", "--accel", "tcg", "-n", "2", "-w", "0", "--timeout", "2", "--output", "json", "--results-dir", path.join(tmp, "results"), "--cache-dir", TEST_CACHE_DIR],
      { TMPDIR: privateTmp },
    );
    const cli = await result;
    expect(cli.code).toBe(1);
    const run = PerformanceRunSchema.parse(JSON.parse(cli.stdout));
    const [pc, microvm] = run.results;
    expect(pc).toMatchObject({ vmm: "qemu", status: "failed" });
    expect(pc!.error).toMatch(/did not power off within the 2 s timeout/);
    expect(cli.stderr).toMatch(/ERRO\[[^\]]+\] null on qemu failed: the guest booted but did not power off/);
    // exit=ged is microvm's own power-off: there the same arguments work.
    expect(microvm).toMatchObject({ vmm: "qemu-microvm", status: "ok" });
    expect(microvm!.summary!.bootTimeMs!.n).toBe(2);
    expect(await readdir(privateTmp)).toEqual([]);
    expect(await processesMentioning(privateTmp)).toEqual([]);
  });

  // Ctrl-C, kill, and a closed terminal: the VMMs are in their own process group, so the tool must stop them.
  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)("on %s kills the VMM, removes its files and writes the partial results", async (signal) => {
    const privateTmp = path.join(tmp, signal);
    await mkdir(privateTmp);
    const resultsDir = path.join(tmp, `results-${signal}`);
    const { child, result } = startCli(
      ["performance", "null:qemu-microvm", "--accel", "tcg", "-n", "10000", "-w", "0", "--output", "json", "--results-dir", resultsDir, "--cache-dir", TEST_CACHE_DIR],
      { TMPDIR: privateTmp },
    );
    let stderr = "";
    await new Promise<void>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if ((stderr.match(/Time to boot/g) ?? []).length >= 3) resolve();
      });
    });
    child.kill(signal);
    const cli = await result;
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/Interrupted: stopping the VMMs and keeping the results measured so far/);
    const run = PerformanceRunSchema.parse(JSON.parse(cli.stdout));
    expect(run.interrupted).toBe(true);
    expect(run.results[0]!.status).toBe("interrupted");
    expect(run.results[0]!.iterations.length).toBeGreaterThanOrEqual(3);
    expect(await readdir(path.join(resultsDir, "performance"))).toEqual([`${run.runId}.json`]);
    expect(await readdir(privateTmp)).toEqual([]);
    expect(await processesMentioning(privateTmp)).toEqual([]);
  });

  it("names a KVM internal error and suggests --accel tcg, without waiting for the timeout", async () => {
    const started = Date.now();
    const { result } = startCli(["performance", "null:qemu", "--accel", "tcg", "-n", "1", "-w", "0", "--timeout", "30", "--results-dir", path.join(tmp, "results-kvm"), "--cache-dir", TEST_CACHE_DIR], {
      QEMU_BIN: path.join(PROJECT_ROOT, "test/performance/fake-qemu-kvm-error.mjs"),
    });
    const cli = await result;
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/null on qemu failed: qemu reported a 'KVM internal error'.*Run with --accel tcg/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("says how to install QEMU when it is missing: an error when nothing else could run", async () => {
    const { result } = startCli(["performance", "null", "--accel", "tcg", "-n", "1", "--results-dir", path.join(tmp, "results-noqemu"), "--cache-dir", TEST_CACHE_DIR], {
      QEMU_BIN: "/nonexistent/qemu-system-x86_64",
    });
    const cli = await result;
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/null on qemu is not available here: QEMU \(\/nonexistent\/qemu-system-x86_64\) was not found: install it with 'sudo apt-get install qemu-system-x86'/);
    expect(cli.stderr).toMatch(/ERRO\[[^\]]+\] None of the selected target\/VMM pairs is available here/);
  });
});
