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
    const { kernel: _kernel, ...withoutKernel } = VALID;
    expect(() => parseManifest(JSON.stringify(withoutKernel), "unikernels/osv/qemu/osv.Dockerfile")).toThrow(
      'unikernels/osv/qemu/osv.Dockerfile: invalid /benchmark/manifest.json: field "kernel": required, but missing',
    );
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

  it("takes the guest network's placeholders on a command line, and refuses a misspelt one by name", () => {
    const http = "--ip=eth0,{{address}},{{netmask}} --defaultgw={{gateway}} /workload";
    expect(manifestBootArgs(parseManifest(JSON.stringify({ ...VALID, workloadBootArgs: { http } }), "r"), "http")).toBe(http);
    expect(() => parseManifest(JSON.stringify({ ...VALID, workloadBootArgs: { http: "netdev.ip={{adress}}/{{prefixLength}}" } }), "r")).toThrow(
      'r: invalid /benchmark/manifest.json: field "workloadBootArgs.http": names {{adress}}, which is not a placeholder of the guest\'s network; valid: {{address}}, {{prefixLength}}, {{netmask}}, {{gateway}}',
    );
    expect(() => parseManifest(JSON.stringify({ ...VALID, bootArgs: "{{gw}}" }), "r")).toThrow(/field "bootArgs": names \{\{gw\}\}/);
  });

  it("says which workloads the recipe does not build, and why", () => {
    const manifest = parseManifest(JSON.stringify({ ...VALID, unsupportedWorkloads: { http: "no network stack" } }), "r");
    expect(manifest.unsupportedWorkloads).toEqual({ http: "no network stack" });
    expect(() => parseManifest(JSON.stringify({ ...VALID, unsupportedWorkloads: { http: "" } }), "r")).toThrow(/field "unsupportedWorkloads.http"/);
  });

  it("rejects unknown fields (a typo must not pass silently)", () => {
    expect(() => parseManifest(JSON.stringify({ ...VALID, bootargs: "x" }), "r")).toThrow(/bootargs/);
  });

  it("rejects text that is not JSON", () => {
    expect(() => parseManifest("{kernel:", "r")).toThrow(ManifestError);
    expect(() => parseManifest("{kernel:", "r")).toThrow(/^r: \/benchmark\/manifest\.json is not valid JSON/);
  });
});
