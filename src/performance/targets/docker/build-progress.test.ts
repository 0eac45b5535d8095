import { afterEach, describe, expect, it } from "vitest";
import { createLogger, type StatusSink } from "../../../log/logger.js";
import { BuildProgress, formatElapsed, STEP_NOTE_AFTER_MS } from "./build-progress.js";

/** A logger as the CLI makes it, on a terminal or not, with a clock the test moves. */
function setUp(options: { terminal: boolean; debug?: boolean }) {
  const lines: string[] = [];
  const shown: string[] = [];
  const status: StatusSink = { enabled: options.terminal, show: (text) => shown.push(text) };
  const log = createLogger({ debug: Boolean(options.debug), write: (line) => lines.push(line), status, now: () => new Date(0) });
  let nowMs = 0;
  const progress = new BuildProgress("osv-qemu", log, () => nowMs);
  return { lines, shown, progress, advance: (ms: number) => (nowMs += ms) };
}

const BUILD = [
  "Step 1/4 : ARG DEBIAN_IMAGE=debian:12.5",
  "Step 2/4 : FROM debian:12.5 AS build",
  " ---> 3bd99ad91574",
  "Step 3/4 : RUN build-osv.sh kernel drivers_profile=all",
  "make: Entering directory '/osv'",
];

describe("BuildProgress", () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it("on a terminal: the recipe, the step i/n, the time since the build began and the step's instruction, redrawn as time goes", () => {
    const { shown, progress, advance, lines } = setUp({ terminal: true });
    stop = () => progress.stop();
    progress.line(BUILD[0]!);
    advance(1_500);
    for (const line of BUILD.slice(1)) progress.line(line);
    advance(191_000);
    progress.update();
    expect(shown).toEqual([
      "Building osv-qemu · step 1/4 · 0 s · ARG DEBIAN_IMAGE=debian:12.5",
      "Building osv-qemu · step 2/4 · 1 s · FROM debian:12.5 AS build",
      "Building osv-qemu · step 3/4 · 1 s · RUN build-osv.sh kernel drivers_profile=all",
      "Building osv-qemu · step 3/4 · 3 min 12 s · RUN build-osv.sh kernel drivers_profile=all",
    ]);
    // Nothing in the log: the status line is redrawn in place.
    expect(lines).toEqual([]);
  });

  it("elsewhere: one line for a step still running after a few seconds, never two for one step, none for quick steps", () => {
    const { lines, shown, progress, advance } = setUp({ terminal: false });
    stop = () => progress.stop();
    progress.line(BUILD[0]!);
    advance(200);
    progress.line(BUILD[1]!);
    advance(STEP_NOTE_AFTER_MS - 1);
    progress.update();
    expect(lines).toEqual([]);
    advance(1);
    progress.update();
    advance(60_000);
    progress.update();
    progress.line(BUILD[3]!);
    advance(STEP_NOTE_AFTER_MS);
    progress.update();
    progress.update();
    expect(lines).toEqual([
      "INFO[1970-01-01 00:00:00] Building osv-qemu: step 2/4, FROM debian:12.5 AS build (5 s into the build)",
      "INFO[1970-01-01 00:00:00] Building osv-qemu: step 3/4, RUN build-osv.sh kernel drivers_profile=all (1 min 10 s into the build)",
    ]);
    expect(shown).toEqual([]);
  });

  it("adds nothing to --debug's whole log off a terminal", () => {
    const { lines, progress, advance } = setUp({ terminal: false, debug: true });
    stop = () => progress.stop();
    progress.line(BUILD[3]!);
    advance(10 * 60_000);
    progress.update();
    expect(lines).toEqual([]);
  });

  it("formats elapsed time in seconds, then minutes and seconds", () => {
    expect([formatElapsed(0), formatElapsed(59_999), formatElapsed(60_000), formatElapsed(187_400)]).toEqual(["0 s", "59 s", "1 min 00 s", "3 min 07 s"]);
  });
});
