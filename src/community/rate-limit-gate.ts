// Holds queries back when the GraphQL rate limit would not pay for them. Every
// query asks for rateLimit { cost remaining resetAt }; the points of queries
// still under way are reserved against the last remaining count, so that many
// queries at once never spend more than is left. When a query would not fit,
// waiting for resetAt is cheaper than being refused and retried.
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

/** Gives the reserved points back once the query is answered (or failed). */
export type PointsRelease = () => void;

export class RateLimitGate {
  private latest: RateLimitInfo | undefined;
  private reserved = 0;
  private waiting: Promise<void> | undefined;

  constructor(private readonly options: RateLimitGateOptions = {}) {}

  update(info: RateLimitInfo): void {
    const resetChanged = this.latest?.resetAt !== info.resetAt;
    // Answers of concurrent queries arrive out of order: within one window the
    // lowest remaining count is the true one.
    if (!this.latest || resetChanged || info.remaining < this.latest.remaining) this.latest = info;
  }

  /**
   * Resolves at once while the points left, less those reserved by queries
   * under way, pay for `points`; otherwise after the reset. Concurrent callers
   * share one wait.
   */
  async reserve(points: number): Promise<PointsRelease> {
    for (;;) {
      if (this.waiting) {
        await this.waiting;
        continue;
      }
      const latest = this.latest;
      if (!latest || latest.remaining - this.reserved >= Math.max(points, 1)) break;
      const waitMs = Date.parse(latest.resetAt) - (this.options.now ?? Date.now)() + RESET_MARGIN_MS;
      if (waitMs <= 0) {
        // The window has reset; the next answer will say how many points there are.
        this.latest = undefined;
        break;
      }
      this.options.onWait?.(waitMs, latest.resetAt);
      this.waiting = Promise.resolve((this.options.sleep ?? sleep)(waitMs)).then(() => {
        this.waiting = undefined;
        this.latest = undefined;
      });
    }
    this.reserved += points;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reserved -= points;
    };
  }
}
