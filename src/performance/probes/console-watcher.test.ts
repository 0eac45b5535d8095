import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConsoleWatcher } from "./console-watcher.js";

describe("ConsoleWatcher", () => {
  it("finds a marker split across chunks and timestamps the completing chunk", async () => {
    const stream = new PassThrough();
    const watcher = new ConsoleWatcher(stream);
    const seen = watcher.waitForMarker("BENCHMARK_TOOL_READY");
    let resolved = false;
    void seen.then(() => (resolved = true));
    stream.write("booting...\nBENCHMARK_TO");
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    const before = process.hrtime.bigint();
    stream.write("OL_READY\r\n");
    const at = await seen;
    expect(at).toBeGreaterThanOrEqual(before);
    expect(watcher.tail()).toEqual(["booting...", "BENCHMARK_TOOL_READY"]);
  });

  it("timestamps the first chunk of output after the call, which is never later than the marker's", async () => {
    const stream = new PassThrough();
    const watcher = new ConsoleWatcher(stream);
    stream.write("before\n");
    await new Promise((r) => setImmediate(r));
    const firstOutput = watcher.waitForOutput();
    const marker = watcher.waitForMarker("READY");
    const before = process.hrtime.bigint();
    stream.write("SeaBIOS\n");
    await new Promise((r) => setImmediate(r));
    stream.write("READY\n");
    const [first, ready] = await Promise.all([firstOutput, marker]);
    expect(first).toBeGreaterThanOrEqual(before);
    expect(first).toBeLessThan(ready);
  });

  it("keeps only the last lines and reports the unfinished one", async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    const watcher = new ConsoleWatcher(stream, { onLine: (l) => lines.push(l) });
    stream.write(Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n") + "\npartial");
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(30);
    const tail = watcher.tail();
    expect(tail).toHaveLength(21);
    expect(tail[0]).toBe("line 10");
    expect(tail.at(-1)).toBe("partial");
  });

  it("matches a marker spread over three chunks", async () => {
    const stream = new PassThrough();
    const watcher = new ConsoleWatcher(stream);
    const seen = watcher.waitForMarker("READY");
    stream.write("REA");
    stream.write("D");
    stream.write("Y and more");
    await expect(seen).resolves.toBeTypeOf("bigint");
  });

  it("stays pending while the marker has not appeared", async () => {
    const stream = new PassThrough();
    const watcher = new ConsoleWatcher(stream);
    let resolved = false;
    void watcher.waitForMarker("READY").then(() => (resolved = true));
    stream.write("REA\nDY\n");
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
  });
});
