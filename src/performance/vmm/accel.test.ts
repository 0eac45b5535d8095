import { describe, expect, it } from "vitest";
import { KVM_DEVICE, kvmDevice, resolveAccel } from "./accel.js";

describe("resolveAccel", () => {
  it("falls back to TCG under auto when the KVM device is missing", async () => {
    await expect(resolveAccel("auto", "/nonexistent/kvm")).resolves.toBe("tcg");
  });

  it("refuses --accel kvm without a usable device, saying what to do", async () => {
    await expect(resolveAccel("kvm", "/nonexistent/kvm")).rejects.toThrow(/KVM cannot be used.*does not exist.*--accel tcg/s);
  });

  it("keeps TCG when asked, whatever the host has", async () => {
    await expect(resolveAccel("tcg")).resolves.toBe("tcg");
  });

  it("checks $BENCHMARK_TOOL_KVM_DEVICE in place of /dev/kvm when it is set", () => {
    expect(kvmDevice({})).toBe(KVM_DEVICE);
    expect(kvmDevice({ BENCHMARK_TOOL_KVM_DEVICE: "" })).toBe(KVM_DEVICE);
    expect(kvmDevice({ BENCHMARK_TOOL_KVM_DEVICE: "/tmp/stand-in-kvm" })).toBe("/tmp/stand-in-kvm");
  });
});
