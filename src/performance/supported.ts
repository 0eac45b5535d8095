// The registry of supported unikernels, in the seed's shape: GitHub repository
// name -> the unikernel's name and the VMM backends it runs on. A unikernel
// built from Dockerfiles also has unikernels/<unikernelName>/<vmm>/<unikernelName>.Dockerfile
// for each VMM listed here.

export interface SupportedUnikernel {
  unikernelName: string;
  supportedVMMs: string[];
  /** VMMs the tool has that this unikernel does not run on, and why (shown by `targets`). */
  unsupportedVMMs?: Record<string, string>;
}

export const SupportedUnikernels: Record<string, SupportedUnikernel> = {
  // The reference guest from this project's guests/null: the floor of each VMM.
  "benchmark-tool/null": {
    unikernelName: "null",
    supportedVMMs: ["qemu", "qemu-microvm", "firecracker"],
  },
  // The baseline: Debian's packaged kernel with a busybox initramfs (guests/linux).
  "torvalds/linux": {
    unikernelName: "linux",
    supportedVMMs: ["qemu", "qemu-microvm", "firecracker"],
  },
  // Built from unikernels/<name>/<vmm>/<name>.Dockerfile through Docker.
  "cloudius-systems/osv": {
    unikernelName: "osv",
    supportedVMMs: ["qemu", "firecracker"],
    unsupportedVMMs: {
      "qemu-microvm":
        "OSv v0.57.0 needs kvmclock or an HPET, and microvm has no HPET: under TCG it halts ('Neither paravirtual clock nor HPET is available'); " +
        "its microvm driver profile (OSv's Firecracker kernel) faults in smp_launch under TCG; under KVM it is untested here",
    },
  },
  "unikraft/unikraft": {
    unikernelName: "unikraft",
    supportedVMMs: ["qemu", "firecracker"],
    unsupportedVMMs: {
      "qemu-microvm":
        "Unikraft 0.17.0's QEMU kernel stops on microvm with a libukboot memory-map assertion, and its Firecracker kernel has no PVH note, which QEMU needs to boot it",
    },
  },
  // nanos's kernel boots a disk through its own boot loader (pc) or with -kernel (microvm, Firecracker).
  "nanovms/nanos": {
    unikernelName: "nanos",
    supportedVMMs: ["qemu", "qemu-microvm", "firecracker"],
  },
};
