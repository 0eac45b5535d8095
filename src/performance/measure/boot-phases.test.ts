import { describe, expect, it } from "vitest";
import { bootPhases } from "./boot-phases.js";
import { BOOT_PHASES, RUN_PHASES } from "../../vocabulary/boot-phases.js";

describe("bootPhases", () => {
  it("names the durations between the instants of one iteration", () => {
    expect(bootPhases({ vmmStartupNs: 40n, startNs: 1_000n, firstOutputNs: 1_300n, readyNs: 1_700n, guestEndNs: 2_000n, reapedNs: 2_450n })).toEqual({
      vmmStartup: 40,
      bootToFirstOutput: 300,
      firstOutputToReady: 400,
      readyToGuestEnd: 300,
      guestEndToReaped: 450,
    });
  });

  it("counts output read before the boot signal, or after the marker, at those instants: none negative, the run phases summing to the run time", () => {
    for (const firstOutputNs of [900n, 1_800n]) {
      const phases = bootPhases({ vmmStartupNs: 40n, startNs: 1_000n, firstOutputNs, readyNs: 1_700n, guestEndNs: 2_000n, reapedNs: 2_000n });
      for (const phase of BOOT_PHASES) expect(phases[phase], phase).toBeGreaterThanOrEqual(0);
      expect(RUN_PHASES.reduce((sum, phase) => sum + phases[phase], 0)).toBe(1_000);
    }
  });
});
