// The registry of supported unikernels, in the seed's shape: GitHub repository
// name -> the unikernel's name and the VMM backends it runs on. A unikernel
// built from Dockerfiles also has unikernels/<unikernelName>/<vmm>/<unikernelName>.Dockerfile
// for each VMM listed here.

export interface SupportedUnikernel {
  unikernelName: string;
  supportedVMMs: string[];
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
  },
  "unikraft/unikraft": {
    unikernelName: "unikraft",
    supportedVMMs: ["qemu", "firecracker"],
  },
};
