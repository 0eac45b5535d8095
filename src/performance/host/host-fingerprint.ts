// The host fingerprint stored with every run, so that results from different
// machines are never compared unknowingly.
import { readFile } from "node:fs/promises";
import os from "node:os";
import { kvmUsable } from "../vmm/accel.js";
import type { HostNoise } from "./host-noise.js";

export interface HostFingerprint {
  hostname: string;
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  kernel: string;
  os: string;
  arch: string;
  nodeVersion: string;
  kvmUsable: boolean;
  /** VMM name -> version string, for the VMMs the run used. */
  vmmVersions: Record<string, string>;
  /** What else the host was doing before and during the run. */
  noise?: HostNoise;
}

async function osName(): Promise<string> {
  try {
    const text = await readFile("/etc/os-release", "utf8");
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1] ?? `${os.type()} ${os.release()}`;
  } catch {
    return os.type();
  }
}

export async function hostFingerprint(vmmVersions: Record<string, string>, noise?: HostNoise): Promise<HostFingerprint> {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length || 1,
    memoryBytes: os.totalmem(),
    kernel: os.release(),
    os: await osName(),
    arch: os.arch(),
    nodeVersion: process.version,
    kvmUsable: (await kvmUsable()).usable,
    vmmVersions,
    ...(noise ? { noise } : {}),
  };
}
