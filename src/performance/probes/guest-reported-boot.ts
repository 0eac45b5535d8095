// The boot time a guest states on its own console (OSv's "Booted up in",
// Unikraft's clock on reaching main()), read beside the tool's figure. Only a
// figure the guest's clock can give is a measurement: OSv under TCG states
// "Booted up in 0.00 ms", because its clock there (the HPET) starts after the
// points it measures from. Such a statement, and a guest that states nothing,
// are recorded as absent, with why, never as a number.
import type { GuestReportedBoot } from "../targets/types.js";
import type { ConsoleWatcher } from "./console-watcher.js";

const NS_PER_UNIT: Record<GuestReportedBoot["unit"], number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

/** The guest's figure in nanoseconds, or why there is none. */
export type GuestReportedBootReading = { ns: number } | { absent: string };

export class GuestReportedBootReader {
  private readonly found: () => RegExpExecArray | undefined;

  /** Call before the guest starts: only lines that arrive after it count. */
  constructor(
    console: ConsoleWatcher,
    private readonly spec: GuestReportedBoot,
  ) {
    this.found = console.watchLine(new RegExp(spec.pattern));
  }

  /** Whether the guest has stated it yet. */
  get stated(): boolean {
    return this.found() !== undefined;
  }

  reading(): GuestReportedBootReading {
    const match = this.found();
    if (!match) return { absent: `the guest printed no line matching /${this.spec.pattern}/` };
    const value = Number(match[1]);
    if (!Number.isFinite(value)) return { absent: `the guest's statement '${match[0]}' holds no number` };
    if (value <= 0) {
      return { absent: `the guest stated '${match[0].trim()}': its clock was not running yet at the points it measures from, so that is no measurement` };
    }
    return { ns: Math.round(value * NS_PER_UNIT[this.spec.unit]) };
  }
}
