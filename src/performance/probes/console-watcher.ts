// Reads a guest's serial console as a stream: notices the ready marker the
// moment the chunk that completes it arrives, keeps the last lines for error
// messages and the lines in which the guest states its own timings, and
// echoes the console to the debug log.
import type { Readable } from "node:stream";
import { monotonicNow, type Nanoseconds } from "../../clock.js";

const TAIL_LINES = 20;

export interface ConsoleWatcherOptions {
  /** Called with each complete console line (for --debug). */
  onLine?: (line: string) => void;
}

export class ConsoleWatcher {
  private readonly lines: string[] = [];
  private partialLine = "";
  private readonly markerWaiters: Array<{ marker: string; carry: string; resolve: (at: Nanoseconds) => void }> = [];
  private readonly outputWaiters: Array<(at: Nanoseconds) => void> = [];
  private readonly lineWatchers: Array<{ pattern: RegExp; found?: RegExpExecArray }> = [];
  /** Settles when the console stream has ended (the VMM closed it) and every line was seen. */
  readonly ended: Promise<void>;

  constructor(
    stream: Readable,
    private readonly options: ConsoleWatcherOptions = {},
  ) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => this.onChunk(chunk));
    this.ended = new Promise((resolve) => {
      stream.once("end", resolve);
      stream.once("close", resolve);
    });
  }

  /** Keeps the first complete line that matches `pattern`: read it with the function returned. */
  watchLine(pattern: RegExp): () => RegExpExecArray | undefined {
    const watcher: { pattern: RegExp; found?: RegExpExecArray } = { pattern };
    this.lineWatchers.push(watcher);
    return () => watcher.found;
  }

  /**
   * Resolves with the monotonic time at which the chunk completing `marker`
   * arrived. The marker may be split across chunks. Only output that arrives
   * after the call counts, so call it before the guest starts.
   */
  waitForMarker(marker: string): Promise<Nanoseconds> {
    return new Promise((resolve) => this.markerWaiters.push({ marker, carry: "", resolve }));
  }

  /**
   * Resolves with the monotonic time at which the next chunk of output
   * arrives, whatever it holds (the first byte of a boot). Call it before the
   * guest starts.
   */
  waitForOutput(): Promise<Nanoseconds> {
    return new Promise((resolve) => this.outputWaiters.push(resolve));
  }

  /** The last console lines, the unfinished one included, for error messages. */
  tail(): string[] {
    return this.partialLine ? [...this.lines, this.partialLine] : [...this.lines];
  }

  private onChunk(chunk: string): void {
    // Timestamp first: everything after this line is bookkeeping.
    const receivedAtNs = monotonicNow();
    for (const resolve of this.outputWaiters.splice(0)) resolve(receivedAtNs);
    for (let i = this.markerWaiters.length - 1; i >= 0; i--) {
      const waiter = this.markerWaiters[i]!;
      const window = waiter.carry + chunk;
      if (window.includes(waiter.marker)) {
        this.markerWaiters.splice(i, 1);
        waiter.resolve(receivedAtNs);
      } else {
        waiter.carry = window.slice(-(waiter.marker.length - 1));
      }
    }
    this.collectLines(chunk);
  }

  private collectLines(chunk: string): void {
    const parts = (this.partialLine + chunk).split(/\r?\n/);
    this.partialLine = parts.pop() ?? "";
    for (const raw of parts) {
      const line = raw.replace(/\r/g, "");
      this.options.onLine?.(line);
      for (const watcher of this.lineWatchers) watcher.found ??= watcher.pattern.exec(line) ?? undefined;
      this.lines.push(line);
      if (this.lines.length > TAIL_LINES) this.lines.shift();
    }
  }
}
