import { afterEach, describe, expect, it, vi } from "vitest";
import { RepositoryDeadline, type DeadlinePassed } from "./repository-deadline.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("RepositoryDeadline", () => {
  it("passes after its time, pushed back by the waits GitHub asked for, failing the work and aborting its signal", async () => {
    vi.useFakeTimers({ now: 0 });
    const passed: DeadlinePassed[] = [];
    const deadline = new RepositoryDeadline(1_000, (p) => (passed.push(p), new Error("past the deadline")));
    const work = deadline.race(new Promise<never>(() => {}));
    const outcome = work.catch((error: Error) => error.message);
    vi.advanceTimersByTime(800);
    deadline.extend(500);
    vi.advanceTimersByTime(600);
    expect(passed).toEqual([]);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(100);
    expect(passed).toEqual([{ elapsedMs: 1_500, pausedMs: 500 }]);
    expect(await outcome).toBe("past the deadline");
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe("past the deadline");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("once ended, leaves no timer, aborts what is still under way, and is not moved by later waits", async () => {
    vi.useFakeTimers({ now: 0 });
    const deadline = new RepositoryDeadline(1_000, () => new Error("past the deadline"));
    await expect(deadline.race(Promise.resolve("report"))).resolves.toBe("report");
    deadline.end();
    expect(deadline.signal.aborted).toBe(true);
    deadline.extend(5_000);
    expect(vi.getTimerCount()).toBe(0);
  });
});
