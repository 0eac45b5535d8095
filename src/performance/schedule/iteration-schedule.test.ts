import { describe, expect, it } from "vitest";
import { IterationSchedule, type ScheduleOptions, type ScheduleStep } from "./iteration-schedule.js";

const FIXED: Omit<ScheduleOptions, "order"> = { warmup: 1, minIterations: 3, maxIterations: 3, seed: 42 };

function drain(schedule: IterationSchedule): ScheduleStep[] {
  const steps: ScheduleStep[] = [];
  for (let step = schedule.next(); step; step = schedule.next()) steps.push(step);
  return steps;
}

/** "w0" for a warm-up of pair 0, "1" for a measured iteration of pair 1. */
const short = (steps: ScheduleStep[]): string[] => steps.map((s) => `${s.warmup ? "w" : ""}${s.pair}`);

describe("IterationSchedule", () => {
  it("sequential: each pair's warm-ups and measured iterations before the next pair's, as the seed does", () => {
    const steps = drain(new IterationSchedule(3, { ...FIXED, order: "sequential" }));
    expect(short(steps)).toEqual(["w0", "0", "0", "0", "w1", "1", "1", "1", "w2", "2", "2", "2"]);
    expect(steps.every((s) => s.round === 0)).toBe(true);
  });

  it("interleaved: every warm-up first, then rounds holding one iteration of every pair", () => {
    const steps = drain(new IterationSchedule(3, { ...FIXED, warmup: 2, order: "interleaved" }));
    expect(short(steps.slice(0, 6))).toEqual(["w0", "w0", "w1", "w1", "w2", "w2"]);
    const measured = steps.slice(6);
    expect(measured.map((s) => s.round)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3]);
    for (const round of [1, 2, 3]) {
      expect(measured.filter((s) => s.round === round).map((s) => s.pair).sort()).toEqual([0, 1, 2]);
    }
  });

  it("shuffles each round: the same seed gives the same order, another seed another", () => {
    const options: ScheduleOptions = { warmup: 0, minIterations: 20, maxIterations: 20, seed: 7, order: "interleaved" };
    const a = short(drain(new IterationSchedule(4, options)));
    expect(short(drain(new IterationSchedule(4, options)))).toEqual(a);
    expect(short(drain(new IterationSchedule(4, { ...options, seed: 8 })))).not.toEqual(a);
    // Not always the plan's order: over 20 rounds of 4 pairs, several orders appear.
    const rounds = new Set(Array.from({ length: 20 }, (_, r) => a.slice(4 * r, 4 * r + 4).join("")));
    expect(rounds.size).toBeGreaterThan(5);
  });

  it("lets a pair leave once it is precise, after at least the minimum, and keeps interleaving the others", () => {
    const precise = new Set<number>();
    const schedule = new IterationSchedule(3, { order: "interleaved", warmup: 0, minIterations: 2, maxIterations: 6, seed: 1 }, (pair) => precise.has(pair));
    // Pair 1 is precise from the start: it still gets the minimum.
    precise.add(1);
    const steps: ScheduleStep[] = [];
    for (let step = schedule.next(); step; step = schedule.next()) {
      steps.push(step);
      if (step.pair === 0 && schedule.measured(0) === 4) precise.add(0);
    }
    const count = (pair: number): number => steps.filter((s) => s.pair === pair).length;
    expect([count(0), count(1), count(2)]).toEqual([4, 2, 6]);
    // Rounds 3 and 4 hold pairs 0 and 2; rounds 5 and 6 pair 2 alone.
    expect(steps.filter((s) => s.round === 3).map((s) => s.pair).sort()).toEqual([0, 2]);
    expect(steps.filter((s) => s.round === 5).map((s) => s.pair)).toEqual([2]);
  });

  it("sequential with a precision rule: a pair stops when precise or at the maximum", () => {
    const schedule = new IterationSchedule(2, { order: "sequential", warmup: 0, minIterations: 3, maxIterations: 5, seed: 1 }, (pair) => pair === 0);
    expect(short(drain(schedule))).toEqual(["0", "0", "0", "1", "1", "1", "1", "1"]);
  });

  it("skips a pair that left, and repeats the warm-ups of a pair that starts over", () => {
    const schedule = new IterationSchedule(2, { ...FIXED, order: "interleaved" });
    expect(short([schedule.next()!, schedule.next()!])).toEqual(["w0", "w1"]);
    // Pair 0's first boot failed in a way that makes it start over (KVM -> TCG).
    schedule.restart(0);
    schedule.leave(1);
    expect(short(drain(schedule))).toEqual(["w0", "0", "0", "0"]);
  });

  it("counts the iterations it can still give, at most", () => {
    const schedule = new IterationSchedule(2, { order: "interleaved", warmup: 1, minIterations: 2, maxIterations: 5, seed: 3 });
    expect(schedule.stepsLeftAtMost()).toBe(12);
    schedule.next();
    schedule.next();
    schedule.next();
    expect(schedule.stepsLeftAtMost()).toBe(9);
    schedule.leave(0);
    expect(schedule.stepsLeftAtMost()).toBe(5 - schedule.measured(1));
  });

  it("refuses a maximum below the minimum", () => {
    expect(() => new IterationSchedule(1, { ...FIXED, order: "sequential", maxIterations: 2 })).toThrow(/maxIterations \(2\) is below minIterations \(3\)/);
  });
});
