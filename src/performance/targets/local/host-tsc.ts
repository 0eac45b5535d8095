// The host's TSC frequency, for Linux guests under TCG: there the guest's TSC
// runs at the host's rate, and the kernel's calibration of it against the
// emulated PIT fails now and then (about one boot in four on microvm), after
// which the guest hangs. Telling the kernel the rate (tsc_early_khz) skips that
// calibration. /proc/cpuinfo's "cpu MHz" is the TSC rate where the TSC is
// invariant and the clock is not scaled (VMs, most servers); elsewhere it is
// close, and only the guest's own sense of time is off by the difference.
import { readFile } from "node:fs/promises";

export async function hostTscKhz(cpuinfoPath = "/proc/cpuinfo"): Promise<number | undefined> {
  try {
    const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(await readFile(cpuinfoPath, "utf8"))?.[1];
    return mhz ? Math.round(Number(mhz) * 1000) : undefined;
  } catch {
    return undefined;
  }
}
