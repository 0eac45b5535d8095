import { describe, expect, it } from "vitest";
import { RateLimitGate } from "./rate-limit-gate.js";

function fakeClock() {
  const sleeps: number[] = [];
  return { sleeps, now: () => Date.parse("2026-01-01T00:00:00Z"), sleep: async (ms: number) => void sleeps.push(ms) };
}

describe("RateLimitGate", () => {
  it("does not wait before the first answer or while points remain", async () => {
    const clock = fakeClock();
    const gate = new RateLimitGate(clock);
    (await gate.reserve(1))();
    gate.update({ cost: 2, remaining: 2, resetAt: "2026-01-01T00:10:00Z" });
    (await gate.reserve(2))();
    expect(clock.sleeps).toEqual([]);
  });

  it("waits until the reset (plus a margin) when the points cannot pay for the next query", async () => {
    const clock = fakeClock();
    const waits: number[] = [];
    const gate = new RateLimitGate({ ...clock, onWait: (ms) => waits.push(ms) });
    gate.update({ cost: 3, remaining: 2, resetAt: "2026-01-01T00:00:02Z" });
    await Promise.all([gate.reserve(3), gate.reserve(3)]);
    expect(clock.sleeps).toEqual([2250]);
    expect(waits).toEqual([2250]);
    await gate.reserve(3);
    expect(clock.sleeps).toHaveLength(1);
  });

  it("counts the points of queries under way against what is left", async () => {
    const clock = fakeClock();
    const gate = new RateLimitGate(clock);
    gate.update({ cost: 1, remaining: 5, resetAt: "2026-01-01T00:00:03Z" });
    const first = await gate.reserve(3);
    await gate.reserve(2);
    expect(clock.sleeps).toEqual([]);
    // 5 left, 5 under way: a sixth point must wait for the reset...
    await gate.reserve(1);
    expect(clock.sleeps).toEqual([3250]);
    // ...after which the reservations still count until released.
    first();
  });

  it("keeps the lowest remaining count of one window when answers arrive out of order", async () => {
    const clock = fakeClock();
    const gate = new RateLimitGate(clock);
    gate.update({ cost: 1, remaining: 0, resetAt: "2026-01-01T00:00:01Z" });
    gate.update({ cost: 1, remaining: 5, resetAt: "2026-01-01T00:00:01Z" });
    await gate.reserve(1);
    expect(clock.sleeps).toEqual([1250]);
  });
});
