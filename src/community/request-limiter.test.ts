import { describe, expect, it } from "vitest";
import { RequestLimiter, type Release } from "./request-limiter.js";

/** A clock that only moves when told, and timers that fire when it passes them. */
function fakeTime() {
  let now = 0;
  const timers: Array<{ at: number; fire: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((fire) => timers.push({ at: now + ms, fire })),
    async advance(ms: number) {
      now += ms;
      for (const t of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fire();
      }
      await new Promise((r) => setImmediate(r));
    },
  };
}

async function started(limiter: RequestLimiter, count: number): Promise<{ releases: Release[]; waiting: Array<Promise<Release>> }> {
  const releases: Release[] = [];
  const waiting = Array.from({ length: count }, () => limiter.acquire().then((r) => (releases.push(r), r)));
  await new Promise((r) => setImmediate(r));
  return { releases, waiting };
}

describe("RequestLimiter", () => {
  it("lets at most maxInFlight requests run at once, the next starting when one ends", async () => {
    const limiter = new RequestLimiter({ maxInFlight: 3 });
    const { releases } = await started(limiter, 5);
    expect(releases).toHaveLength(3);
    releases[0]!();
    releases[0]!(); // releasing twice frees one slot only
    await new Promise((r) => setImmediate(r));
    expect(releases).toHaveLength(4);
  });

  it("halves the requests at once and starts none until the wait is over when GitHub says to slow down, then grows back", async () => {
    const time = fakeTime();
    const limiter = new RequestLimiter({ maxInFlight: 8, now: time.now, sleep: time.sleep });
    const first = await started(limiter, 8);
    limiter.slowDown(1000);
    expect(limiter.currentAllowance).toBe(4);
    for (const release of first.releases) release();
    const next = await started(limiter, 6);
    expect(next.releases).toHaveLength(0);
    await time.advance(999);
    expect(next.releases).toHaveLength(0);
    await time.advance(1);
    expect(next.releases).toHaveLength(4);
    // After as many successes as the allowance, one more may run at once.
    for (let i = 0; i < 4; i++) limiter.succeeded();
    expect(limiter.currentAllowance).toBe(5);
    await new Promise((r) => setImmediate(r));
    expect(next.releases).toHaveLength(5);
  });

  it("starts no more than perMinute requests in any minute", async () => {
    const time = fakeTime();
    const limiter = new RequestLimiter({ maxInFlight: 10, perMinute: 3, now: time.now, sleep: time.sleep });
    const { releases } = await started(limiter, 5);
    expect(releases).toHaveLength(3);
    for (const release of releases.splice(0)) release();
    await time.advance(59_999);
    expect(releases).toHaveLength(0);
    await time.advance(1);
    expect(releases).toHaveLength(2);
  });

  it("gives up a wait when its signal aborts, and the slot goes to the next in line", async () => {
    const limiter = new RequestLimiter({ maxInFlight: 1 });
    const first = await limiter.acquire();
    const deadline = new AbortController();
    const abandoned = limiter.acquire(deadline.signal);
    const next = limiter.acquire();
    deadline.abort(new Error("deadline passed"));
    await expect(abandoned).rejects.toThrow("deadline passed");
    first();
    const release = await next;
    release();
    await expect(limiter.acquire(deadline.signal)).rejects.toThrow("deadline passed");
  });
});
