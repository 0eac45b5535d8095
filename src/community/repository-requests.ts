// One repository's requests: each named for messages and counted as it is sent
// and answered (the progress line shows those answered out of those sent and
// those still to send), the HTTP requests and rate-limit points kept with the
// results, and the signal of the repository's deadline, which every request
// carries.
import { newRequestStats, type RequestContext, type RequestStats } from "./client.js";

export interface RepositoryRequestsOptions {
  /** Aborted when the repository's deadline passes, or its collection is over. */
  signal?: AbortSignal;
  /** Called after every request answered, with those answered and the total expected. */
  onProgress?: (done: number, total: number) => void;
}

export class RepositoryRequests {
  readonly stats: RequestStats = newRequestStats();
  private sent = 0;
  private answeredCount = 0;
  private notYetSent: () => number = () => 0;

  constructor(
    readonly repository: string,
    private readonly options: RepositoryRequestsOptions = {},
  ) {}

  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  /** A request about to be sent, named as messages will name it ("issues page 4"). */
  context(what: string): RequestContext {
    this.sent += 1;
    return { repository: this.repository, what, stats: this.stats, ...(this.options.signal ? { signal: this.options.signal } : {}) };
  }

  answered(): void {
    this.answeredCount += 1;
    this.progress();
  }

  /** How many requests are still to be sent, once that is known (after the overview). */
  expect(notYetSent: () => number): void {
    this.notYetSent = notYetSent;
    this.progress();
  }

  get done(): number {
    return this.answeredCount;
  }

  get total(): number {
    return Math.max(this.answeredCount, this.sent + this.notYetSent());
  }

  /** Tells where the repository stands: after each answer, and once its first requests are out (nothing answered yet). */
  progress(): void {
    this.options.onProgress?.(this.done, this.total);
  }
}
