// The seed's contract: every Docker-built registry entry has
// unikernels/<name>/<vmm>/<name>.Dockerfile for each of its VMMs, and every
// recipe folder belongs to a registry entry and VMM. Fails in either direction.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCatalog } from "../../src/performance/catalog.js";
import { resolvePlan } from "../../src/performance/plan.js";
import { SupportedUnikernels } from "../../src/performance/supported.js";
import { DockerTargetBuilder } from "../../src/performance/targets/docker/docker-target.js";
import { UNIKERNELS_DIR } from "../../src/performance/targets/docker/paths.js";

function subfolders(dir: string): string[] {
  return readdirSync(dir).filter((name) => statSync(path.join(dir, name)).isDirectory());
}

describe("registry and unikernels/ agree", () => {
  const catalog = createCatalog();
  const dockerBuilt = Object.values(SupportedUnikernels).filter((u) => catalog.builders.get(u.unikernelName) instanceof DockerTargetBuilder);

  it("osv and unikraft are Docker-built, on qemu and firecracker", () => {
    expect(SupportedUnikernels["cloudius-systems/osv"]).toMatchObject({ unikernelName: "osv", supportedVMMs: ["qemu", "firecracker"] });
    expect(SupportedUnikernels["unikraft/unikraft"]).toMatchObject({ unikernelName: "unikraft", supportedVMMs: ["qemu", "firecracker"] });
  });

  it("says why osv and unikraft leave out qemu-microvm, and the plan repeats it", () => {
    for (const unikernel of [SupportedUnikernels["cloudius-systems/osv"]!, SupportedUnikernels["unikraft/unikraft"]!]) {
      expect(Object.keys(unikernel.unsupportedVMMs ?? {})).toEqual(["qemu-microvm"]);
    }
    expect(() => resolvePlan(["osv:qemu-microvm"], undefined, "hello", catalog)).toThrow(/osv does not support VMM 'qemu-microvm' \(OSv v0\.57\.0 needs kvmclock or an HPET.*\); it supports: qemu, firecracker/);
    expect(dockerBuilt.map((u) => u.unikernelName).sort()).toEqual(["nanos", "osv", "unikraft"]);
  });

  it("nanos is Docker-built, on all three VMMs", () => {
    expect(SupportedUnikernels["nanovms/nanos"]).toMatchObject({ unikernelName: "nanos", supportedVMMs: ["qemu", "qemu-microvm", "firecracker"] });
    expect(SupportedUnikernels["nanovms/nanos"]!.unsupportedVMMs).toBeUndefined();
    // Named by its repository, as `performance` and `community` take it.
    const plan = resolvePlan(["https://github.com/nanovms/nanos"], undefined, "alloc", catalog);
    expect(plan.entries.map((e) => `${e.target.name}:${e.backend.name}`)).toEqual(["nanos:qemu", "nanos:qemu-microvm", "nanos:firecracker"]);
  });

  it("each Docker-built entry has a Dockerfile for each of its VMMs", () => {
    const missing = dockerBuilt.flatMap((u) =>
      u.supportedVMMs
        .map((vmm) => path.join(u.unikernelName, vmm, `${u.unikernelName}.Dockerfile`))
        .filter((file) => !existsSync(path.join(UNIKERNELS_DIR, file))),
    );
    expect(missing, "registry entries without a recipe").toEqual([]);
  });

  it("each recipe folder is a registry entry's unikernel and VMM, with its Dockerfile", () => {
    const stray: string[] = [];
    for (const name of subfolders(UNIKERNELS_DIR)) {
      const entry = Object.values(SupportedUnikernels).find((u) => u.unikernelName === name);
      if (!entry) {
        stray.push(`${name}/ (no registry entry)`);
        continue;
      }
      for (const vmm of subfolders(path.join(UNIKERNELS_DIR, name))) {
        if (!entry.supportedVMMs.includes(vmm)) stray.push(`${name}/${vmm}/ (${vmm} is not among ${name}'s VMMs)`);
        else if (!existsSync(path.join(UNIKERNELS_DIR, name, vmm, `${name}.Dockerfile`))) stray.push(`${name}/${vmm}/ (no ${name}.Dockerfile)`);
      }
    }
    expect(stray, "recipe folders the registry does not list").toEqual([]);
  });
});
