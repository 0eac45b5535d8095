// Where the Firecracker binary comes from: --firecracker-bin, FIRECRACKER_BIN,
// PATH, and last the one a recipe image ships (manifest "vmmBinary").
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestArtifacts, parseManifest } from "../../src/performance/targets/docker/manifest.js";
import type { BootArtifacts } from "../../src/performance/targets/types.js";
import { FirecrackerBackend } from "../../src/performance/vmm/firecracker/firecracker-backend.js";
import { PROJECT_ROOT } from "../paths.js";

const FAKE = path.join(PROJECT_ROOT, "test/firecracker/fake-firecracker.mjs");

describe("Firecracker binary resolution", () => {
  const saved = { PATH: process.env.PATH, FIRECRACKER_BIN: process.env.FIRECRACKER_BIN };
  let kvmDevice: string;
  let emptyDir: string;

  beforeAll(async () => {
    emptyDir = await mkdtemp(path.join(os.tmpdir(), "bt-fc-bin-"));
    // Any readable and writable file passes the KVM check; this test is about the binary.
    kvmDevice = FAKE;
    // Node itself must stay reachable for the stand-in's shebang.
    process.env.PATH = `${emptyDir}${path.delimiter}${path.dirname(process.execPath)}`;
    delete process.env.FIRECRACKER_BIN;
  });

  afterAll(async () => {
    process.env.PATH = saved.PATH;
    if (saved.FIRECRACKER_BIN === undefined) delete process.env.FIRECRACKER_BIN;
    else process.env.FIRECRACKER_BIN = saved.FIRECRACKER_BIN;
    await rm(emptyDir, { recursive: true, force: true });
  });

  const shipped: BootArtifacts = { kernelPath: "/k", bootArgs: "", readyMarker: "R", vmmBinaryPath: FAKE };

  it("without one on the host, says how to get it and that a recipe's may do", async () => {
    const availability = await new FirecrackerBackend({ kvmDevice }).checkAvailable();
    expect(availability).toMatchObject({ available: false, artifactsMayProvide: true });
    expect(availability.reason).toMatch(/Firecracker was not found on PATH: download a release from https:\/\/github\.com\/firecracker-microvm\/firecracker\/releases/);
  });

  it("falls back to the binary the artifacts ship, and reads its version", async () => {
    const backend = new FirecrackerBackend({ kvmDevice });
    expect(await backend.checkAvailable(shipped)).toEqual({ available: true });
    expect(await backend.version(shipped)).toBe("v1.16.1");
  });

  it("an explicit binary wins, and a wrong one is not silently replaced", async () => {
    expect(await new FirecrackerBackend({ kvmDevice, binary: FAKE }).version()).toBe("v1.16.1");
    const wrong = await new FirecrackerBackend({ kvmDevice, binary: path.join(emptyDir, "nope") }).checkAvailable(shipped);
    expect(wrong.available).toBe(false);
    expect(wrong.reason).toMatch(/nope \(--firecracker-bin or FIRECRACKER_BIN\) is not an executable file/);
  });

  it("FIRECRACKER_BIN is used when no flag is given", async () => {
    process.env.FIRECRACKER_BIN = FAKE;
    try {
      expect(await new FirecrackerBackend({ kvmDevice }).version()).toBe("v1.16.1");
    } finally {
      delete process.env.FIRECRACKER_BIN;
    }
  });

  it("without KVM, says Firecracker needs it", async () => {
    const availability = await new FirecrackerBackend({ kvmDevice: path.join(emptyDir, "kvm"), binary: FAKE }).checkAvailable();
    expect(availability.available).toBe(false);
    expect(availability.reason).toMatch(/Firecracker needs KVM, and .*kvm does not exist/);
  });

  it("a recipe manifest may name the binary its image ships; it is extracted like the kernel", () => {
    const manifest = parseManifest(
      JSON.stringify({ kernel: "/benchmark/kernel.elf", vmmBinary: "/benchmark/firecracker", bootArgs: "", readyMarker: "R", exit: "reset" }),
      "r.Dockerfile",
    );
    expect(manifestArtifacts(manifest)).toEqual([
      { role: "kernel", imagePath: "/benchmark/kernel.elf" },
      { role: "vmmBinary", imagePath: "/benchmark/firecracker" },
    ]);
  });
});
