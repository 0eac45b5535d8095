// The null target: our own minimal PVH guest (guests/null), built with the host gcc.
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { buildOnce, GUESTS_DIR, hashInputs } from "./build-cache.js";
import { checkGcc, gccVersion } from "./gcc.js";
import { runCommand } from "./run-command.js";
import { READY_MARKER, type Availability, type KernelBootArtifacts, type BuildRequest, type TargetBuilder } from "../types.js";
import { type Workload } from "../../../vocabulary/workloads.js";

const SOURCE_DIR = path.join(GUESTS_DIR, "null");
const SOURCES = ["start.S", "main.c"] as const;
const LINKER_SCRIPT = "null.ld";

// The guest runs in 32-bit protected mode: compiled and linked as i386, then
// converted to ELF64, the format Firecracker insists on.
const GCC_FLAGS = [
  "-m32",
  "-O2",
  "-Wall",
  "-Wextra",
  "-Werror",
  "-ffreestanding",
  "-nostdlib",
  "-static",
  "-fno-pic",
  "-no-pie",
  "-fno-stack-protector",
  "-fno-asynchronous-unwind-tables",
  "-Wl,--build-id=none",
];

/** How the guest powers off on each VMM (see guests/null/main.c). */
const EXIT_METHOD_BY_VMM: Record<string, string> = {
  qemu: "acpi",
  "qemu-microvm": "ged",
  firecracker: "i8042",
};

export class NullGuestBuilder implements TargetBuilder {
  readonly name = "null";
  readonly workloads: readonly Workload[] = ["hello"];
  readonly unsupportedWorkloads: Partial<Record<Workload, string>> = { http: "it has no network" };
  // With 1 MiB QEMU starts, and the guest never prints a byte.
  readonly minimumMemoryMiB = 2;

  checkAvailable(): Promise<Availability> {
    return checkGcc();
  }

  async build(request: BuildRequest): Promise<KernelBootArtifacts> {
    if (!this.workloads.includes(request.workload)) {
      const why = this.unsupportedWorkloads[request.workload];
      throw new Error(`The null guest only runs the workload(s) ${this.workloads.join(", ")}, not "${request.workload}"${why ? `: ${why}` : ""}`);
    }
    const kernelPath = await buildNullGuest(request);
    const exitMethod = EXIT_METHOD_BY_VMM[request.vmm];
    return {
      kernelPath,
      // Without exit=, the guest tries every method in turn.
      bootArgs: exitMethod ? `exit=${exitMethod}` : "",
      readyMarker: READY_MARKER,
      // guests/null/main.c writes the boot-timer byte at the address boot_timer= gives.
      bootTimerArg: (address) => `boot_timer=${address}`,
    };
  }
}

/** Builds guests/null into <cacheDir>/null/<hash>/null.elf unless it is there already; returns its path. */
export async function buildNullGuest(request: Pick<BuildRequest, "cacheDir" | "log" | "signal">): Promise<string> {
  const files = [...SOURCES, LINKER_SCRIPT];
  const contents = await Promise.all(files.map((file) => readFile(path.join(SOURCE_DIR, file))));
  const key = hashInputs([await gccVersion(), GCC_FLAGS.join(" "), ...files, ...contents]);
  const artifactPath = path.join(request.cacheDir, "null", key, "null.elf");
  const { built } = await buildOnce(artifactPath, async (temporaryPath) => {
    request.log.info(`Building the null guest into ${artifactPath}`);
    const i386Path = `${temporaryPath}.i386`;
    const options = { cwd: SOURCE_DIR, signal: request.signal };
    try {
      await runCommand("gcc", [...GCC_FLAGS, "-T", LINKER_SCRIPT, "-o", i386Path, ...SOURCES], options);
      await runCommand("objcopy", ["-I", "elf32-i386", "-O", "elf64-x86-64", i386Path, temporaryPath], options);
    } finally {
      await rm(i386Path, { force: true });
    }
  });
  if (!built) request.log.debug(`Reusing the null guest ${artifactPath}`);
  return artifactPath;
}

export const nullGuest = new NullGuestBuilder();
