import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../../log/logger.js";
import { READY_MARKER } from "../types.js";
import { buildInitramfs } from "./initramfs.js";
import { linuxGuest } from "./linux-guest.js";

const execFileAsync = promisify(execFile);

async function cpioListing(archive: string): Promise<string[]> {
  const { stdout } = await execFileAsync("sh", ["-c", 'cpio -t --quiet < "$1"', "sh", archive]);
  return stdout.trim().split("\n");
}

describe("linuxGuest", () => {
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "bt-linux-guest-"));
  });

  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("is available on this host", async () => {
    expect(await linuxGuest.checkAvailable()).toEqual({ available: true });
  });

  it("builds an initramfs with /init, /workload and a static busybox", async () => {
    const archive = await buildInitramfs("hello", { cacheDir, log: silentLogger });
    const listing = await cpioListing(archive);
    expect(listing).toEqual(expect.arrayContaining(["init", "workload", "bin/busybox", "dev/console", "proc"]));
  });

  it("builds the same initramfs bytes twice", async () => {
    const otherCacheDir = path.join(cacheDir, "other");
    const [first, second] = await Promise.all([
      buildInitramfs("hello", { cacheDir, log: silentLogger }),
      buildInitramfs("hello", { cacheDir: otherCacheDir, log: silentLogger }),
    ]);
    expect((await readFile(first)).equals(await readFile(second))).toBe(true);
  });

  it("fetches Debian's kernel and reuses it", async () => {
    const artifacts = await linuxGuest.build({ vmm: "qemu-microvm", workload: "alloc", cacheDir, log: silentLogger });
    const kernel = await readFile(artifacts.kernelPath);
    expect(kernel.toString("latin1", 0x202, 0x206)).toBe("HdrS"); // A bzImage.
    expect(artifacts.initrdPath).toMatch(/initramfs-alloc\.cpio$/);
    expect(artifacts.readyMarker).toBe(READY_MARKER);
    expect(artifacts.bootArgs).toContain("rdinit=/init");
    expect(artifacts.memoryMiB).toBeGreaterThanOrEqual(128);

    const mtimeMs = (await stat(artifacts.kernelPath)).mtimeMs;
    const again = await linuxGuest.build({ vmm: "qemu", workload: "alloc", cacheDir, log: silentLogger });
    expect(again.kernelPath).toBe(artifacts.kernelPath);
    expect((await stat(again.kernelPath)).mtimeMs).toBe(mtimeMs);
    expect(again.bootArgs).toContain("benchmark.exit=poweroff");
  });

  it("gives Firecracker the ELF vmlinux with its PVH note", async () => {
    const artifacts = await linuxGuest.build({ vmm: "firecracker", workload: "hello", cacheDir, log: silentLogger });
    expect(path.basename(artifacts.kernelPath)).toBe("vmlinux");
    expect(artifacts.bootArgs).toContain("benchmark.exit=reboot reboot=k");
    const { stdout } = await execFileAsync("readelf", ["-h", "-n", artifacts.kernelPath]);
    expect(stdout).toMatch(/Class:\s+ELF64/);
    expect(stdout).toMatch(/Xen\s+0x0000000[48]\s+Unknown note type: \(0x00000012\)/);
  });

  it("gives the http workload virtio-net's modules from Debian's kernel package, each after what it depends on", async () => {
    const pc = await linuxGuest.build({ vmm: "qemu", workload: "http", cacheDir, log: silentLogger });
    const pcModules = (await cpioListing(pc.initrdPath!)).filter((entry) => entry.startsWith("modules/")).sort();
    expect(pcModules).toEqual([
      "modules/01-virtio_ring.ko",
      "modules/02-virtio_pci_modern_dev.ko",
      "modules/03-virtio_pci_legacy_dev.ko",
      "modules/04-virtio.ko",
      "modules/05-virtio_pci.ko",
      "modules/06-failover.ko",
      "modules/07-net_failover.ko",
      "modules/08-virtio_net.ko",
    ]);
    const microvm = await linuxGuest.build({ vmm: "qemu-microvm", workload: "http", cacheDir, log: silentLogger });
    expect((await cpioListing(microvm.initrdPath!)).filter((entry) => entry.startsWith("modules/"))).toContain("modules/03-virtio_mmio.ko");
    // The other workloads have no network.
    const hello = await linuxGuest.build({ vmm: "qemu", workload: "hello", cacheDir, log: silentLogger });
    expect((await cpioListing(hello.initrdPath!)).some((entry) => entry.startsWith("modules"))).toBe(false);
  });
});
