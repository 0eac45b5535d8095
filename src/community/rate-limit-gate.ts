// Holds requests back when the GraphQL rate limit has run out. Every query asks
// for rateLimit { cost remaining resetAt }; when the points left would not pay
// for another query like the last one, waiting for resetAt is cheaper than
// being refused and retried.
import { setTimeout as sleep } from "node:timers/promises";

export interface RateLimitInfo {
  cost: number;
  remaining: number;
  /** ISO 8601, as GitHub's DateTime scalar sends it. */
  resetAt: string;
}

export interface RateLimitGateOptions {
  onWait?: (waitMs: number, resetAt: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

// GitHub's clock and ours differ a little; resuming a moment after the reset
// avoids a refused request right at the edge.
const RESET_MARGIN_MS = 250;

export class RateLimitGate {
  private latest: RateLimitInfo | undefined;
  private waiting: Promise<void> | undefined;

  constructor(private readonly options: RateLimitGateOptions = {}) {}

  update(info: RateLimitInfo): void {
    const resetChanged = this.latest?.resetAt !== info.resetAt;
    // Answers of concurrent queries arrive out of order: within one window the
    // lowest remaining count is the true one.
    if (!this.latest || resetChanged || info.remaining < this.latest.remaining) this.latest = info;
  }

  /** Resolves at once while points remain; otherwise after the reset. Concurrent callers share one wait. */
  async waitForPoints(): Promise<void> {
    if (this.waiting) return this.waiting;
    const latest = this.latest;
    if (!latest || latest.remaining >= Math.max(latest.cost, 1)) return;
    const now = (this.options.now ?? Date.now)();
    const waitMs = Date.parse(latest.resetAt) - now + RESET_MARGIN_MS;
    if (waitMs <= 0) return;
    this.options.onWait?.(waitMs, latest.resetAt);
    this.waiting = Promise.resolve((this.options.sleep ?? sleep)(waitMs)).then(() => {
      this.waiting = undefined;
      // The points are back; the next answer will say how many.
      this.latest = undefined;
    });
    return this.waiting;
  }
}
