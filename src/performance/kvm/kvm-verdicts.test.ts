import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KvmVerdicts, type HostIdentity, type TrialSubject } from "./kvm-verdicts.js";

const HOST: HostIdentity = { host: "bench-1 (Intel Xeon)", kernel: "6.1.0-26-amd64 #1 SMP Debian 6.1.112-1" };

let dir: string;
let subject: TrialSubject;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "kvm-verdicts-"));
  await writeFile(path.join(dir, "vmlinuz"), "kernel bytes");
  await writeFile(path.join(dir, "initrd"), "initrd bytes");
  subject = { target: "linux", vmm: "qemu", vmmVersion: "7.2.19", artifacts: { kernelPath: path.join(dir, "vmlinuz"), initrdPath: path.join(dir, "initrd"), bootArgs: "console=ttyS0", readyMarker: "READY" } };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("KvmVerdicts", () => {
  it("remembers a trial's verdict for the same guest, VMM, host and kernel", async () => {
    const verdicts = new KvmVerdicts(dir, HOST);
    expect(await verdicts.find(subject)).toBeUndefined();
    await verdicts.record(subject, false, "a KVM internal error");
    expect(await new KvmVerdicts(dir, HOST).find(subject)).toMatchObject({ kvmWorks: false, reason: "a KVM internal error", target: "linux", vmm: "qemu", ...HOST });
    await verdicts.record(subject, true);
    expect(await verdicts.find(subject)).toMatchObject({ kvmWorks: true });
  });

  it.each([
    ["the guest's kernel is rebuilt", async (s: TrialSubject) => writeFile(s.artifacts.kernelPath!, "other kernel bytes").then(() => s)],
    ["the guest's initrd changes", async (s: TrialSubject) => writeFile(s.artifacts.initrdPath!, "other initrd").then(() => s)],
    ["the guest's boot arguments change", async (s: TrialSubject) => ({ ...s, artifacts: { ...s.artifacts, bootArgs: "console=ttyS0 quiet" } })],
    ["the VMM is upgraded", async (s: TrialSubject) => ({ ...s, vmmVersion: "8.0.0" })],
    ["another VMM runs it", async (s: TrialSubject) => ({ ...s, vmm: "qemu-microvm" })],
  ])("forgets it when %s", async (_what, change) => {
    const verdicts = new KvmVerdicts(dir, HOST);
    await verdicts.record(subject, false, "a KVM internal error");
    expect(await verdicts.find(await change(subject))).toBeUndefined();
  });

  it.each([
    ["the host's kernel changes", { ...HOST, kernel: "6.1.0-27-amd64 #1 SMP Debian 6.1.115-1" }],
    ["it is another host", { ...HOST, host: "bench-2 (AMD EPYC)" }],
  ])("forgets it when %s", async (_what, otherHost) => {
    await new KvmVerdicts(dir, HOST).record(subject, false, "a KVM internal error");
    expect(await new KvmVerdicts(dir, otherHost).find(subject)).toBeUndefined();
    expect(await new KvmVerdicts(dir, otherHost).latest("linux", "qemu")).toBeUndefined();
  });

  it("gives `targets` the newest verdict here for a target on a VMM, whichever build of the guest", async () => {
    const verdicts = new KvmVerdicts(dir, HOST);
    await verdicts.record(subject, true);
    await writeFile(subject.artifacts.kernelPath!, "rebuilt kernel");
    await verdicts.record(subject, false, "the guest did not print the ready marker");
    expect(await verdicts.latest("linux", "qemu")).toMatchObject({ kvmWorks: false, reason: "the guest did not print the ready marker" });
    expect(await verdicts.latest("null", "qemu")).toBeUndefined();
  });

  it("starts afresh from a damaged file, and a cache it cannot write costs only a new trial", async () => {
    const verdicts = new KvmVerdicts(dir, HOST);
    await writeFile(verdicts.file, "{ not json");
    expect(await verdicts.find(subject)).toBeUndefined();
    await verdicts.record(subject, false, "a KVM internal error");
    expect(JSON.parse(await readFile(verdicts.file, "utf8")).verdicts).toBeTypeOf("object");

    const unwritable = new KvmVerdicts("/proc/no-such-cache", HOST);
    await expect(unwritable.record(subject, false, "a KVM internal error")).resolves.toBeUndefined();
  });
});
