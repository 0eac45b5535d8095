import { describe, expect, it } from "vitest";
import { parseTargetSpec } from "./target-spec.js";

describe("parseTargetSpec", () => {
  it.each([
    ["null", { name: "null", isRepository: false }],
    ["null:qemu-microvm", { name: "null", isRepository: false, vmm: "qemu-microvm" }],
    ["torvalds/linux", { name: "torvalds/linux", isRepository: true }],
    ["https://github.com/cloudius-systems/osv", { name: "cloudius-systems/osv", isRepository: true }],
    ["github.com/unikraft/unikraft.git/", { name: "unikraft/unikraft", isRepository: true }],
    ["https://github.com/torvalds/linux:qemu", { name: "torvalds/linux", isRepository: true, vmm: "qemu" }],
  ])("parses %s", (input, expected) => {
    expect(parseTargetSpec(input)).toEqual(expected);
  });

  it.each(["", "a/b/c", "null:", "https://gitlab.com/x/y", "bad name"])("rejects %j with a hint", (input) => {
    expect(() => parseTargetSpec(input)).toThrow(/is not a target: use <unikernel>\[:<vmm>\]/);
  });
});
