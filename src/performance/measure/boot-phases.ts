// Where an iteration's time goes, as named phases on the tool's own monotonic
// clock. The three from the boot signal to the guest's end share their
// instants, so they add up to the run time to the nanosecond.
import type { BootPhasesNs } from "../../vocabulary/boot-phases.js";
import type { Nanoseconds } from "../../clock.js";

export interface BootInstants {
  /** From spawning the VMM to its control channel being ready. */
  vmmStartupNs: Nanoseconds;
  /** The boot signal (QMP cont, InstanceStart): the boot clock's start. */
  startNs: Nanoseconds;
  /** The first console chunk after the VMM was ready. */
  firstOutputNs: Nanoseconds;
  /** The chunk that completed the ready marker (never after the guest's end). */
  readyNs: Nanoseconds;
  /** The guest's end, as the VMM reported it. */
  guestEndNs: Nanoseconds;
  /** The VMM process reaped. */
  reapedNs: Nanoseconds;
}

export function bootPhases(at: BootInstants): BootPhasesNs {
  // Console and VMM events come over different pipes: output the tool read
  // before the boot signal (none is expected from a paused VMM), or after the
  // marker it belongs before, is counted at those instants so that no phase
  // is negative and the sum stays exact.
  const firstOutputNs = at.firstOutputNs < at.startNs ? at.startNs : at.firstOutputNs > at.readyNs ? at.readyNs : at.firstOutputNs;
  return {
    vmmStartup: Number(at.vmmStartupNs),
    bootToFirstOutput: Number(firstOutputNs - at.startNs),
    firstOutputToReady: Number(at.readyNs - firstOutputNs),
    readyToGuestEnd: Number(at.guestEndNs - at.readyNs),
    guestEndToReaped: Number(at.reapedNs - at.guestEndNs),
  };
}
