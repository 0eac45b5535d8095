// The Linux baseline's initramfs: busybox, the workload and guests/linux/init,
// and for a workload that serves, the kernel modules its network needs.
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildOnce, GUESTS_DIR, hashInputs } from "./build-cache.js";
import { writeNewcArchive, type NewcEntry } from "./newc-archive.js";
import { isStaticElf64 } from "./static-elf.js";
import { buildWorkload } from "./workload.js";
import type { Availability, BuildRequest } from "../types.js";
import type { Workload } from "../../../vocabulary/workloads.js";

const INIT_SCRIPT = path.join(GUESTS_DIR, "linux", "init");
/** Where Debian's busybox-static puts busybox (/bin is /usr/bin on merged-/usr systems). */
const BUSYBOX_CANDIDATES = ["/bin/busybox", "/usr/bin/busybox"];
/** Bumped when the archive layout changes, so that cached archives are rebuilt. */
const LAYOUT_VERSION = "1";

/** The host's static busybox, or why there is none usable. */
export async function findStaticBusybox(): Promise<{ path: string } | Availability> {
  for (const candidate of BUSYBOX_CANDIDATES) {
    if (!(await stat(candidate).then((s) => s.isFile(), () => false))) continue;
    if (await isStaticElf64(candidate)) return { path: candidate };
    return { available: false, reason: `${candidate} is not a static 64-bit busybox, which the initramfs needs; install it with: apt-get install busybox-static` };
  }
  return { available: false, reason: "busybox is not installed; install it with: apt-get install busybox-static" };
}

async function staticBusyboxPath(): Promise<string> {
  const found = await findStaticBusybox();
  if ("path" in found) return found.path;
  throw new Error(found.reason);
}

/**
 * Builds <cacheDir>/linux/initramfs/<hash>/initramfs-<workload>.cpio (newc, uncompressed) unless present; returns its path.
 * `modules` (paths of .ko files, in load order) go to /modules/, where /init loads them and brings the network up.
 */
export async function buildInitramfs(
  workload: Workload,
  request: Pick<BuildRequest, "cacheDir" | "log" | "signal">,
  modules: readonly string[] = [],
): Promise<string> {
  const [busybox, workloadBinary, init, moduleData] = await Promise.all([
    staticBusyboxPath().then((file) => readFile(file)),
    buildWorkload(workload, request).then((file) => readFile(file)),
    readFile(INIT_SCRIPT),
    Promise.all(modules.map((file) => readFile(file))),
  ]);
  // /init loads them in the order of their names.
  const moduleEntries = modules.map((file, index) => ({
    kind: "file" as const,
    path: `modules/${String(index + 1).padStart(2, "0")}-${path.basename(file)}`,
    mode: 0o644,
    data: moduleData[index]!,
  }));
  const key = hashInputs([LAYOUT_VERSION, busybox, workloadBinary, init, ...moduleEntries.flatMap((entry) => [entry.path, entry.data])]);
  const artifactPath = path.join(request.cacheDir, "linux", "initramfs", key, `initramfs-${workload}.cpio`);
  const { built } = await buildOnce(artifactPath, async (temporaryPath) => {
    request.log.info(`Building the initramfs for the ${workload} workload into ${artifactPath}`);
    const entries: NewcEntry[] = [
      { kind: "directory", path: "bin", mode: 0o755 },
      { kind: "file", path: "bin/busybox", mode: 0o755, data: busybox },
      { kind: "directory", path: "dev", mode: 0o755 },
      // The kernel's built-in initramfs has it too; ours must not depend on that.
      { kind: "character-device", path: "dev/console", mode: 0o600, major: 5, minor: 1 },
      { kind: "file", path: "init", mode: 0o755, data: init },
      ...(moduleEntries.length ? [{ kind: "directory" as const, path: "modules", mode: 0o755 }, ...moduleEntries] : []),
      { kind: "directory", path: "proc", mode: 0o755 },
      { kind: "file", path: "workload", mode: 0o755, data: workloadBinary },
    ];
    await writeFile(temporaryPath, writeNewcArchive(entries));
  });
  if (!built) request.log.debug(`Reusing the initramfs ${artifactPath}`);
  return artifactPath;
}
