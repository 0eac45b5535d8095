// How many requests to GitHub may be under way at once, and how many may start
// in a minute, over all repositories. GitHub's secondary rate limits allow 100
// concurrent requests and 2,000 GraphQL points a minute (a query without
// mutation is one); the tool stays well inside both. When GitHub says to slow
// down (a secondary rate limit, or a Retry-After on an error), no request
// starts until the wait is over and the allowance halves; each run of
// successes as long as the allowance raises it by one again, up to the bound.
import { setTimeout as sleep } from "node:timers/promises";

export const DEFAULT_MAX_IN_FLIGHT = 12;
export const REQUESTS_PER_MINUTE = 1500;
const MINUTE_MS = 60_000;

export interface RequestLimiterOptions {
  maxInFlight?: number;
  perMinute?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

/** Call once the request is over, whatever its outcome. */
export type Release = () => void;

export class RequestLimiter {
  readonly maxInFlight: number;
  private readonly perMinute: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<unknown>;
  private allowance: number;
  private inFlight = 0;
  private successesSinceChange = 0;
  private pausedUntil = 0;
  /** Start times of the latest requests, at most perMinute of them. */
  private readonly starts: number[] = [];
  private readonly waiting: Array<() => void> = [];
  private timer: Promise<unknown> | null = null;

  constructor(options: RequestLimiterOptions = {}) {
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.perMinute = options.perMinute ?? REQUESTS_PER_MINUTE;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
    this.allowance = this.maxInFlight;
  }

  /** Requests that may be under way at once now (halved after a slow-down). */
  get currentAllowance(): number {
    return this.allowance;
  }

  /**
   * Resolves when a request may start; the caller must call the Release it
   * gets. `signal` gives up the wait (rejecting with its reason).
   */
  acquire(signal?: AbortSignal): Promise<Release> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const start = () => {
        signal?.removeEventListener("abort", giveUp);
        resolve(this.releaser());
      };
      const giveUp = () => {
        this.waiting.splice(this.waiting.indexOf(start), 1);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", giveUp, { once: true });
      this.waiting.push(start);
      this.dispatch();
    });
  }

  /** A request succeeded: after as many successes as the allowance, one more may run at once. */
  succeeded(): void {
    this.successesSinceChange += 1;
    if (this.allowance < this.maxInFlight && this.successesSinceChange >= this.allowance) {
      this.allowance += 1;
      this.successesSinceChange = 0;
      this.dispatch();
    }
  }

  /** GitHub asked to slow down: nothing starts for `waitMs`, and half as many run at once. */
  slowDown(waitMs: number): void {
    this.allowance = Math.max(1, Math.floor(this.allowance / 2));
    this.successesSinceChange = 0;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + waitMs);
    this.dispatch();
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.dispatch();
    };
  }

  /** Starts what may start now; otherwise wakes up when the pause or the minute's budget allows. */
  private dispatch(): void {
    while (this.waiting.length > 0 && this.inFlight < this.allowance) {
      const now = this.now();
      const windowStart = this.starts.length >= this.perMinute ? this.starts[this.starts.length - this.perMinute]! : -Infinity;
      const readyAt = Math.max(this.pausedUntil, windowStart + MINUTE_MS);
      if (readyAt > now) {
        this.wakeAt(readyAt - now);
        return;
      }
      this.inFlight += 1;
      this.starts.push(now);
      if (this.starts.length > this.perMinute) this.starts.splice(0, this.starts.length - this.perMinute);
      this.waiting.shift()!();
    }
  }

  private wakeAt(ms: number): void {
    if (this.timer) return;
    this.timer = this.sleep(ms).then(() => {
      this.timer = null;
      this.dispatch();
    });
  }
}
