import { afterEach, describe, expect, it, vi } from "vitest";
import type { WaitingRequest } from "./client.js";
import { ProgressLine } from "./progress.js";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, columns: 120, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("ProgressLine", () => {
  it("shows pages done out of the total per repository on a terminal, and clears before logs", () => {
    const { stream, writes } = fakeStream(true);
    const progress = new ProgressLine(stream);
    progress.update("acme/a", 1, 12);
    progress.update("acme/b", 3, 4);
    expect(writes.at(-1)).toBe("acme/a 1/12 pages | acme/b 3/4 pages");
    progress.finish("acme/a");
    expect(writes.at(-1)).toBe("acme/b 3/4 pages");
    progress.clear();
    expect(writes.at(-1)).toBe("\r\x1b[2K");
  });

  it("writes nothing when stderr is not a terminal", () => {
    const { stream, writes } = fakeStream(false);
    const progress = new ProgressLine(stream, { waiting: () => [] });
    progress.update("acme/a", 1, 2);
    progress.clear();
    progress.stop();
    expect(writes).toEqual([]);
  });

  it("names a request that has waited more than a few seconds, redrawn every second, and stops redrawing when stopped", () => {
    vi.useFakeTimers({ now: 100_000 });
    const { stream, writes } = fakeStream(true);
    const waiting: WaitingRequest[] = [
      { repository: "cloudius-systems/osv", what: "issues page 4", sinceMs: 100_000, attempt: 1 },
      { repository: "cloudius-systems/osv", what: "pull requests page 1", sinceMs: 101_000, attempt: 1 },
    ];
    const progress = new ProgressLine(stream, { waiting: () => waiting });
    progress.update("cloudius-systems/osv", 5, 15);
    progress.update("acme/tiny", 1, 2);
    expect(writes.at(-1)).toBe("cloudius-systems/osv 5/15 pages | acme/tiny 1/2 pages");
    vi.advanceTimersByTime(4_000);
    expect(writes.at(-1)).toBe("cloudius-systems/osv 5/15 pages | acme/tiny 1/2 pages");
    vi.advanceTimersByTime(8_000);
    expect(writes.at(-1)).toBe("waiting 12 s for GitHub: issues page 4 of cloudius-systems/osv (5/15 pages) | acme/tiny 1/2 pages");
    waiting[0]!.attempt = 2;
    vi.advanceTimersByTime(1_000);
    expect(writes.at(-1)).toBe("waiting 13 s for GitHub: issues page 4 of cloudius-systems/osv, attempt 2 (5/15 pages) | acme/tiny 1/2 pages");
    progress.stop();
    expect(writes.at(-1)).toBe("\r\x1b[2K");
    const count = writes.length;
    vi.advanceTimersByTime(5_000);
    expect(writes.length).toBe(count);
    expect(vi.getTimerCount()).toBe(0);
  });
});
