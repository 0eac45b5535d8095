// Debian's packaged kernel, fetched with apt-get download and unpacked with
// dpkg-deb, never installed on the host nor compiled here; with the few
// modules the http workload's network needs, which Debian builds as modules.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { runCommand } from "./run-command.js";
import type { BuildRequest } from "../types.js";

/** Metapackages to resolve, best first: Debian's cloud kernel is the smallest; then Debian's generic and Ubuntu's. */
export const KERNEL_METAPACKAGES = ["linux-image-cloud-amd64", "linux-image-amd64", "linux-image-virtual", "linux-image-kvm"] as const;

/**
 * The modules kept beside the kernel: virtio-net and what it depends on, over
 * PCI (QEMU pc) and over MMIO (microvm). A kernel that has one built in needs
 * no file for it.
 */
export const KEPT_MODULES = [
  "virtio",
  "virtio_ring",
  "virtio_pci_modern_dev",
  "virtio_pci_legacy_dev",
  "virtio_pci",
  "virtio_mmio",
  "failover",
  "net_failover",
  "virtio_net",
] as const;
export type KeptModule = (typeof KEPT_MODULES)[number];

export interface KernelPackage {
  name: string;
  version: string;
}

/** A versioned kernel package such as linux-image-6.1.0-56-cloud-amd64 (a metapackage has no version in its name). */
function isVersionedKernelPackage(name: string): boolean {
  return /^linux-image-(unsigned-)?\d+\.\d+/.test(name);
}

async function kernelDependencies(packageName: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await runCommand("apt-cache", ["depends", "--important", packageName]);
    return [...stdout.matchAll(/^\s*\|?Depends:\s*(linux-image-\S+)/gm)].map((match) => match[1] as string);
  } catch {
    return undefined; // Unknown to apt.
  }
}

async function candidateVersion(packageName: string): Promise<string | undefined> {
  const { stdout } = await runCommand("apt-cache", ["policy", packageName]);
  const version = /Candidate:\s*(\S+)/.exec(stdout)?.[1];
  return version && version !== "(none)" ? version : undefined;
}

/** The versioned kernel package a metapackage stands for (following up to a few levels of metapackages). */
async function resolveMetapackage(packageName: string, depth = 0): Promise<string | undefined> {
  if (isVersionedKernelPackage(packageName)) return packageName;
  if (depth > 3) return undefined;
  for (const dependency of (await kernelDependencies(packageName)) ?? []) {
    const resolved = await resolveMetapackage(dependency, depth + 1);
    if (resolved) return resolved;
  }
  return undefined;
}

let resolvedKernelPackage: Promise<KernelPackage> | undefined;

/** The kernel package apt would fetch, from the first metapackage it knows; asked of apt once per process. */
export function resolveKernelPackage(): Promise<KernelPackage> {
  if (!resolvedKernelPackage) {
    const asked = askAptForKernelPackage();
    // A failure (say, before apt-get update) is not remembered.
    asked.catch(() => {
      if (resolvedKernelPackage === asked) resolvedKernelPackage = undefined;
    });
    resolvedKernelPackage = asked;
  }
  return resolvedKernelPackage;
}

async function askAptForKernelPackage(): Promise<KernelPackage> {
  for (const metapackage of KERNEL_METAPACKAGES) {
    const name = await resolveMetapackage(metapackage);
    if (!name) continue;
    const version = await candidateVersion(name);
    if (version) return { name, version };
  }
  const lists = await readdir("/var/lib/apt/lists").catch(() => []);
  if (!lists.some((file) => file.includes("_Packages"))) {
    throw new Error("apt has no package lists, so no kernel package can be found: run apt-get update (as root) and try again");
  }
  throw new Error(`No kernel package found through apt (tried ${KERNEL_METAPACKAGES.join(", ")}); check the apt sources or run apt-get update`);
}

export interface DebianKernel {
  /** The package's vmlinuz (a bzImage). */
  kernelPath: string;
  kernelPackage: KernelPackage;
  /** Holds <module>.ko for each of KEPT_MODULES that the kernel has as a module (none for those built in). */
  modulesDir: string;
}

/**
 * The package's vmlinuz and kept modules in <cacheDir>/linux/kernel/<name>_<version>/,
 * fetched and unpacked unless present.
 */
export async function fetchDebianKernel(request: Pick<BuildRequest, "cacheDir" | "log" | "signal">): Promise<DebianKernel> {
  const kernelPackage = await resolveKernelPackage();
  const directory = path.join(request.cacheDir, "linux", "kernel", `${kernelPackage.name}_${kernelPackage.version}`);
  const kernelPath = path.join(directory, "vmlinuz");
  const modulesDir = path.join(directory, "modules");
  const exists = (file: string) => stat(file).then(() => true, () => false);
  // The modules are moved in place first: with vmlinuz there, both are.
  if ((await exists(kernelPath)) && (await exists(modulesDir))) {
    request.log.debug(`Reusing the kernel ${kernelPath}`);
    return { kernelPath, kernelPackage, modulesDir };
  }
  await mkdir(directory, { recursive: true });
  const workDirectory = await mkdtemp(path.join(directory, "fetch-"));
  try {
    request.log.info(`Downloading ${kernelPackage.name} ${kernelPackage.version} with apt-get`);
    const options = { cwd: workDirectory, signal: request.signal };
    await runCommand("apt-get", ["download", `${kernelPackage.name}=${kernelPackage.version}`], options);
    const debFile = (await readdir(workDirectory)).find((file) => file.endsWith(".deb"));
    if (!debFile) throw new Error(`apt-get download ${kernelPackage.name} left no .deb file in ${workDirectory}`);
    await runCommand("dpkg-deb", ["-x", debFile, "unpacked"], options);
    const bootDirectory = path.join(workDirectory, "unpacked", "boot");
    const vmlinuz = (await readdir(bootDirectory).catch(() => [])).find((file) => file.startsWith("vmlinuz-"));
    if (!vmlinuz) throw new Error(`The package ${debFile} has no boot/vmlinuz-*`);
    const keptModules = path.join(workDirectory, "modules");
    await keepModules(path.join(workDirectory, "unpacked", "lib", "modules", vmlinuz.slice("vmlinuz-".length)), keptModules, debFile);
    // Same directory, so the renames are atomic: a concurrent fetch finds a whole kernel or none.
    await rm(modulesDir, { recursive: true, force: true });
    await rename(keptModules, modulesDir);
    await rename(path.join(bootDirectory, vmlinuz), kernelPath);
  } finally {
    await rm(workDirectory, { recursive: true, force: true });
  }
  return { kernelPath, kernelPackage, modulesDir };
}

/** Copies <module>.ko of each kept module from the package's module tree; those built in need none. */
async function keepModules(moduleTree: string, into: string, debFile: string): Promise<void> {
  await mkdir(into);
  const builtIn = new Set(
    (await readFile(path.join(moduleTree, "modules.builtin"), "utf8").catch(() => ""))
      .split("\n")
      .map((line) => path.posix.basename(line.trim(), ".ko")),
  );
  const files = await readdir(path.join(moduleTree, "kernel"), { recursive: true }).catch(() => [] as string[]);
  for (const module of KEPT_MODULES) {
    const file = files.find((f) => path.basename(f) === `${module}.ko`);
    if (file) {
      await copyFile(path.join(moduleTree, "kernel", file), path.join(into, `${module}.ko`));
      continue;
    }
    if (builtIn.has(module)) continue;
    const compressed = files.find((f) => path.basename(f).startsWith(`${module}.ko.`));
    throw new Error(
      compressed
        ? `The package ${debFile} has the module ${module} compressed (${path.basename(compressed)}), which busybox's insmod cannot load; the http workload's network needs it`
        : `The package ${debFile} has the module ${module} neither as a file nor built in; the http workload's network needs it`,
    );
  }
}
