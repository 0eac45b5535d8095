// What the KVM trial found, remembered. Under --accel auto a target's first
// boot on KVM also tests whether KVM can run it at all (under nested
// virtualization a tiny guest runs and Linux dies with 'KVM internal error').
// The verdict is kept in the cache directory per host, host kernel, VMM and
// guest, so that a host where KVM cannot run a guest pays the trial (up to
// 20 s) once; when any of them changes, the next run tries again.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { makeDirectory } from "../../files.js";
import type { BootArtifacts } from "../targets/types.js";

export const KVM_VERDICTS_FILE = "kvm-verdicts.json";

/** The host as far as KVM's abilities go: the machine, and the kernel running it. */
export interface HostIdentity {
  host: string;
  kernel: string;
}

export function currentHost(): HostIdentity {
  return { host: `${os.hostname()} (${os.cpus()[0]?.model ?? "unknown CPU"})`, kernel: `${os.release()} ${os.version()}` };
}

/** The guest a trial boots, on which VMM. */
export interface TrialSubject {
  target: string;
  vmm: string;
  vmmVersion?: string;
  artifacts: BootArtifacts;
}

export interface KvmVerdict extends HostIdentity {
  target: string;
  vmm: string;
  vmmVersion: string;
  /** A digest of the guest's files and boot arguments. */
  guest: string;
  kvmWorks: boolean;
  /** Why KVM could not run it. */
  reason?: string;
  /** When the trial was made (ISO 8601). */
  triedAt: string;
}

interface VerdictFile {
  verdicts: Record<string, KvmVerdict>;
}

async function guestDigest(artifacts: BootArtifacts): Promise<string> {
  const hash = createHash("sha256").update(artifacts.bootArgs);
  for (const file of [artifacts.kernelPath, artifacts.initrdPath, artifacts.diskPath]) {
    if (!file) continue;
    hash.update(`\0${path.basename(file)}\0`);
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return hash.digest("hex").slice(0, 16);
}

export class KvmVerdicts {
  readonly file: string;

  constructor(
    cacheDir: string,
    private readonly host: HostIdentity = currentHost(),
  ) {
    this.file = path.join(cacheDir, KVM_VERDICTS_FILE);
  }

  /** The verdict of an earlier trial of this very guest on this VMM, host and kernel. */
  async find(subject: TrialSubject): Promise<KvmVerdict | undefined> {
    const { key } = await this.identify(subject);
    return (await this.read()).verdicts[key];
  }

  /**
   * Remembers a trial's verdict. A cache that cannot be written costs only a
   * trial in the next run, so a failure here is not an error.
   */
  async record(subject: TrialSubject, kvmWorks: boolean, reason?: string): Promise<void> {
    const { key, base } = await this.identify(subject);
    const contents = await this.read();
    contents.verdicts[key] = { ...base, kvmWorks, ...(reason ? { reason } : {}), triedAt: new Date().toISOString() };
    const partial = `${this.file}.partial-${process.pid}`;
    try {
      await makeDirectory(path.dirname(this.file));
      await writeFile(partial, JSON.stringify(contents, null, 2) + "\n");
      await rename(partial, this.file);
    } catch {
      await rm(partial, { force: true });
    }
  }

  /** The newest verdict on this host and kernel for a target on a VMM, whichever build of the guest: what `targets` shows. */
  async latest(target: string, vmm: string): Promise<KvmVerdict | undefined> {
    return Object.values((await this.read()).verdicts)
      .filter((v) => v.host === this.host.host && v.kernel === this.host.kernel && v.target === target && v.vmm === vmm)
      .sort((a, b) => b.triedAt.localeCompare(a.triedAt))[0];
  }

  private async identify(subject: TrialSubject): Promise<{ key: string; base: Omit<KvmVerdict, "kvmWorks" | "reason" | "triedAt"> }> {
    const base = { ...this.host, target: subject.target, vmm: subject.vmm, vmmVersion: subject.vmmVersion ?? "unknown", guest: await guestDigest(subject.artifacts) };
    const key = createHash("sha256").update(JSON.stringify(base)).digest("hex").slice(0, 24);
    return { key, base };
  }

  /** The file's verdicts; none when it is missing or damaged (the trials are then made again). */
  private async read(): Promise<VerdictFile> {
    try {
      const parsed = JSON.parse(await readFile(this.file, "utf8")) as Partial<VerdictFile>;
      return { verdicts: typeof parsed.verdicts === "object" && parsed.verdicts !== null ? parsed.verdicts : {} };
    } catch {
      return { verdicts: {} };
    }
  }
}
