import { describe, expect, it } from "vitest";
import { resolveAccel } from "./accel.js";

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
});
