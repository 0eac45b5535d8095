// Faults a VMM reports, as errors that say what to do.

/** The words QEMU prints when KVM cannot run a guest, and the error below repeats. */
export const KVM_INTERNAL_ERROR = "KVM internal error";

/** KVM could not run the guest (seen on nested virtualization); TCG can. */
export class KvmInternalError extends Error {
  override readonly name = "KvmInternalError";
  constructor(vmm: string, detail: string) {
    super(
      `${vmm} reported a '${KVM_INTERNAL_ERROR}': KVM could not run this guest on this host ` +
        `(common under nested virtualization). Run with --accel tcg to use software emulation instead.\n${detail}`,
    );
  }
}

/** The VMM process ended before the guest powered off. */
export class VmmExitedError extends Error {
  override readonly name = "VmmExitedError";
  constructor(vmm: string, how: string, stderrTail: string) {
    super(`${vmm} exited unexpectedly (${how})${stderrTail ? `; its last output:\n${stderrTail}` : ""}`);
  }
}

/**
 * The VMM could not bind the host side of a port forward (another process has
 * that port): the launch may be tried again on another port.
 */
export class HostPortTakenError extends Error {
  override readonly name = "HostPortTakenError";
  constructor(
    vmm: string,
    readonly hostPort: number,
    detail: string,
  ) {
    super(`${vmm} could not forward 127.0.0.1:${hostPort} to the guest: the port is taken on this host\n${detail}`);
  }
}

/** The last lines of a text, for error messages. */
export function lastLines(text: string, count = 30): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

/** The guest's program ended with a failure status, which the VMM passed on (QEMU's isa-debug-exit). */
export class GuestProgramFailedError extends Error {
  override readonly name = "GuestProgramFailedError";
  constructor(
    readonly status: number,
    how: string,
  ) {
    super(`the guest program exited with status ${status} (${how})`);
  }
}
