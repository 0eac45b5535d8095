// The contract tests are only as good as their validator: it must accept what
// Firecracker accepts and reject what it rejects, from the spec itself.
import { describe, expect, it } from "vitest";
import { loadSpecValidator } from "./spec-validator.mjs";

describe("Firecracker API spec validator (v1.16.1 swagger)", () => {
  const spec = loadSpecValidator();

  it("reads the specification of the version the driver targets", () => {
    expect(spec.version).toBe("1.16.1");
  });

  it.each([
    ["/logger", { log_path: "/tmp/x/firecracker.log", level: "Info", show_level: true, show_log_origin: false }],
    ["/metrics", { metrics_path: "/tmp/x/metrics.json" }],
    ["/boot-source", { kernel_image_path: "/k", initrd_path: "/i", boot_args: "console=ttyS0" }],
    ["/drives/rootfs", { drive_id: "rootfs", path_on_host: "/d", is_root_device: true, is_read_only: false }],
    ["/machine-config", { vcpu_count: 2, mem_size_mib: 256 }],
    ["/actions", { action_type: "InstanceStart" }],
  ])("accepts a valid PUT %s", (path, body) => {
    expect(spec.validate("PUT", path, body)).toMatchObject({ ok: true });
  });

  it.each([
    ["vcpu_count as a string", "/machine-config", { vcpu_count: "1", mem_size_mib: 128 }, /vcpu_count must be integer/],
    ["vcpu_count out of range", "/machine-config", { vcpu_count: 33, mem_size_mib: 128 }, /vcpu_count must be <= 32/],
    ["a missing required field", "/machine-config", { vcpu_count: 1 }, /mem_size_mib/],
    ["an unknown field", "/boot-source", { kernel_image_path: "/k", kernel_args: "x" }, /additional properties: kernel_args/],
    ["an unknown nested field", "/drives/rootfs", { drive_id: "r", is_root_device: true, rate_limiter: { bandwidth: { size: 1, refill_time: 1, burst: 2 } } }, /additional properties: burst/],
    ["an action outside the enum", "/actions", { action_type: "Start" }, /allowed values/],
    ["a wrong log level", "/logger", { level: "Verbose" }, /allowed values/],
    ["a missing required body", "/actions", undefined, /requires a body/],
  ])("rejects %s", (_what, path, body, message) => {
    const result = spec.validate("PUT", path, body);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.errors.join("; ")).toMatch(message);
  });

  it("rejects paths and methods the API does not have", () => {
    expect(spec.validate("PUT", "/start", { action_type: "InstanceStart" })).toMatchObject({ ok: false });
    expect(spec.validate("POST", "/actions", { action_type: "InstanceStart" })).toMatchObject({ ok: false });
    expect(spec.validate("GET", "/version", undefined)).toMatchObject({ ok: true });
  });
});
