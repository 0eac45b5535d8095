import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../../log/logger.js";
import { READY_MARKER } from "../types.js";
import { nullGuest } from "./null-guest.js";

const SHT_NOTE = 7;
const XEN_ELFNOTE_PHYS32_ENTRY = 18;

interface ElfNote {
  owner: string;
  type: number;
  desc: Buffer;
}

/** The notes of every SHT_NOTE section of an ELF64 image. */
function elf64Notes(image: Buffer): ElfNote[] {
  const sectionHeaderOffset = Number(image.readBigUInt64LE(0x28));
  const sectionHeaderSize = image.readUInt16LE(0x3a);
  const sectionCount = image.readUInt16LE(0x3c);
  const notes: ElfNote[] = [];
  for (let index = 0; index < sectionCount; index++) {
    const header = sectionHeaderOffset + index * sectionHeaderSize;
    if (image.readUInt32LE(header + 4) !== SHT_NOTE) continue;
    const start = Number(image.readBigUInt64LE(header + 0x18));
    const end = start + Number(image.readBigUInt64LE(header + 0x20));
    for (let offset = start; offset + 12 <= end; ) {
      const nameSize = image.readUInt32LE(offset);
      const descSize = image.readUInt32LE(offset + 4);
      const type = image.readUInt32LE(offset + 8);
      const nameStart = offset + 12;
      const descStart = nameStart + Math.ceil(nameSize / 4) * 4;
      notes.push({
        owner: image.toString("latin1", nameStart, nameStart + nameSize).replace(/\0+$/, ""),
        type,
        desc: image.subarray(descStart, descStart + descSize),
      });
      offset = descStart + Math.ceil(descSize / 4) * 4;
    }
  }
  return notes;
}

describe("nullGuest", () => {
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "bt-null-guest-"));
  });

  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("is available where gcc is", async () => {
    expect(await nullGuest.checkAvailable()).toEqual({ available: true });
  });

  it("builds an ELF64 whose PVH note points at its entry point", async () => {
    const artifacts = await nullGuest.build({ vmm: "qemu", workload: "hello", cacheDir, log: silentLogger });
    expect(artifacts.kernelPath.startsWith(path.join(cacheDir, "null"))).toBe(true);
    expect(artifacts.readyMarker).toBe(READY_MARKER);

    const image = await readFile(artifacts.kernelPath);
    expect(image.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect(image[4]).toBe(2); // ELFCLASS64
    expect(image.readUInt16LE(0x12)).toBe(62); // EM_X86_64
    const entryPoint = Number(image.readBigUInt64LE(0x18));

    const pvh = elf64Notes(image).find((note) => note.owner === "Xen" && note.type === XEN_ELFNOTE_PHYS32_ENTRY);
    expect(pvh).toBeDefined();
    expect(pvh?.desc.readUInt32LE(0)).toBe(entryPoint);
  });

  it("reuses the cached build", async () => {
    const first = await nullGuest.build({ vmm: "qemu", workload: "hello", cacheDir, log: silentLogger });
    const before = await stat(first.kernelPath);
    const second = await nullGuest.build({ vmm: "qemu", workload: "hello", cacheDir, log: silentLogger });
    expect(second.kernelPath).toBe(first.kernelPath);
    expect((await stat(second.kernelPath)).mtimeMs).toBe(before.mtimeMs);
  });

  it("builds one whole artifact when builds race", async () => {
    const raceDir = path.join(cacheDir, "race");
    const results = await Promise.all(
      [1, 2, 3].map(() => nullGuest.build({ vmm: "qemu", workload: "hello", cacheDir: raceDir, log: silentLogger })),
    );
    expect(new Set(results.map((r) => r.kernelPath)).size).toBe(1);
    const image = await readFile(results[0]!.kernelPath);
    expect(elf64Notes(image).some((note) => note.owner === "Xen")).toBe(true);
  });

  it("tells the guest how to power off on each VMM", async () => {
    const bootArgs = async (vmm: string) => (await nullGuest.build({ vmm, workload: "hello", cacheDir, log: silentLogger })).bootArgs;
    expect(await bootArgs("qemu")).toBe("exit=acpi");
    expect(await bootArgs("qemu-microvm")).toBe("exit=ged");
    expect(await bootArgs("firecracker")).toBe("exit=i8042");
  });

  it("refuses workloads it does not run", async () => {
    await expect(nullGuest.build({ vmm: "qemu", workload: "alloc", cacheDir, log: silentLogger })).rejects.toThrow(/only runs/);
  });
});
