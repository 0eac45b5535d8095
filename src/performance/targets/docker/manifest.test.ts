import { describe, expect, it } from "vitest";
import { ManifestError, manifestArtifacts, manifestBootArgs, parseManifest } from "./manifest.js";

const VALID = {
  kernel: "/benchmark/kernel.elf",
  disk: "/benchmark/usr.raw",
  bootArgs: "--rootfs=rofs /workload",
  memoryMiB: 128,
  readyMarker: "BENCHMARK_TOOL_READY",
  exit: "poweroff",
};

describe("parseManifest", () => {
  it("accepts a complete manifest and lists its artifacts by role", () => {
    const manifest = parseManifest(JSON.stringify(VALID), "unikernels/osv/qemu/osv.Dockerfile");
    expect(manifestArtifacts(manifest)).toEqual([
      { role: "kernel", imagePath: "/benchmark/kernel.elf" },
      { role: "disk", imagePath: "/benchmark/usr.raw" },
    ]);
  });

  it("names the recipe and the missing field", () => {
    const { readyMarker: _readyMarker, ...withoutMarker } = VALID;
    expect(() => parseManifest(JSON.stringify(withoutMarker), "unikernels/osv/qemu/osv.Dockerfile")).toThrow(
      'unikernels/osv/qemu/osv.Dockerfile: invalid /benchmark/manifest.json: field "readyMarker": required, but missing',
    );
  });

  it("takes a disk that boots itself without a kernel (nanos on pc), which gets no command line", () => {
    const { kernel: _kernel, ...diskOnly } = { ...VALID, bootArgs: "" };
    expect(manifestArtifacts(parseManifest(JSON.stringify(diskOnly), "r"))).toEqual([{ role: "disk", imagePath: "/benchmark/usr.raw" }]);
    const { disk: _disk, ...neither } = diskOnly;
    expect(() => parseManifest(JSON.stringify(neither), "r")).toThrow(
      'r: invalid /benchmark/manifest.json: field "kernel": required, unless the disk boots itself through its own boot loader: name a kernel, or a disk',
    );
    expect(() => parseManifest(JSON.stringify({ ...diskOnly, bootArgs: "--verbose" }), "r")).toThrow(
      'field "bootArgs": must be empty when there is no kernel: a disk that boots itself gets no command line from the VMM',
    );
  });

  it("takes the QEMU machine and device properties a guest needs, and the isa-debug-exit end", () => {
    const qemu = { machine: { rtc: "on", ioapic2: "off" }, globals: { "virtio-mmio.force-legacy": "false" } };
    expect(parseManifest(JSON.stringify({ ...VALID, exit: "isa-debug-exit", qemu }), "r")).toMatchObject({ exit: "isa-debug-exit", qemu });
  });

  it.each([
    ["a value with a comma, which QEMU would read as another option", { machine: { rtc: "on,accel=kvm" } }, "qemu.machine.rtc", /no commas/],
    ["the machine type, which the VMM sets", { machine: { type: "q35" } }, "qemu.machine.type", /is the tool's to choose: the machine type follows the VMM/],
    ["the accelerator, which --accel sets", { machine: { accel: "kvm" } }, "qemu.machine.accel", /the accelerator --accel/],
    ["a device property without its driver", { globals: { "force-legacy": "false" } }, "qemu.globals.force-legacy", /must be <driver>\.<property>/],
    ["an unknown kind of setting", { cpu: "max" }, "qemu", /cpu/],
  ])("rejects %s, naming the field", (_what, qemu, field, message) => {
    expect(() => parseManifest(JSON.stringify({ ...VALID, qemu }), "r")).toThrow(new RegExp(`field "${field.replace(/\./g, "\\.")}".*${message.source}`));
  });

  it.each([
    ["a relative path", { kernel: "benchmark/kernel.elf" }, "kernel"],
    ["a path with ..", { initrd: "/benchmark/../etc/passwd" }, "initrd"],
    ["memory that is not a whole number", { memoryMiB: 12.5 }, "memoryMiB"],
    ["an unknown exit method", { exit: "vanish" }, "exit"],
    ["an empty ready marker", { readyMarker: "" }, "readyMarker"],
  ])("rejects %s, naming the field", (_what, change, field) => {
    expect(() => parseManifest(JSON.stringify({ ...VALID, ...change }), "r.Dockerfile")).toThrow(new RegExp(`^r\\.Dockerfile: .*field "${field}"`));
  });

  it("gives a workload its own command line where the manifest has one, and the common one otherwise", () => {
    const manifest = parseManifest(JSON.stringify({ ...VALID, workloadBootArgs: { http: "--rootfs=rofs --ip=eth0,10.0.2.15,255.255.255.0 /workload" } }), "r");
    expect(manifestBootArgs(manifest, "http")).toBe("--rootfs=rofs --ip=eth0,10.0.2.15,255.255.255.0 /workload");
    expect(manifestBootArgs(manifest, "hello")).toBe("--rootfs=rofs /workload");
    expect(manifestBootArgs(parseManifest(JSON.stringify(VALID), "r"), "http")).toBe("--rootfs=rofs /workload");
    expect(() => parseManifest(JSON.stringify({ ...VALID, workloadBootArgs: { nginx: "x" } }), "r")).toThrow(/field "workloadBootArgs/);
  });

  it("rejects unknown fields (a typo must not pass silently)", () => {
    expect(() => parseManifest(JSON.stringify({ ...VALID, bootargs: "x" }), "r")).toThrow(/bootargs/);
  });

  it("rejects text that is not JSON", () => {
    expect(() => parseManifest("{kernel:", "r")).toThrow(ManifestError);
    expect(() => parseManifest("{kernel:", "r")).toThrow(/^r: \/benchmark\/manifest\.json is not valid JSON/);
  });
});
