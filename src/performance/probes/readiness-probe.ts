// How the tool knows that a guest is ready, as a strategy (testcontainers'
// wait strategies): a probe watches one VM from before its boot signal and
// settles with the instant it saw the guest ready; when readiness does not
// come, it says what was awaited, and the VM's deadline says for how long.
import type { Nanoseconds } from "../../clock.js";
import type { ServiceAddress } from "../vmm/types.js";
import type { ConsoleWatcher } from "./console-watcher.js";

/** What a probe may look at. */
export interface ProbedVm {
  /** The guest's console, read from before the boot signal. */
  readonly console: ConsoleWatcher;
  /** Settles with the boot signal's instant once it has been sent. */
  readonly started: Promise<Nanoseconds>;
  /** Where the tool reaches the guest's server, when it serves. */
  readonly service?: ServiceAddress;
}

export interface ReadinessProbe {
  /**
   * Starts watching `vm`, launched and not yet started; resolves with the
   * monotonic instant the guest was seen ready, taken where that was observed.
   * `signal` aborts when the VM's life ends: the probe stops then.
   */
  watch(vm: ProbedVm, signal: AbortSignal): Promise<Nanoseconds>;
  /** What did not come in time: "the guest did not print the ready marker 'X'". */
  missed(): string;
  /** What the guest ended without: "the guest ended (guest-shutdown) without printing the ready marker 'X'". */
  endedWithout(reason: string): string;
}
