// What a user sees while a recipe builds, which can take many minutes (OSv's
// kernel): on a terminal, a status line with the recipe, the Docker step (i of
// n), the time since the build began, and the step's instruction (cut to the
// terminal's width by the status line), redrawn every second; elsewhere (a CI
// log), one line for a step that is still running after a few seconds, at
// most one per step, so that fast and cached steps print nothing. With
// --debug the whole build log is printed instead, and this adds nothing.
import type { Logger } from "../../../log/logger.js";

/** How long a step runs before a non-terminal is told about it. */
export const STEP_NOTE_AFTER_MS = 5_000;
const REDRAW_EVERY_MS = 1_000;

interface Step {
  index: number;
  total: number;
  instruction: string;
  startedAtMs: number;
  noted: boolean;
}

export class BuildProgress {
  private step: Step | undefined;
  private readonly startedAtMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly name: string,
    private readonly log: Logger,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.startedAtMs = nowMs();
    if (this.shows) this.timer = setInterval(() => this.update(), REDRAW_EVERY_MS).unref();
  }

  /** Whether anything is shown at all: --debug streams the whole log instead. */
  private get shows(): boolean {
    return this.log.statusShown || !this.log.debugEnabled;
  }

  /** A line of the build log, as Docker's classic builder streams it. */
  line(text: string): void {
    const match = /^Step (\d+)\/(\d+) : (.*)$/.exec(text);
    if (!match) return;
    this.step = { index: Number(match[1]), total: Number(match[2]), instruction: match[3]!.trim(), startedAtMs: this.nowMs(), noted: false };
    this.update();
  }

  /** Redraws the status line, or notes a step that has run for a while; the timer calls it too. */
  update(): void {
    const step = this.step;
    if (!step || !this.shows) return;
    const now = this.nowMs();
    if (this.log.statusShown) {
      this.log.status(`Building ${this.name} · step ${step.index}/${step.total} · ${formatElapsed(now - this.startedAtMs)} · ${step.instruction}`);
    } else if (!step.noted && now - step.startedAtMs >= STEP_NOTE_AFTER_MS) {
      step.noted = true;
      this.log.info(`Building ${this.name}: step ${step.index}/${step.total}, ${step.instruction} (${formatElapsed(now - this.startedAtMs)} into the build)`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.step = undefined;
  }
}

/** 42 s, 3 min 07 s. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}
