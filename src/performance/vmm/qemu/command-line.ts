// The QEMU command line for one measured boot.
import type { Accel, PortForward } from "../types.js";
import type { BootArtifacts } from "../../targets/types.js";

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

/** The machine's properties the tool sets; a guest's own (BootArtifacts.qemu.machine) go over them. */
function toolMachineProperties(machine: QemuMachine, accel: Accel): Record<string, string> {
  // Under TCG, Linux on microvm hangs calibrating the TSC unless the legacy
  // timers and interrupt controller are there. Under KVM, microvm keeps its
  // minimal defaults, as users of microvm expect.
  return machine === "microvm" && accel === "tcg" ? { pit: "on", pic: "on", rtc: "on" } : {};
}

export function machineOption(machine: QemuMachine, accel: Accel, guest: Record<string, string> = {}): string {
  const properties = { ...toolMachineProperties(machine, accel), ...guest };
  return [machine, ...Object.entries(properties).map(([name, value]) => `${name}=${value}`)].join(",");
}

/** Why QEMU cannot boot these artifacts on this machine with these boot args, or undefined. */
export function whyQemuCannotBoot(machine: QemuMachine, artifacts: BootArtifacts, bootArgs: string): string | undefined {
  if (artifacts.kernelPath) return undefined;
  if (!artifacts.diskPath) return "the guest has neither a kernel for QEMU to load nor a disk to boot from";
  if (machine === "microvm") {
    return "on machine microvm QEMU boots only a kernel it loads itself (-kernel), and this guest has none: its disk boots through its own boot loader, which needs machine pc";
  }
  if (bootArgs) {
    return `the guest boots from its disk's own boot loader, to which QEMU cannot pass boot arguments ('${bootArgs}'): leave out --boot-args`;
  }
  return undefined;
}

export function qemuArguments(options: QemuCommandLineOptions): string[] {
  const { artifacts, machine } = options;
  const args = [
    "-machine", machineOption(machine, options.accel, artifacts.qemu?.machine),
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
  ];
  for (const [property, value] of Object.entries(artifacts.qemu?.globals ?? {})) args.push("-global", `${property}=${value}`);
  // Without a kernel, the firmware (SeaBIOS on pc) boots the disk's own boot loader.
  if (artifacts.kernelPath) args.push("-kernel", artifacts.kernelPath);
  if (artifacts.initrdPath) args.push("-initrd", artifacts.initrdPath);
  if (options.bootArgs) args.push("-append", options.bootArgs);
  // The guest writes its program's exit status to port 0x501 (the device's default), and QEMU exits with it.
  if (artifacts.exit === "isa-debug-exit") args.push("-device", "isa-debug-exit");
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
    // 10.0.2.2 (QEMU's defaults, which the guests set statically). The forward
    // binds the host's loopback only, so the guest is reachable from this host
    // alone; QEMU fails at start when that port is taken.
    const nic = machine === "microvm" ? "virtio-net-device" : "virtio-net-pci";
    args.push("-netdev", `user,id=n0,hostfwd=tcp:127.0.0.1:${hostPort}-:${guestPort}`, "-device", `${nic},netdev=n0`);
  }
  return args;
}
