// The linux target, the baseline: Debian's packaged kernel and a busybox initramfs running the workload.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildOnce } from "./build-cache.js";
import { fetchDebianKernel, KEPT_MODULES, type KeptModule } from "./debian-kernel.js";
import { checkGcc } from "./gcc.js";
import { buildInitramfs, findStaticBusybox } from "./initramfs.js";
import { modulesInLoadOrder } from "./module-order.js";
import { hostTscKhz } from "./host-tsc.js";
import { commandWorks } from "./run-command.js";
import { extractVmlinux } from "./vmlinux-from-bzimage.js";
import { READY_MARKER, type Availability, type KernelBootArtifacts, type BuildRequest, type TargetBuilder } from "../types.js";
import { type Workload } from "../../../vocabulary/workloads.js";

const COMMON_BOOT_ARGS = "console=ttyS0 quiet panic=-1 rdinit=/init";

/**
 * How guests/linux/init ends the machine on each VMM: ACPI power-off on QEMU
 * (pc, and microvm through its Generic Event Device), a reset through the
 * i8042 controller on Firecracker, which has no ACPI power-off.
 */
const EXIT_BOOT_ARGS_BY_VMM: Record<string, string> = {
  qemu: "benchmark.exit=poweroff",
  "qemu-microvm": "benchmark.exit=poweroff",
  firecracker: "benchmark.exit=reboot reboot=k",
};

/**
 * The workloads that serve get virtio-net, over PCI on QEMU pc and over
 * virtio-mmio on microvm (and Firecracker), with what those depend on.
 */
const NETWORK_MODULES_PCI: readonly KeptModule[] = ["virtio_pci", "virtio_net"];
const NETWORK_MODULES_MMIO: readonly KeptModule[] = ["virtio_mmio", "virtio_net"];
const SERVING_WORKLOADS: ReadonlySet<Workload> = new Set(["http"]);

/** VMMs that boot an ELF vmlinux rather than Debian's bzImage. */
const VMLINUX_VMMS = new Set(["firecracker"]);

/** Enough for Debian's cloud kernel and the alloc workload's 40 MiB; at 96 MiB alloc is OOM-killed on microvm. */
const MEMORY_MIB = 128;
/** Debian 6.1's cloud kernel with the initramfs boots with 76 MiB on pc and microvm, not with 72 (it resets). */
const MINIMUM_MEMORY_MIB = 76;

export class LinuxGuestBuilder implements TargetBuilder {
  readonly name = "linux";
  readonly workloads: readonly Workload[] = ["hello", "alloc", "http"];
  readonly minimumMemoryMiB = MINIMUM_MEMORY_MIB;

  async checkAvailable(): Promise<Availability> {
    const gcc = await checkGcc();
    if (!gcc.available) return gcc;
    const busybox = await findStaticBusybox();
    if (!("path" in busybox)) return busybox;
    if (!(await commandWorks("apt-get", ["--version"])) || !(await commandWorks("apt-cache", ["--version"]))) {
      return { available: false, reason: "apt-get is needed to fetch Debian's kernel package; the linux target works on Debian and Ubuntu hosts" };
    }
    if (!(await commandWorks("dpkg-deb", ["--version"]))) {
      return { available: false, reason: "dpkg-deb is needed to unpack the kernel package; install it with: apt-get install dpkg" };
    }
    return { available: true };
  }

  async build(request: BuildRequest): Promise<KernelBootArtifacts> {
    const kernel = fetchDebianKernel(request);
    const [{ kernelPath: bzImagePath, kernelPackage }, initrdPath] = await Promise.all([kernel, this.initramfs(request, kernel)]);
    const kernelPath = VMLINUX_VMMS.has(request.vmm) ? await unpackVmlinux(bzImagePath, request) : bzImagePath;
    request.log.debug(`Linux kernel ${kernelPackage.name} ${kernelPackage.version}: ${kernelPath}`);
    const exitArgs = EXIT_BOOT_ARGS_BY_VMM[request.vmm] ?? "benchmark.exit=poweroff";
    const tscKhz = await hostTscKhz();
    return {
      kernelPath,
      initrdPath,
      bootArgs: `${COMMON_BOOT_ARGS} ${exitArgs}`,
      ...(tscKhz ? { tcgBootArgs: `tsc_early_khz=${tscKhz}` } : {}),
      readyMarker: READY_MARKER,
      memoryMiB: MEMORY_MIB,
    };
  }

  /** The initramfs, with the kernel's network modules for a workload that serves. */
  private async initramfs(request: BuildRequest, kernel: ReturnType<typeof fetchDebianKernel>): Promise<string> {
    if (!SERVING_WORKLOADS.has(request.workload)) return buildInitramfs(request.workload, request);
    const { modulesDir } = await kernel;
    const wanted = request.vmm === "qemu" ? NETWORK_MODULES_PCI : NETWORK_MODULES_MMIO;
    // A kept module without a file is one the kernel has built in (fetchDebianKernel checked).
    const kept = new Set<string>(KEPT_MODULES);
    const modules = await modulesInLoadOrder(modulesDir, wanted, (module) => kept.has(module));
    return buildInitramfs(request.workload, request, modules);
  }
}

/** The ELF vmlinux of the bzImage at `bzImagePath`, cached beside it. */
async function unpackVmlinux(bzImagePath: string, request: Pick<BuildRequest, "log">): Promise<string> {
  const { path: vmlinuxPath } = await buildOnce(path.join(path.dirname(bzImagePath), "vmlinux"), async (temporaryPath) => {
    request.log.info(`Unpacking the ELF kernel from ${bzImagePath}`);
    await writeFile(temporaryPath, extractVmlinux(await readFile(bzImagePath)));
  });
  return vmlinuxPath;
}

export const linuxGuest = new LinuxGuestBuilder();
