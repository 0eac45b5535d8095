import { describe, expect, it } from "vitest";
import { bundle, MAX_SLICES_PER_REQUEST, minimumRequestSize } from "./bundle.js";

const pool = (unassigned: number) => ({ unassigned });
const end = (name: string, p: { unassigned: number }) => ({ end: name, pool: p });

describe("bundle", () => {
  it("keeps the request count at ceil(R / 100): a request carries at least what is over the last full pages", () => {
    expect(minimumRequestSize(1149)).toBe(49);
    expect(minimumRequestSize(1100)).toBe(100);
    expect(minimumRequestSize(1)).toBe(1);
    expect(minimumRequestSize(0)).toBe(0);
  });

  it("fills a request from the longest end alone when it can", () => {
    expect(bundle([end("a", pool(30)), end("b", pool(250))], 280)).toEqual([{ end: "b", size: 100 }]);
  });

  it("shares a request among short ends, the longest first, splitting the last to fill it", () => {
    expect(bundle([end("a", pool(30)), end("b", pool(60)), end("c", pool(40))], 130)).toEqual([
      { end: "b", size: 60 },
      { end: "c", size: 40 },
    ]);
    expect(bundle([end("a", pool(70)), end("b", pool(60))], 130)).toEqual([
      { end: "a", size: 70 },
      { end: "b", size: 30 },
    ]);
  });

  it("holds back a request that would need one more request later, unless nothing else is under way", () => {
    // 180 left: a request now must carry 80 at least.
    expect(bundle([end("a", pool(50))], 180)).toBeNull();
    expect(bundle([end("a", pool(50))], 180, true)).toEqual([{ end: "a", size: 50 }]);
    expect(bundle([end("a", pool(80))], 180)).toEqual([{ end: "a", size: 80 }]);
  });

  it("takes the two ends of one pool only up to what the pool holds", () => {
    const shared = pool(130);
    expect(bundle([end("forward", shared), end("backward", shared)], 130)).toEqual([{ end: "forward", size: 100 }]);
    const small = pool(60);
    expect(bundle([end("forward", small), end("backward", small)], 60)).toEqual([{ end: "forward", size: 60 }]);
  });

  it("puts at most MAX_SLICES_PER_REQUEST slices in a request", () => {
    const many = Array.from({ length: 40 }, (_, i) => end(`w${i}`, pool(2)));
    expect(bundle(many, 80, true)).toHaveLength(MAX_SLICES_PER_REQUEST);
  });
});
