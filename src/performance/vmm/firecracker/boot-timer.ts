// Firecracker's boot-timer device (`firecracker --boot-timer`): a guest that
// writes the byte 123 to it makes Firecracker log
// "Guest-boot-time = N us N ms, N CPU us N CPU ms", measured from when
// Firecracker began building the VM on InstanceStart. The tool records that
// figure beside its own boot time, so that the two can be compared.

/**
 * The guest-physical address of the device on x86_64, Firecracker v1.16:
 * src/vmm/src/arch/x86_64/layout.rs, BOOT_DEVICE_MEM_START = MMIO32_MEM_START
 * = FIRST_ADDR_PAST_32BITS - MMIO32_MEM_SIZE = 4 GiB - 1 GiB; the builder
 * (src/vmm/src/builder.rs, attach_boot_timer_device) attaches it first, there.
 * It moved with the PCI-era layout: older releases put it at 0xd000_0000
 * (MMIO_MEM_START, the start of a 768 MiB gap below 4 GiB).
 */
export const FIRECRACKER_BOOT_TIMER_ADDRESS = "0xc0000000";

const BOOT_TIME_LINE = /Guest-boot-time =\s*(\d+) us/;

/** The boot time Firecracker logged, in nanoseconds, or undefined when it logged none. */
export function parseGuestBootTimeNs(log: string): number | undefined {
  const match = BOOT_TIME_LINE.exec(log);
  return match ? Number(match[1]) * 1000 : undefined;
}
