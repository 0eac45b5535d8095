// The QEMU command line for one measured boot.
import type { Accel, PortForward } from "../types.js";
import type { BootArtifacts } from "../../targets/types.js";
import type { GuestNetwork } from "../../../vocabulary/guest-network.js";

/**
 * Where QEMU's user networking (slirp) puts a guest: its defaults, which the
 * guests set statically on their boot line (the placeholders of
 * vocabulary/guest-network.ts, filled with this), so that no DHCP wait is measured.
 */
export const SLIRP_GUEST_NETWORK: GuestNetwork = { address: "10.0.2.15", prefixLength: 24, gateway: "10.0.2.2" };

export type QemuMachine = "pc" | "microvm";

export interface QemuCommandLineOptions {
  machine: QemuMachine;
  accel: Accel;
  artifacts: BootArtifacts;
  bootArgs: string;
  memoryMiB: number;
  vcpus: number;
  /** QEMU's -cpu model; QEMU's default when absent. */
  cpu?: string;
  qmpSocketPath: string;
  /** User networking with one guest port forwarded from the host's loopback; no NIC when absent. */
  network?: PortForward;
}

export function machineOption(machine: QemuMachine, accel: Accel): string {
  if (machine === "pc") return "pc";
  // Under TCG, Linux on microvm hangs calibrating the TSC unless the legacy
  // timers and interrupt controller are there. Under KVM, microvm keeps its
  // minimal defaults, as users of microvm expect.
  return accel === "tcg" ? "microvm,pit=on,pic=on,rtc=on" : "microvm";
}

export function qemuArguments(options: QemuCommandLineOptions): string[] {
  const { artifacts, machine } = options;
  const args = [
    "-machine", machineOption(machine, options.accel),
    "-accel", options.accel,
    ...(options.cpu ? ["-cpu", options.cpu] : []),
    "-m", `${options.memoryMiB}M`,
    "-smp", String(options.vcpus),
    // Nothing but what the guest needs: no default NIC, VGA, monitor or config file.
    "-nodefaults", "-no-user-config", "-display", "none",
    // The guest console is QEMU's stdout, written byte by byte as the guest emits it.
    "-serial", "stdio",
    // Start paused: the boot clock starts at QMP `cont`.
    "-S",
    // A power-off or reset ends the guest but keeps QEMU alive until `quit`, so
    // that its exact peak memory can still be read.
    "-no-reboot", "-no-shutdown",
    // QEMU connects to the tool's QMP listener as a client.
    "-qmp", `unix:${options.qmpSocketPath}`,
    "-kernel", artifacts.kernelPath,
  ];
  if (artifacts.initrdPath) args.push("-initrd", artifacts.initrdPath);
  if (options.bootArgs) args.push("-append", options.bootArgs);
  if (artifacts.diskPath) {
    // microvm has no PCI: its disk is a virtio-mmio device.
    const device = machine === "microvm" ? "virtio-blk-device" : "virtio-blk-pci";
    // snapshot=on: the guest's writes go to a temporary overlay that QEMU
    // unlinks as soon as it opens it, and the cached image is opened read-only
    // with a shared lock. So no iteration changes what the next one boots, and
    // N QEMUs can boot one image at once (density); without it QEMU's image
    // lock refuses the second ("Is another process using the image?").
    args.push("-drive", `id=rootfs,file=${artifacts.diskPath},format=raw,if=none,snapshot=on`, "-device", `${device},drive=rootfs`);
  }
  if (options.network) {
    const { hostPort, guestPort } = options.network;
    // slirp: no root, no tap; the guest is 10.0.2.15/24 behind the gateway
    // 10.0.2.2 (SLIRP_GUEST_NETWORK, which the guests set statically). The forward
    // binds the host's loopback only, so the guest is reachable from this host
    // alone; QEMU fails at start when that port is taken.
    const nic = machine === "microvm" ? "virtio-net-device" : "virtio-net-pci";
    args.push("-netdev", `user,id=n0,hostfwd=tcp:127.0.0.1:${hostPort}-:${guestPort}`, "-device", `${nic},netdev=n0`);
  }
  return args;
}
