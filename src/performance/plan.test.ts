import { describe, expect, it } from "vitest";
import { resolvePlan, type Catalog } from "./plan.js";
import type { TargetBuilder } from "./targets/types.js";
import type { VmmBackend } from "./vmm/types.js";

function builder(name: string, workloads: TargetBuilder["workloads"]): TargetBuilder {
  return { name, workloads, checkAvailable: async () => ({ available: true }), build: async () => { throw new Error("not built in these tests"); } };
}
function backend(name: string): VmmBackend {
  return { name, checkAvailable: async () => ({ available: true }), version: async () => "1", launch: async () => { throw new Error("not launched in these tests"); } };
}

const catalog: Catalog = {
  registry: {
    "benchmark-tool/null": { unikernelName: "null", supportedVMMs: ["qemu", "qemu-microvm"] },
    "torvalds/linux": { unikernelName: "linux", supportedVMMs: ["qemu", "qemu-microvm", "firecracker"] },
  },
  builders: new Map([["null", builder("null", ["hello"])], ["linux", builder("linux", ["hello", "alloc"])]]),
  backends: new Map([["qemu", backend("qemu")], ["qemu-microvm", backend("qemu-microvm")]]),
};

const pairs = (specs: string[], vmms?: string[], workload: "hello" | "alloc" = "hello") =>
  resolvePlan(specs, vmms, workload, catalog).entries.map((e) => `${e.target.name}:${e.backend.name}`);

describe("resolvePlan", () => {
  it("runs every target on every VMM it supports when none is named, leaving out VMMs without a backend", () => {
    const plan = resolvePlan([], undefined, "hello", catalog);
    expect(plan.entries.map((e) => `${e.target.name}:${e.backend.name}`)).toEqual(["null:qemu", "null:qemu-microvm", "linux:qemu", "linux:qemu-microvm"]);
    expect(plan.leftOut).toEqual(["linux on firecracker: this build of the tool has no firecracker backend"]);
  });

  it("accepts names, name:vmm, repositories and links", () => {
    expect(pairs(["null:qemu", "https://github.com/torvalds/linux:qemu-microvm"])).toEqual(["null:qemu", "linux:qemu-microvm"]);
    expect(pairs(["torvalds/linux"], ["qemu"])).toEqual(["linux:qemu"]);
  });

  it("refuses a target or VMM named twice, however it was written", () => {
    expect(() => pairs(["null:qemu", "null:qemu"])).toThrow("null:qemu is named twice ('null:qemu' and 'null:qemu'); name each target once");
    expect(() => pairs(["null", "benchmark-tool/null:qemu-microvm"])).toThrow("null:qemu-microvm is named twice ('null' and 'benchmark-tool/null:qemu-microvm')");
    expect(() => pairs(["linux"], ["qemu", "qemu"])).toThrow("--vmm names 'qemu' twice; name each VMM once");
  });

  it("marks the pairs the user did not name in full as implicit: their not being available here is no error", () => {
    const implicit = (specs: string[], vmms?: string[]) =>
      resolvePlan(specs, vmms, "hello", catalog).entries.map((e) => `${e.target.name}:${e.backend.name}${e.implicit ? " implicit" : ""}`);
    expect(implicit([])).toEqual(["null:qemu implicit", "null:qemu-microvm implicit", "linux:qemu implicit", "linux:qemu-microvm implicit"]);
    expect(implicit(["null", "linux:qemu"])).toEqual(["null:qemu implicit", "null:qemu-microvm implicit", "linux:qemu"]);
    expect(implicit(["null"], ["qemu"])).toEqual(["null:qemu"]);
    expect(implicit([], ["qemu"])).toEqual(["null:qemu implicit", "linux:qemu implicit"]);
  });

  it("lists the valid targets and VMMs when one is unknown", () => {
    expect(() => pairs(["osv"])).toThrow("unknown target 'osv'; valid targets: null (benchmark-tool/null), linux (torvalds/linux)");
    expect(() => pairs([], ["xen"])).toThrow("unknown VMM 'xen'; valid VMMs: qemu, qemu-microvm, firecracker");
    expect(() => pairs(["null:firecracker"])).toThrow("null does not support VMM 'firecracker'; it supports: qemu, qemu-microvm");
  });

  it("leaves out targets that cannot run the workload unless they were named", () => {
    expect(pairs([], undefined, "alloc")).toEqual(["linux:qemu", "linux:qemu-microvm"]);
    expect(() => pairs(["null"], undefined, "alloc")).toThrow("null runs only the hello workload(s), not 'alloc'");
  });

  it("refuses a workload a target does not build for one VMM when that pair is named, and leaves it out otherwise", () => {
    const osv: TargetBuilder = {
      ...builder("osv", ["hello", "http"]),
      unsupportedWorkloadOn: (vmm, workload) => (vmm === "firecracker" && workload === "http" ? "its Firecracker recipe has no network stack" : undefined),
    };
    const withOsv: Catalog = {
      registry: { ...catalog.registry, "cloudius-systems/osv": { unikernelName: "osv", supportedVMMs: ["qemu", "firecracker"] } },
      builders: new Map([...catalog.builders, ["osv", osv]]),
      backends: new Map([...catalog.backends, ["firecracker", backend("firecracker")]]),
    };
    const reason = "osv:firecracker is not available for the 'http' workload: its Firecracker recipe has no network stack";
    expect(() => resolvePlan(["osv:firecracker"], undefined, "http", withOsv)).toThrow(reason);
    expect(() => resolvePlan(["osv"], ["firecracker"], "http", withOsv)).toThrow(reason);
    const plan = resolvePlan(["osv"], undefined, "http", withOsv);
    expect(plan.entries.map((e) => `${e.target.name}:${e.backend.name}`)).toEqual(["osv:qemu"]);
    expect(plan.leftOut).toEqual([reason]);
    // Another workload on that VMM is no concern of it.
    expect(resolvePlan(["osv:firecracker"], undefined, "hello", withOsv).entries).toHaveLength(1);
  });
});
