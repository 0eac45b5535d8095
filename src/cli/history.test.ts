import { InvalidArgumentError } from "../vendor/commander.js";
import { describe, expect, it } from "vitest";
import { parseSince } from "./history.js";

describe("history --since", () => {
  const now = new Date("2026-11-27T12:00:00.000Z");

  it("takes a duration back from now", () => {
    expect(parseSince("30m", now)).toBe("2026-11-27T11:30:00.000Z");
    expect(parseSince("12h", now)).toBe("2026-11-27T00:00:00.000Z");
    expect(parseSince("7d", now)).toBe("2026-11-20T12:00:00.000Z");
    expect(parseSince("2w", now)).toBe("2026-11-13T12:00:00.000Z");
  });

  it("takes a date (midnight UTC) or a date and time, with or without a zone", () => {
    expect(parseSince("2026-11-26", now)).toBe("2026-11-26T00:00:00.000Z");
    expect(parseSince("2026-11-26T15:00:00Z", now)).toBe("2026-11-26T15:00:00.000Z");
    expect(parseSince("2026-11-26T15:00:00+02:00", now)).toBe("2026-11-26T13:00:00.000Z");
  });

  it("refuses anything else, saying what it takes", () => {
    for (const value of ["yesterday", "7", "7y", "2026-13-45", "26/11/2026", ""]) {
      expect(() => parseSince(value, now), value).toThrow(InvalidArgumentError);
    }
  });
});
