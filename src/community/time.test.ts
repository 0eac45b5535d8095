import { describe, expect, it } from "vitest";
import { formatIsoWithOffset, formatSeconds, hoursBetween } from "./time.js";

describe("time helpers", () => {
  it("formats local time with an offset that parses back to the same instant", () => {
    const date = new Date("2023-07-05T13:31:50.552Z");
    const text = formatIsoWithOffset(date);
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    expect(Date.parse(text)).toBe(date.getTime());
  });

  it("counts hours between two instants", () => {
    expect(hoursBetween("2026-01-01T00:00:00Z", "2026-01-02T06:00:00Z")).toBe(30);
  });

  it("says durations in seconds, tenths below ten", () => {
    expect([300, 1500, 9_960, 12_400, 95_000].map(formatSeconds)).toEqual(["0.3 s", "1.5 s", "10 s", "12 s", "95 s"]);
  });
});
