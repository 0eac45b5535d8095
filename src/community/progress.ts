// The status line while repositories are collected: per repository in flight,
// the requests answered out of the total expected ("pages"), and, once one of
// its requests has waited for GitHub more than a few seconds, which one and
// for how long ("waiting 12 s for GitHub: issues page 4 of acme/osv"),
// redrawn every second while something is shown, so a stalled server is seen
// as stalled rather than as a frozen tool.
import { StatusLine } from "../output/status-line.js";
import type { WaitingRequest } from "./client.js";
import { formatSeconds } from "./time.js";

/** A request waiting longer than this is named on the line. */
export const SHOW_WAIT_AFTER_MS = 5_000;
const REDRAW_EVERY_MS = 1_000;

export interface ProgressLineOptions {
  /** The requests under way (GitHubClient.waiting), longest-waiting first. */
  waiting?: () => WaitingRequest[];
  now?: () => number;
}

export class ProgressLine {
  private readonly entries = new Map<string, { done: number; total: number }>();
  private readonly line: StatusLine;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    stream: NodeJS.WriteStream = process.stderr,
    private readonly options: ProgressLineOptions = {},
  ) {
    this.line = new StatusLine(stream);
  }

  update(repository: string, done: number, total: number): void {
    this.entries.set(repository, { done, total });
    this.render();
  }

  finish(repository: string): void {
    this.entries.delete(repository);
    this.render();
  }

  /** Erases the line; the logger calls this before printing so lines do not mix. */
  clear(): void {
    this.line.clear();
  }

  /** Erases the line and stops redrawing it. */
  stop(): void {
    this.entries.clear();
    this.render();
  }

  private render(): void {
    if (this.entries.size === 0) {
      this.line.clear();
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    if (!this.line.enabled) return;
    const now = (this.options.now ?? Date.now)();
    const waiting = this.options.waiting?.() ?? [];
    const text = [...this.entries].map(([repository, { done, total }]) => {
      const pages = `${done}/${total} pages`;
      const longest = waiting.find((w) => w.repository === repository);
      if (!longest || now - longest.sinceMs < SHOW_WAIT_AFTER_MS) return `${repository} ${pages}`;
      const attempt = longest.attempt > 1 ? `, attempt ${longest.attempt}` : "";
      return `waiting ${formatSeconds(now - longest.sinceMs)} for GitHub: ${longest.what} of ${repository}${attempt} (${pages})`;
    });
    this.line.show(text.join(" | "));
    if (!this.timer && this.options.waiting) {
      this.timer = setInterval(() => this.render(), REDRAW_EVERY_MS);
      // The line never keeps the process alive: stop() is its end, this is a safeguard.
      this.timer.unref();
    }
  }
}
