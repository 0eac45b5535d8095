// A target is something the tool can boot: it turns a request (which VMM, which
// workload) into the files a VMM boots and the facts needed to measure them.
import type { Logger } from "../../log/logger.js";
import type { Workload } from "../../vocabulary/workloads.js";

/** Printed on the guest's first serial port by every workload: first thing in main(), or (http) once listen() has returned. */
export const READY_MARKER = "BENCHMARK_TOOL_READY";

/** The port the http workload (guests/workloads/http.c) listens on in a guest. */
export const HTTP_GUEST_PORT = 8080;

export const TIME_UNITS = ["ns", "us", "ms", "s"] as const;

/** A console line in which the guest states its own boot time: the first group of `pattern` is the number. */
export interface GuestReportedBoot {
  pattern: string;
  unit: (typeof TIME_UNITS)[number];
}

/**
 * How a guest's run ends, as the VMM sees it. "poweroff": an ACPI or GED
 * power-off (QEMU's SHUTDOWN event). "reset": a reboot request such as the
 * i8042 reset line (Firecracker exits; QEMU's -no-reboot makes it a shutdown).
 * "isa-debug-exit": the guest writes its program's exit status to QEMU's
 * isa-debug-exit device (port 0x501) and QEMU exits at once with
 * (status << 1) | 1, so that a failing program is a failed iteration; QEMU only.
 */
export const GUEST_EXITS = ["poweroff", "reset", "isa-debug-exit"] as const;
export type GuestExit = (typeof GUEST_EXITS)[number];

/** QEMU settings a guest needs beyond the tool's own. */
export interface QemuGuestSettings {
  /** Machine properties (-machine <type>,<name>=<value>), over the tool's defaults for the machine. */
  machine?: Record<string, string>;
  /** Device properties (-global <driver>.<property>=<value>). */
  globals?: Record<string, string>;
}

/** What a VMM boots, and how to recognise the guest's progress. */
export interface BootArtifacts {
  /**
   * Kernel the VMM loads (-kernel on QEMU, kernel_image_path on Firecracker).
   * Absent when the disk boots itself through its own boot loader (QEMU pc's firmware boots it).
   */
  kernelPath?: string;
  initrdPath?: string;
  diskPath?: string;
  /** The command line the guest needs; the user's --boot-args are appended to it. */
  bootArgs: string;
  /** Added to the command line when the guest runs under TCG (software emulation). */
  tcgBootArgs?: string;
  /** Printed on the console when the guest is ready (the end of the boot). */
  readyMarker: string;
  /** Where the guest states its own boot time, recorded beside the tool's figure. */
  guestReportedBoot?: GuestReportedBoot;
  /** Memory the guest needs at least, in MiB, when the user gives no --memory. */
  memoryMiB?: number;
  /**
   * For guests that can signal a VMM's boot-timer device (Firecracker --boot-timer):
   * the boot argument that tells the guest the device's address.
   */
  bootTimerArg?: (address: string) => string;
  /** A VMM binary shipped with the guest (a recipe image's), used when the host has none. */
  vmmBinaryPath?: string;
  /** How the build departed from its recipe's pins (a substitute base image), recorded with the results. */
  buildNotes?: string[];
  /** How the guest ends; absent: a power-off or a reset, whichever the VMM sees. */
  exit?: GuestExit;
  /** QEMU settings the guest needs (machine properties, device properties). */
  qemu?: QemuGuestSettings;
}

/** Artifacts that always include a kernel for the VMM to load (the local builders'). */
export type KernelBootArtifacts = BootArtifacts & { kernelPath: string };

export interface BuildRequest {
  /** A VMM backend name such as "qemu", "qemu-microvm" or "firecracker". */
  vmm: string;
  workload: Workload;
  /** Where built artifacts are cached between runs. */
  cacheDir: string;
  log: Logger;
  signal?: AbortSignal;
  /** Rebuild from scratch, ignoring any build cache (--clear-cache). */
  clearCache?: boolean;
  /** Take every upstream source from this mirror (<host>/<path> of each URL), nothing from the network. */
  sourcesMirror?: string;
}

export interface Availability {
  available: boolean;
  /** Why not, and what to do about it, when not available. */
  reason?: string;
  /** Not available yet, but a target's artifacts may provide what is missing (a VMM binary). */
  artifactsMayProvide?: boolean;
}

/** How a target's artifacts are obtained (a local build, a Docker recipe, ...). */
export interface TargetBuilder {
  /** The unikernel name, as in the registry. */
  readonly name: string;
  readonly workloads: readonly Workload[];
  /** Why it does not run a workload, for those it does not run when there is more to say than that (null: "it has no network"). */
  readonly unsupportedWorkloads?: Partial<Record<Workload, string>>;
  /**
   * The least guest memory it boots with, in MiB, when that is known before it
   * is built: a smaller --memory is refused up front rather than left to hang
   * until the timeout.
   */
  readonly minimumMemoryMiB?: number;
  /** Whether the tools the build needs are on this host. */
  checkAvailable(): Promise<Availability>;
  build(request: BuildRequest): Promise<BootArtifacts>;
}
