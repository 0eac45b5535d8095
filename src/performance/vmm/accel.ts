// Chooses the accelerator: KVM when /dev/kvm can be used, else TCG (software).
import { access, constants } from "node:fs/promises";
import type { Accel } from "./types.js";

export type AccelRequest = "auto" | Accel;
export const ACCEL_REQUESTS: readonly AccelRequest[] = ["auto", "kvm", "tcg"];

export const KVM_DEVICE = "/dev/kvm";
/**
 * Another device to check in its place. The tests point it at a file of their
 * own, so that the Firecracker stand-in (which needs no KVM) runs, and the
 * Firecracker recipes are checked, on machines without /dev/kvm too.
 */
export const KVM_DEVICE_ENV = "BENCHMARK_TOOL_KVM_DEVICE";

/** The KVM device the tool checks: $BENCHMARK_TOOL_KVM_DEVICE, else /dev/kvm. */
export function kvmDevice(env: NodeJS.ProcessEnv = process.env): string {
  return env[KVM_DEVICE_ENV] || KVM_DEVICE;
}

export async function kvmUsable(device = kvmDevice()): Promise<{ usable: boolean; reason?: string }> {
  try {
    await access(device, constants.R_OK | constants.W_OK);
    return { usable: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? `${device} does not exist: enable virtualization in the firmware and load the kvm module (modprobe kvm_intel or kvm_amd)`
        : `${device} is not readable and writable by this user: add the user to the 'kvm' group (sudo usermod -aG kvm $USER) and log in again`;
    return { usable: false, reason };
  }
}

/** Resolves --accel. 'kvm' on a host without usable KVM is an error the user must act on. */
export async function resolveAccel(request: AccelRequest, device = kvmDevice()): Promise<Accel> {
  if (request === "tcg") return "tcg";
  const kvm = await kvmUsable(device);
  if (kvm.usable) return "kvm";
  if (request === "kvm") throw new Error(`--accel kvm was requested, but KVM cannot be used: ${kvm.reason}. Use --accel tcg (or auto) to run under software emulation.`);
  return "tcg";
}
