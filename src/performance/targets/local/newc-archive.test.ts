import { describe, expect, it } from "vitest";
import { writeNewcArchive } from "./newc-archive.js";

describe("writeNewcArchive", () => {
  it("writes sorted, 4-byte aligned newc records ending with the trailer", () => {
    const archive = writeNewcArchive([
      { kind: "file", path: "init", mode: 0o755, data: Buffer.from("#!/bin/sh\n") },
      { kind: "directory", path: "bin", mode: 0o755 },
    ]);
    const text = archive.toString("latin1");
    expect(archive.length % 4).toBe(0);
    expect(text.startsWith("070701")).toBe(true);
    expect(text.indexOf("bin\0")).toBeLessThan(text.indexOf("init\0"));
    expect(text).toContain("TRAILER!!!\0");
    // Directory mode 040755, uid/gid 0, mtime 0.
    expect(text.slice(14, 22)).toBe("000041ed");
    expect(text.slice(22, 38)).toBe("0".repeat(16));
    expect(text.slice(46, 54)).toBe("00000000");
  });

  it("gives the same bytes for the same entries", () => {
    const entries = [{ kind: "file", path: "a", mode: 0o644, data: Buffer.from("x") }] as const;
    expect(writeNewcArchive(entries).equals(writeNewcArchive(entries))).toBe(true);
  });
});
