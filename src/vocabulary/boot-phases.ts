// The named phases of an iteration's time, on the tool's own monotonic clock:
// what the runner measures (src/performance/measure/boot-phases.ts) and what
// results and reports show, by the same names.
export const BOOT_PHASES = ["vmmStartup", "bootToFirstOutput", "firstOutputToReady", "readyToGuestEnd", "guestEndToReaped"] as const;
export type BootPhase = (typeof BOOT_PHASES)[number];

export const BOOT_PHASE_LABELS: Record<BootPhase, string> = {
  vmmStartup: "VMM start-up",
  bootToFirstOutput: "Boot signal → first output",
  firstOutputToReady: "First output → ready",
  readyToGuestEnd: "Ready → guest end",
  guestEndToReaped: "Guest end → VMM reaped",
};

/** The phases from the boot signal to the guest's end, whose sum is the run time. */
export const RUN_PHASES: readonly BootPhase[] = ["bootToFirstOutput", "firstOutputToReady", "readyToGuestEnd"];

export type BootPhasesNs = Record<BootPhase, number>;
