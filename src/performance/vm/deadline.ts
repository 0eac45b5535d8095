// One timeout for a VM's whole life (or a density level's), plus Ctrl-C. Its
// signal aborts the VMM's launch and the probes; race() ends whichever step is
// awaited with the right error, naming the step and showing the console.
import { InterruptedError } from "./interrupted-error.js";

/** A guest missed its deadline; the message says which step and shows the console. */
export class IterationTimeoutError extends Error {
  override readonly name = "IterationTimeoutError";
}

export function consoleTail(lines: string[]): string {
  return lines.length ? `; last console lines:\n  ${lines.join("\n  ")}` : "; the console stayed empty";
}

export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private timedOut = false;
  private readonly onUserAbort = (): void => this.controller.abort();

  constructor(
    private readonly timeoutMs: number,
    private readonly userSignal?: AbortSignal,
    /** What sets the timeout, named in its error. */
    private readonly setBy = "--timeout",
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, timeoutMs);
    if (userSignal?.aborted) this.controller.abort();
    userSignal?.addEventListener("abort", this.onUserAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** `step`, or the deadline's error: "<describe()> within the N s timeout (--timeout)", with the console's tail. */
  race<T>(step: Promise<T>, describe: () => string, tail?: () => string[]): Promise<T> {
    const signal = this.controller.signal;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.timedOut) return reject(new InterruptedError());
        const seconds = (this.timeoutMs / 1000).toFixed(this.timeoutMs % 1000 ? 1 : 0);
        reject(new IterationTimeoutError(`${describe()} within the ${seconds} s timeout (${this.setBy})${tail ? consoleTail(tail()) : ""}`));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
      step.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.userSignal?.removeEventListener("abort", this.onUserAbort);
  }
}
