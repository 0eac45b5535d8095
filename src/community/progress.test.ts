import { describe, expect, it } from "vitest";
import { ProgressLine } from "./progress.js";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, columns: 60, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

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
    const progress = new ProgressLine(stream);
    progress.update("acme/a", 1, 2);
    progress.clear();
    expect(writes).toEqual([]);
  });
});
