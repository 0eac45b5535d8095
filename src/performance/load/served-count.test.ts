import { describe, expect, it } from "vitest";
import { checkServedCount, parseServedCount } from "./served-count.js";

describe("parseServedCount", () => {
  it("reads the count from the workload's line, wherever it sits in the console", () => {
    expect(parseServedCount("BENCHMARK_TOOL_SERVED 29894")).toBe(29894);
    expect(parseServedCount("booting\r\nBENCHMARK_TOOL_SERVED 0\r\n[    1.2] reboot: Power down\n")).toBe(0);
    expect(parseServedCount("BENCHMARK_TOOL_READY\n")).toBeUndefined();
    expect(parseServedCount("BENCHMARK_TOOL_SERVED \n")).toBeUndefined();
  });
});

describe("checkServedCount", () => {
  const expected = { generatorRequests: 29892, generatorConnections: 2, toolResponses: 2 };

  it("agrees from the responses the host received up to one in-flight request per connection more", () => {
    expect(checkServedCount(29894, expected)).toEqual({ agrees: true, least: 29894, most: 29896 });
    expect(checkServedCount(29896, expected).agrees).toBe(true);
    expect(checkServedCount(29897, { ...expected, toolAbandonedRequests: 1 }).agrees).toBe(true);
  });

  it("disagrees, saying with what, below and above that range", () => {
    const fewer = checkServedCount(29000, expected);
    expect(fewer.agrees).toBe(false);
    expect(fewer.explanation).toBe(
      "the guest says it answered 29000 request(s), where the host counted 29894 to 29896 (29892 from the load generator, 2 from the tool, up to 2 more in flight or abandoned)",
    );
    expect(checkServedCount(29897, expected).agrees).toBe(false);
  });
});
