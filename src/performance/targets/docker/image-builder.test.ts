import { describe, expect, it } from "vitest";
import { FAILED_BUILD_LOG_LINES, ImageBuildError, LogTail } from "./image-builder.js";

describe("LogTail", () => {
  it("keeps the last lines only", () => {
    const tail = new LogTail(FAILED_BUILD_LOG_LINES);
    for (let i = 1; i <= 100; i++) tail.push(`line ${i}`);
    expect(tail.get()).toHaveLength(30);
    expect(tail.get()[0]).toBe("line 71");
    expect(tail.get().at(-1)).toBe("line 100");
  });
});

describe("ImageBuildError", () => {
  it("ends its message with the log's tail", () => {
    const error = new ImageBuildError("Building osv for qemu failed: exit 2", ["Step 3/9 : RUN make", "make: *** [all] Error 2"]);
    expect(error.message).toBe("Building osv for qemu failed: exit 2\nLast 2 line(s) of the build log:\nStep 3/9 : RUN make\nmake: *** [all] Error 2");
    expect(error.logTail).toHaveLength(2);
  });
});
