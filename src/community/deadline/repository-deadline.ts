// The deadline on one repository's whole collection (--repository-timeout).
// Waits GitHub asks for (a rate limit's reset, a Retry-After) do not count
// against it: they push it back by as long. When it passes, `expired` rejects
// with the error `describe` gives at that moment (what was still being read,
// and for how long), and the signal aborts: the repository's requests under
// way end at once, without retry, and no new one is sent. end() stops it once
// the collection is over, aborting whatever of it is still under way, so that
// nothing of a finished or failed repository lingers.
import { CommunityError } from "../errors.js";

export interface DeadlinePassed {
  /** Since the deadline started. */
  elapsedMs: number;
  /** Of that, the waits GitHub asked for. */
  pausedMs: number;
}

export class RepositoryDeadline {
  readonly signal: AbortSignal;
  readonly expired: Promise<never>;
  private readonly controller = new AbortController();
  private readonly startedAtMs = Date.now();
  private endsAtMs: number;
  private pausedMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private fail: (error: Error) => void = () => {};

  constructor(
    readonly timeoutMs: number,
    private readonly describe: (passed: DeadlinePassed) => Error,
  ) {
    this.endsAtMs = this.startedAtMs + timeoutMs;
    this.signal = this.controller.signal;
    this.expired = new Promise<never>((_, reject) => (this.fail = reject));
    this.expired.catch(() => {});
    this.arm();
  }

  /** GitHub made every request wait `ms` longer: the deadline moves as far. */
  extend(ms: number): void {
    if (this.ended) return;
    this.pausedMs += ms;
    this.endsAtMs += ms;
    this.arm();
  }

  /** `work`'s outcome, or the deadline's error if it passes first. */
  race<T>(work: Promise<T>): Promise<T> {
    // Decided by the deadline, `work` still settles later: its failure is no news then.
    work.catch(() => {});
    return Promise.race([work, this.expired]);
  }

  /** The collection is over: the timer goes, and whatever of it is still under way is aborted. */
  end(): void {
    this.ended = true;
    clearTimeout(this.timer);
    if (!this.signal.aborted) this.controller.abort(new CommunityError("the repository's collection is over"));
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pass(), Math.max(0, this.endsAtMs - Date.now()));
  }

  private pass(): void {
    this.ended = true;
    const error = this.describe({ elapsedMs: Date.now() - this.startedAtMs, pausedMs: this.pausedMs });
    this.fail(error);
    this.controller.abort(error);
  }
}
