// The interface every VMM backend fulfils. A backend starts its VMM with the
// guest loaded but not running, so that the boot clock can start at the exact
// moment the guest is told to boot (QMP `cont`, Firecracker's InstanceStart).
import type { Readable } from "node:stream";
import type { Logger } from "../../log/logger.js";
import type { BootArtifacts } from "../targets/types.js";
import type { Availability } from "../targets/types.js";
import type { Nanoseconds } from "../../clock.js";

export type Accel = "kvm" | "tcg";

/**
 * The guest's network: QEMU's user networking (slirp, no root), the guest at
 * 10.0.2.15/24 with the gateway 10.0.2.2, and one TCP port of the guest
 * forwarded from the host's loopback.
 */
export interface PortForward {
  /** The port on 127.0.0.1 that reaches the guest (chosen free: see launchWithFreeHostPort). */
  hostPort: number;
  /** The port the guest's server listens on. */
  guestPort: number;
}

/** Where the tool reaches a guest's server: a forwarded port on the loopback (QEMU), or the guest's own address on a tap (Firecracker). */
export interface ServiceAddress {
  host: string;
  port: number;
}

export interface LaunchConfig {
  artifacts: BootArtifacts;
  /** The full guest command line: the target's boot args plus the user's. */
  bootArgs: string;
  memoryMiB: number;
  vcpus: number;
  accel: Accel;
  /** A CPU model for VMMs that take one (QEMU -cpu); the VMM's default when absent. */
  cpu?: string;
  /** Add the VMM's boot-timer device (Firecracker --boot-timer), at VmmBackend.bootTimerAddress. */
  bootTimer?: boolean;
  /** A network device forwarding one guest port to the host; no network device at all when absent. */
  network?: PortForward;
  /** Host CPUs to run the VMM process on (a taskset list such as "1" or "2-3"); anywhere when absent. */
  pinCpus?: string;
  /** A private (0700) directory for sockets and logs, removed by the caller. */
  workDir: string;
  log: Logger;
  /** Aborted on timeout or Ctrl-C: the backend kills what it started and rejects. */
  signal: AbortSignal;
}

/** How the guest's run ended, as the VMM reported it. */
export interface GuestEnd {
  /** Monotonic time at which the tool observed the end. */
  atNs: Nanoseconds;
  /** e.g. "guest-shutdown", "guest-reset", "vmm-exit". */
  reason: string;
  /** The boot time the VMM measured itself (Firecracker's boot timer), when it reported one. */
  vmmReportedBootNs?: number;
}

export interface VmmExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Monotonic time at which the tool saw the process end (reaped). */
  atNs: Nanoseconds;
}

/** One VMM process with one guest loaded, paused until start(). */
export interface VmInstance {
  readonly pid: number;
  /** The command line the VMM was started with (shown with --debug, stored in results). */
  readonly commandLine: readonly string[];
  /** From spawning the VMM to its control channel being ready. */
  readonly startupNs: Nanoseconds;
  /** The guest's serial console. */
  readonly console: Readable;
  /** Where the tool reaches the guest's server, when it was launched with a network. */
  readonly service?: ServiceAddress;
  /** What the VMM wrote on stderr so far (errors such as 'KVM internal error'). */
  stderrText(): string;
  /**
   * Tells the guest to boot and returns the monotonic time taken right before
   * the command left, which is when the boot clock starts.
   */
  start(): Promise<Nanoseconds>;
  /** Settles when the guest has powered off (or the VMM exited). */
  readonly guestEnded: Promise<GuestEnd>;
  /** Settles when the VMM process has exited. */
  readonly exited: Promise<VmmExit>;
  /**
   * Whether the VMM process stays alive after the guest ended until stop() (QEMU's
   * -no-shutdown), so that its final peak memory can still be read exactly.
   */
  readonly outlivesGuest: boolean;
  /** Ends the VMM gracefully (QMP quit), killing it if it does not exit in time. */
  stop(): Promise<void>;
  /** Kills the VMM at once (timeouts, Ctrl-C). */
  kill(): void;
}

export interface VmmBackend {
  /** The name users type: "qemu", "qemu-microvm", "firecracker". */
  readonly name: string;
  /** The accelerators it can run guests under; both when absent. */
  readonly accels?: readonly Accel[];
  /** Where its boot-timer device sits in guest memory, for VMMs that have one (LaunchConfig.bootTimer). */
  readonly bootTimerAddress?: string;
  /**
   * Whether it can run here. Without artifacts it answers for the host alone;
   * with them it may also use what they provide (a VMM binary a recipe ships).
   */
  checkAvailable(artifacts?: BootArtifacts): Promise<Availability>;
  /** The VMM's version string, recorded with the results. */
  version(artifacts?: BootArtifacts): Promise<string>;
  /** For VMMs that take a CPU model (LaunchConfig.cpu): the models it knows. */
  cpuModels?(): Promise<readonly string[]>;
  launch(config: LaunchConfig): Promise<VmInstance>;
}
