// The Linux guest's side of a Firecracker server, without Firecracker: its
// http initramfs for Firecracker (virtio-net over virtio-mmio, the same file as
// microvm's) booted on QEMU microvm, whose virtio-mmio network card is backed
// by a tap the tool made as it does for Firecracker (TapNetwork: a /30 of
// 172.16.0.0/16, the host's side up), the guest's address given on its boot
// line as Firecracker's backend gives it (benchmark.ip=, filled from the tap).
// QEMU microvm puts its virtio-mmio devices on the kernel's command line
// (virtio_mmio.device=) as Firecracker does, so the init loads the same
// modules the same way. The guest must answer over the tap, at its address,
// and count what it served. Needs root or CAP_NET_ADMIN; TCG, as Linux dies
// under this host's nested KVM.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { runWrk } from "../../src/performance/load/wrk-load.js";
import { requestStop } from "../../src/performance/load/stop-request.js";
import { ConsoleWatcher } from "../../src/performance/probes/console-watcher.js";
import { HttpProbe } from "../../src/performance/probes/http-probe.js";
import { SERVED_LINE_PATTERN, checkServedCount } from "../../src/performance/load/served-count.js";
import { linuxGuest } from "../../src/performance/targets/local/linux-guest.js";
import { HTTP_GUEST_PORT, READY_MARKER } from "../../src/performance/targets/types.js";
import { checkTapNetwork, TapNetwork } from "../../src/performance/vmm/firecracker/tap-network.js";
import { tapDevicesOfTheTool } from "../../src/housekeeping/tap-devices.js";
import { withGuestNetwork } from "../../src/vocabulary/guest-network.js";
import { TEST_CACHE_DIR } from "../paths.js";

const taps = await checkTapNetwork();
const made: TapNetwork[] = [];

afterAll(async () => {
  for (const tap of made) await tap.remove().catch(() => undefined);
});

describe(`the Linux guest's Firecracker network, on a tap the tool made (QEMU microvm for the virtio-mmio card, TCG)${taps.available ? "" : ` (skipped: ${taps.reason})`}`, () => {
  it.skipIf(!taps.available)("takes its /30 from its boot line, answers over the tap, serves wrk, and counts what it served", async () => {
    const request = { workload: "http" as const, cacheDir: TEST_CACHE_DIR, log: silentLogger };
    const firecracker = await linuxGuest.build({ ...request, vmm: "firecracker" });
    const microvm = await linuxGuest.build({ ...request, vmm: "qemu-microvm" });
    // The same initramfs (the modules, the init) as Firecracker boots; microvm takes the bzImage of the same kernel.
    expect(microvm.initrdPath).toBe(firecracker.initrdPath);

    const tap = await TapNetwork.create();
    made.push(tap);
    const bootArgs = withGuestNetwork([firecracker.bootArgs.replace("benchmark.exit=reboot reboot=k", "benchmark.exit=poweroff"), microvm.tcgBootArgs].filter(Boolean).join(" "), tap.guest);
    expect(bootArgs).toMatch(/ benchmark\.ip=172\.16\.\d+\.\d+\/30:172\.16\.\d+\.\d+ /);
    const qemu = spawn(
      "qemu-system-x86_64",
      [
        "-M", "microvm,pit=on,pic=on,rtc=on", "-accel", "tcg", "-m", "128", "-nodefaults", "-no-user-config", "-nographic", "-serial", "stdio", "-no-reboot",
        "-kernel", microvm.kernelPath, "-initrd", firecracker.initrdPath!, "-append", bootArgs,
        "-netdev", `tap,id=n0,ifname=${tap.name},script=no,downscript=no`, "-device", `virtio-net-device,netdev=n0,mac=${tap.guestMac}`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = once(qemu, "exit");
    try {
      const serial = new ConsoleWatcher(qemu.stdout);
      const listening = serial.waitForMarker(READY_MARKER);
      const servedLine = serial.watchLine(SERVED_LINE_PATTERN);
      const answer = await new HttpProbe({ host: tap.guest.address, port: HTTP_GUEST_PORT }).wait({ timeoutMs: 90_000 });
      expect(answer.status).toBe(200);
      expect(answer.atNs).toBeGreaterThan(await listening);
      const load = await runWrk({ url: `http://${tap.guest.address}:${HTTP_GUEST_PORT}/`, durationSeconds: 2, connections: 2, threads: 2 });
      expect(load.requests).toBeGreaterThan(50);
      expect(load.errors).toEqual({ connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
      expect((await requestStop({ host: tap.guest.address, port: HTTP_GUEST_PORT, timeoutMs: 10_000 })).status).toBe(200);
      const [code] = await exited;
      expect(code).toBe(0);
      const served = Number(servedLine()?.[1]);
      const verdict = checkServedCount(served, {
        generatorRequests: load.requests,
        generatorConnections: 2,
        toolResponses: answer.completeResponses,
        toolAbandonedRequests: answer.abandonedRequests,
      });
      expect(verdict, verdict.explanation).toMatchObject({ agrees: true });
    } finally {
      qemu.kill("SIGKILL");
      await exited;
      await tap.remove();
    }
    expect(await tapDevicesOfTheTool()).not.toContain(tap.name);
  }, 180_000);
});
