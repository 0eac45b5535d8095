import { describe, expect, it } from "vitest";
import { qemuArguments, whyQemuCannotBoot } from "./command-line.js";

const base = {
  accel: "tcg" as const,
  artifacts: { kernelPath: "/k", bootArgs: "", readyMarker: "R" },
  bootArgs: "console=ttyS0 quiet",
  memoryMiB: 128,
  vcpus: 1,
  qmpSocketPath: "/tmp/x/qmp.sock",
};

function valueAfter(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe("qemuArguments", () => {
  it("starts paused, keeps QEMU alive after power-off, and connects QMP to the tool", () => {
    const args = qemuArguments({ ...base, machine: "pc" });
    expect(args).toContain("-S");
    expect(args).toContain("-no-shutdown");
    expect(args).toContain("-no-reboot");
    expect(valueAfter(args, "-qmp")).toBe("unix:/tmp/x/qmp.sock");
    expect(valueAfter(args, "-serial")).toBe("stdio");
    expect(valueAfter(args, "-machine")).toBe("pc");
    expect(valueAfter(args, "-m")).toBe("128M");
    expect(valueAfter(args, "-append")).toBe("console=ttyS0 quiet");
    expect(args).not.toContain("-initrd");
  });

  it("gives microvm the legacy timers under TCG only", () => {
    expect(valueAfter(qemuArguments({ ...base, machine: "microvm" }), "-machine")).toBe("microvm,pit=on,pic=on,rtc=on");
    const kvm = qemuArguments({ ...base, machine: "microvm", accel: "kvm" });
    expect(valueAfter(kvm, "-machine")).toBe("microvm");
    expect(kvm).not.toContain("-cpu");
    expect(valueAfter(qemuArguments({ ...base, machine: "microvm", accel: "kvm", cpu: "host" }), "-cpu")).toBe("host");
  });

  it("passes the initrd and the disk, as virtio-mmio on microvm", () => {
    const artifacts = { ...base.artifacts, initrdPath: "/i", diskPath: "/d.img" };
    const microvm = qemuArguments({ ...base, machine: "microvm", artifacts });
    expect(valueAfter(microvm, "-initrd")).toBe("/i");
    expect(valueAfter(microvm, "-device")).toBe("virtio-blk-device,drive=rootfs");
    expect(valueAfter(qemuArguments({ ...base, machine: "pc", artifacts }), "-device")).toBe("virtio-blk-pci,drive=rootfs");
    // The cached image is never written, and may be booted by many QEMUs at once.
    expect(valueAfter(microvm, "-drive")).toBe("id=rootfs,file=/d.img,format=raw,if=none,snapshot=on");
  });

  it("has no network device unless one is asked for", () => {
    const args = qemuArguments({ ...base, machine: "pc" });
    expect(args).not.toContain("-netdev");
    expect(args).not.toContain("-device");
  });

  it("forwards the guest's port from the host's loopback through user networking, as PCI on pc and virtio-mmio on microvm", () => {
    const network = { hostPort: 41234, guestPort: 8080 };
    const artifacts = { ...base.artifacts, diskPath: "/d.img" };
    const pc = qemuArguments({ ...base, machine: "pc", artifacts, network });
    expect(valueAfter(pc, "-netdev")).toBe("user,id=n0,hostfwd=tcp:127.0.0.1:41234-:8080");
    const devices = pc.flatMap((arg, i) => (arg === "-device" ? [pc[i + 1]] : []));
    expect(devices).toEqual(["virtio-blk-pci,drive=rootfs", "virtio-net-pci,netdev=n0"]);
    const microvm = qemuArguments({ ...base, machine: "microvm", network });
    expect(valueAfter(microvm, "-netdev")).toBe("user,id=n0,hostfwd=tcp:127.0.0.1:41234-:8080");
    expect(valueAfter(microvm, "-device")).toBe("virtio-net-device,netdev=n0");
  });

  it("sets the machine properties and device properties a guest needs, over the tool's own", () => {
    const artifacts = { ...base.artifacts, qemu: { machine: { rtc: "on", ioapic2: "off" }, globals: { "virtio-mmio.force-legacy": "false" } } };
    expect(valueAfter(qemuArguments({ ...base, machine: "microvm", artifacts }), "-machine")).toBe("microvm,pit=on,pic=on,rtc=on,ioapic2=off");
    const kvm = qemuArguments({ ...base, machine: "microvm", accel: "kvm", artifacts });
    expect(valueAfter(kvm, "-machine")).toBe("microvm,rtc=on,ioapic2=off");
    expect(valueAfter(kvm, "-global")).toBe("virtio-mmio.force-legacy=false");
    // A guest's property wins over the tool's default.
    const noPit = { ...base.artifacts, qemu: { machine: { pit: "off" } } };
    expect(valueAfter(qemuArguments({ ...base, machine: "microvm", artifacts: noPit }), "-machine")).toBe("microvm,pit=off,pic=on,rtc=on");
  });

  it("boots a disk through its own boot loader when there is no kernel, and adds isa-debug-exit for a guest that ends by it", () => {
    const artifacts = { diskPath: "/d.img", bootArgs: "", readyMarker: "R", exit: "isa-debug-exit" as const };
    const args = qemuArguments({ ...base, machine: "pc", bootArgs: "", artifacts });
    expect(args).not.toContain("-kernel");
    expect(args).not.toContain("-append");
    expect(args.join(" ")).toContain("-device isa-debug-exit");
    expect(args.join(" ")).toContain("-device virtio-blk-pci,drive=rootfs");
    expect(qemuArguments({ ...base, machine: "pc" })).not.toContain("isa-debug-exit");
  });

  it("says why a guest cannot boot: no kernel on microvm, boot args for a disk that boots itself", () => {
    const diskOnly = { diskPath: "/d.img", bootArgs: "", readyMarker: "R" };
    expect(whyQemuCannotBoot("pc", diskOnly, "")).toBeUndefined();
    expect(whyQemuCannotBoot("microvm", diskOnly, "")).toMatch(/^on machine microvm QEMU boots only a kernel it loads itself \(-kernel\), and this guest has none/);
    expect(whyQemuCannotBoot("pc", diskOnly, "verbose")).toBe("the guest boots from its disk's own boot loader, to which QEMU cannot pass boot arguments ('verbose'): leave out --boot-args");
    expect(whyQemuCannotBoot("pc", { bootArgs: "", readyMarker: "R" }, "")).toMatch(/neither a kernel .* nor a disk/);
    expect(whyQemuCannotBoot("microvm", base.artifacts, "console=ttyS0")).toBeUndefined();
  });
});
