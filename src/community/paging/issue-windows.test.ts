import { describe, expect, it } from "vitest";
import { applyCut, applyRead, applyReadAndCut, IssueWindow, needsCut, planCut, planWindows, readyWindows, updateCountInstants, windowRead, windowsFrom } from "./issue-windows.js";

const T = (hours: number) => Date.parse("2026-01-01T00:00:00Z") + hours * 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const shape = (ws: IssueWindow[]) => ws.map((w) => [w.since, w.until, w.count]);
const node = (updatedAtMs: number) => ({ updatedAt: iso(updatedAtMs) }) as never;
const answer = (nodes: number[], hasNextPage: boolean) => ({ pageInfo: { hasNextPage, startCursor: "s", endCursor: "e" }, nodes: nodes.map(node) });

describe("issue windows", () => {
  it("counts at whole seconds from 25 years to an hour ago, oldest first", () => {
    const now = new Date("2026-06-01T12:34:56.789Z");
    const instants = updateCountInstants(now, 24).map(Date.parse);
    expect(instants).toHaveLength(24);
    expect(instants.every((t, i) => i === 0 || t > instants[i - 1]!)).toBe(true);
    expect(instants.every((t) => t % 1000 === 0)).toBe(true);
    expect(now.getTime() - instants.at(-1)!).toBeGreaterThanOrEqual(3_600_000);
    expect((now.getTime() - instants[0]!) / (365.25 * 86_400_000)).toBeCloseTo(25, 1);
  });

  it("merges buckets up to the window size, keeps a longer bucket alone, leaves empty ones out, and ends open", () => {
    // 1000 issues: 300 before T(1), none in [T(1), T(2)), 40 in [T(2), T(3)), 50 in [T(3), T(4)), 610 after.
    const windows = planWindows(1000, [T(1), T(2), T(3), T(4)].map(iso), [700, 700, 660, 610], 100);
    expect(shape(windows)).toEqual([
      [null, T(1), 300],
      [T(2), T(4), 90],
      [T(4), null, 610],
    ]);
    expect(windows[1]!.span).toEqual({ from: T(2), to: T(4) });
    expect(planWindows(0, [iso(T(1))], [0], 100)).toEqual([]);
  });

  it("reads an open-ended window once at least, to see the end", () => {
    const windows = windowsFrom({ at: T(0), count: 5 }, [{ at: T(1), count: 0 }], { at: null, count: 0 }, 100);
    expect(shape(windows)).toEqual([[T(0), null, 5]]);
    const empty = windowsFrom({ at: T(0), count: 0 }, [], { at: null, count: 0 }, 100);
    expect(shape(empty)).toEqual([[T(0), null, 1]]);
  });

  it("offers every window not under way, what is over its full pages first, and a long one whole (it is cut when first read)", () => {
    const short = new IssueWindow(null, T(1), 80);
    const long = new IssueWindow(T(1), T(5), 950);
    const pages = new IssueWindow(T(5), T(6), 250);
    const last = new IssueWindow(T(6), null, 30);
    expect(needsCut(long, 100)).toBe(true);
    expect(readyWindows([short, long, pages, last], 200).map((c) => [c.end, c.next])).toEqual([
      [short, 80],
      [long, undefined],
      [pages, 50],
      [last, 30],
    ]);
    long.inFlight = true;
    short.read = 80;
    expect(readyWindows([short, long, pages, last], 200).map((c) => c.end)).toEqual([pages, last]);
  });

  it("cuts a window by counts at instants spread over its span, into windows with exact counts", () => {
    const w = new IssueWindow(T(0), T(10), 1000);
    const cut = planCut(w, 100, T(-100), T(100))!;
    expect(cut.points).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map(T));
    expect(cut.instants).toEqual([T(0), ...cut.points, T(10)].map(iso));
    // Suffix counts at T(0)..T(10): 100 per hour except 400 in [T(3), T(4)) and none in [T(7), T(9)).
    const counts = [1200, 1100, 1000, 900, 500, 400, 300, 200, 200, 200, 100];
    const parts = applyCut(cut, counts, 100);
    expect(shape(parts)).toEqual([
      [T(0), T(1), 100],
      [T(1), T(2), 100],
      [T(2), T(3), 100],
      [T(3), T(4), 400],
      [T(4), T(5), 100],
      [T(5), T(6), 100],
      [T(6), T(7), 100],
      [T(9), T(10), 100],
    ]);
    expect(parts.reduce((sum, p) => sum + p.count, 0)).toBe(counts[0]! - counts.at(-1)!);
  });

  it("stops cutting a window whose issues share one second", () => {
    const w = new IssueWindow(T(0), T(0) + 1000, 500);
    expect(planCut(w, 100, T(-1), T(1))).toBeUndefined();
    expect(w.cuttable).toBe(false);
    expect(needsCut(w, 100)).toBe(false);
  });

  it("gives a window read and cut by one request the parts its read reached, started, and the rest unstarted", () => {
    const w = new IssueWindow(T(0), T(4), 400);
    const cut = planCut(w, 100, 0, 0)!;
    expect(cut.points).toEqual([T(1), T(2), T(3)]);
    const read = windowRead({ end: w, size: 100 });
    // 100 read, the last updated at T(1.5): it reached into the second part.
    const parts = applyReadAndCut(read, answer([T(0.2), T(1.5)], true), cut, [400, 330, 150, 60, 0], 100);
    expect(shape(parts)).toEqual([
      [T(0), T(2), 250],
      [T(2), T(3), 90],
      [T(3), T(4), 60],
    ]);
    expect(parts[0]!.read).toBe(100);
    expect(parts[0]!.cursor).toBe("e");
    expect(parts[1]!.started).toBe(false);
  });

  it("reads on past an open-ended window's count while GitHub says more follow", () => {
    const last = new IssueWindow(T(0), null, 30);
    applyRead(windowRead({ end: last, size: 30 }), answer([T(1)], true));
    expect(last.done).toBe(false);
    expect(last.unassigned).toBe(100);
    applyRead(windowRead({ end: last, size: 100 }), answer([T(2)], false));
    expect(last.done).toBe(true);
  });
});
