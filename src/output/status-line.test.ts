import { describe, expect, it } from "vitest";
import { StatusLine } from "./status-line.js";

function fakeStream(isTTY: boolean, columns = 40) {
  const written: string[] = [];
  const stream = { isTTY, columns, write: (chunk: string) => written.push(chunk) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe("StatusLine", () => {
  it("on a terminal, cuts the text to the width (a long build command ends at the edge) and erases it before the next", () => {
    const { stream, written } = fakeStream(true, 40);
    const line = new StatusLine(stream);
    line.show("Building osv-qemu · step 9/13 · 3 min 12 s · RUN build-osv.sh kernel drivers_profile=all");
    line.show("next");
    line.clear();
    expect(written).toEqual(["Building osv-qemu · step 9/13 · 3 min 1", "\r\x1b[2K", "next", "\r\x1b[2K"]);
  });

  it("writes nothing when the stream is not a terminal", () => {
    const { stream, written } = fakeStream(false);
    const line = new StatusLine(stream);
    line.show("Building osv-qemu · step 1/13");
    line.clear();
    expect(line.enabled).toBe(false);
    expect(written).toEqual([]);
  });
});
