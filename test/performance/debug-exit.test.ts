// A guest that ends through QEMU's isa-debug-exit device (nanos with
// debug_exit): QEMU exits at once with (status << 1) | 1, and the QEMU backend
// reads the guest program's status from that. A program that returned 0 ends
// the iteration as a power-off does; any other status fails it, saying so.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { runIteration, type IterationRequest } from "../../src/performance/runner/iteration.js";
import { MemoryMonitor } from "../../src/performance/measure/memory-monitor.js";
import { nullGuest } from "../../src/performance/targets/local/null-guest.js";
import type { BootArtifacts } from "../../src/performance/targets/types.js";
import { GuestProgramFailedError, VmmExitedError } from "../../src/performance/vmm/errors.js";
import { QemuBackend } from "../../src/performance/vmm/qemu/qemu-backend.js";
import { iterationRequest } from "../helpers/iteration-request.js";
import { usePrivateTmpdir } from "../helpers/leftovers.js";
import { PROJECT_ROOT, TEST_CACHE_DIR } from "../paths.js";

const FAKE_QEMU = path.join(PROJECT_ROOT, "test/performance/fake-qemu-debug-exit.mjs");

describe("a guest that ends through isa-debug-exit (QEMU pc, TCG)", () => {
  const monitor = new MemoryMonitor();
  let artifacts: BootArtifacts;

  beforeAll(async () => {
    const nullArtifacts = await nullGuest.build({ vmm: "qemu", workload: "hello", cacheDir: TEST_CACHE_DIR, log: silentLogger });
    // The null guest's exit=debug-exit writes 0 to port 0xf4: the device is put there for it (nanos uses QEMU's default, 0x501).
    artifacts = { ...nullArtifacts, bootArgs: "exit=debug-exit", exit: "isa-debug-exit", qemu: { globals: { "isa-debug-exit.iobase": "0xf4" } } };
    // As the runner does: QEMU exits with this guest, maybe before a cold sampling thread's first sample.
    await monitor.warmUp();
  });
  usePrivateTmpdir("bt-debug-exit-");

  afterAll(() => monitor.close());

  const request = (backend: QemuBackend): IterationRequest => iterationRequest({ backend, artifacts, monitor, accel: "tcg" });

  it("ends the iteration when QEMU exits with status 0's code, with the memory of the last sample", async () => {
    const measured = await runIteration(request(new QemuBackend("qemu", "pc")));
    expect(measured.commandLine.join(" ")).toContain("-global isa-debug-exit.iobase=0xf4");
    expect(measured.commandLine.join(" ")).toContain("-device isa-debug-exit");
    expect(measured.guestEndReason).toBe("guest-debug-exit");
    expect(measured.bootNs).toBeGreaterThan(0);
    expect(measured.bootNs).toBeLessThanOrEqual(measured.runNs);
    // QEMU is gone when the guest ends: the peak is the last sample's high-water mark.
    expect(measured.peakRssExact).toBe(false);
    expect(measured.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
  });

  it("fails the iteration with the program's status when it is not 0", async () => {
    process.env.FAKE_QEMU_EXIT_CODE = String((3 << 1) | 1);
    try {
      const error = await runIteration(request(new QemuBackend("qemu", "pc", FAKE_QEMU))).catch((e: Error) => e);
      expect(error).toBeInstanceOf(GuestProgramFailedError);
      expect((error as Error).message).toBe("the guest program exited with status 3 (through QEMU's isa-debug-exit device: QEMU's exit code 7)");
    } finally {
      delete process.env.FAKE_QEMU_EXIT_CODE;
    }
  });

  it("tells QEMU's own error exit (code 1, an error on stderr after the start) from a program that returned 0", async () => {
    process.env.FAKE_QEMU_STDERR = "qemu-system-x86_64: something failed in the device model";
    try {
      const error = await runIteration(request(new QemuBackend("qemu", "pc", FAKE_QEMU))).catch((e: Error) => e);
      expect(error).toBeInstanceOf(VmmExitedError);
      expect((error as Error).message).toMatch(/exit code 1.*\n.*something failed in the device model/);
    } finally {
      delete process.env.FAKE_QEMU_STDERR;
    }
  });
});
