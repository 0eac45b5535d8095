// The Firecracker stand-in (test/firecracker/fake-firecracker.mjs) needs no
// KVM, but the tool checks /dev/kvm before it runs Firecracker, and takes
// "auto" to mean TCG without it. A file of the test's own in its place
// (BENCHMARK_TOOL_KVM_DEVICE) lets the CLI run the stand-in, and so the
// Firecracker tests run, on machines without /dev/kvm as on those with it.
// Only for runs whose VMM is the stand-in: QEMU would be asked for KVM.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { KVM_DEVICE_ENV } from "../../src/performance/vmm/accel.js";

/** The environment for a CLI run on the stand-in; the file goes in `dir`, which the test removes. */
export async function standInKvmEnv(dir: string): Promise<NodeJS.ProcessEnv> {
  const device = path.join(dir, "stand-in-kvm");
  await writeFile(device, "");
  return { [KVM_DEVICE_ENV]: device };
}
