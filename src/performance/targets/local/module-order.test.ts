import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { moduleDependencies, modulesInLoadOrder } from "./module-order.js";

/** The bytes of a .ko as far as its .modinfo goes: NUL-separated key=value strings among other bytes. */
const ko = (fields: string[]): Buffer => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(fields.join("\0") + "\0", "latin1"), Buffer.alloc(8)]);

describe("moduleDependencies", () => {
  it("reads depends= from the module's .modinfo strings", () => {
    expect(moduleDependencies(ko(["license=GPL", "depends=virtio_ring,virtio,net_failover", "vermagic=6.1.0"]))).toEqual(["virtio_ring", "virtio", "net_failover"]);
    expect(moduleDependencies(ko(["depends=", "vermagic=6.1.0"]))).toEqual([]);
    expect(moduleDependencies(ko(["license=GPL"]))).toEqual([]);
  });
});

describe("modulesInLoadOrder", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function modules(dependencies: Record<string, string[]>): Promise<string> {
    dir = await mkdtemp(path.join(os.tmpdir(), "bt-modules-"));
    for (const [name, depends] of Object.entries(dependencies)) await writeFile(path.join(dir, `${name}.ko`), ko([`depends=${depends.join(",")}`]));
    return dir;
  }

  it("loads each module after those it depends on, as Debian 6.1's virtio-net needs (virtio_ring before virtio)", async () => {
    // The depends= fields of linux-image-6.1.0-57-cloud-amd64's modules.
    const modulesDir = await modules({
      virtio_ring: [],
      virtio: ["virtio_ring"],
      virtio_pci_modern_dev: [],
      virtio_pci_legacy_dev: [],
      virtio_pci: ["virtio_ring", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio"],
      failover: [],
      net_failover: ["failover"],
      virtio_net: ["virtio_ring", "virtio", "net_failover"],
      virtio_mmio: ["virtio", "virtio_ring"],
    });
    const names = async (wanted: string[]) => (await modulesInLoadOrder(modulesDir, wanted, () => false)).map((file) => path.basename(file, ".ko"));
    expect(await names(["virtio_pci", "virtio_net"])).toEqual(["virtio_ring", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio", "virtio_pci", "failover", "net_failover", "virtio_net"]);
    expect(await names(["virtio_mmio", "virtio_net"])).toEqual(["virtio_ring", "virtio", "virtio_mmio", "failover", "net_failover", "virtio_net"]);
  });

  it("leaves out what the kernel has built in, and says which module is missing and what needs it", async () => {
    const modulesDir = await modules({ virtio_net: ["virtio", "net_failover"], net_failover: ["failover"] });
    const builtIn = (module: string) => module === "virtio";
    await expect(modulesInLoadOrder(modulesDir, ["virtio_net"], builtIn)).rejects.toThrow(`the kernel module failover (needed by net_failover) is not in ${modulesDir}`);
    await writeFile(path.join(modulesDir, "failover.ko"), ko(["depends="]));
    const order = await modulesInLoadOrder(modulesDir, ["virtio_net"], builtIn);
    expect(order.map((file) => path.basename(file))).toEqual(["failover.ko", "net_failover.ko", "virtio_net.ko"]);
  });

  it("refuses modules that depend on each other in a circle", async () => {
    const modulesDir = await modules({ a: ["b"], b: ["a"] });
    await expect(modulesInLoadOrder(modulesDir, ["a"], () => false)).rejects.toThrow("the kernel modules depend on each other in a circle: a -> b -> a");
  });
});
