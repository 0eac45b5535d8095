// The host's side of density: how much memory it still has to give, and
// whether the kernel merges identical pages (KSM), which lowers what many
// identical guests cost.
import { readFile } from "node:fs/promises";
import { kbFields } from "./process-memory.js";

const KSM_DIR = "/sys/kernel/mm/ksm";

/** MemAvailable from /proc/meminfo: what the host can still give without swapping. */
export async function memAvailableBytes(): Promise<number> {
  const value = kbFields(await readFile("/proc/meminfo", "utf8")).get("MemAvailable");
  if (value === undefined) throw new Error("/proc/meminfo has no MemAvailable (Linux 3.14 or newer is needed)");
  return value;
}

export interface KsmState {
  /** /sys/kernel/mm/ksm/run: 0 stopped, 1 merging, 2 unmerging. */
  run: number;
  /** Pages shared (the merged copies kept). */
  pagesShared: number;
  /** Pages sharing them (how many pages merging saved). */
  pagesSharing: number;
}

/** Undefined on kernels built without KSM. */
export async function readKsmState(): Promise<KsmState | undefined> {
  try {
    const read = async (name: string): Promise<number> => Number((await readFile(`${KSM_DIR}/${name}`, "utf8")).trim());
    const [run, pagesShared, pagesSharing] = await Promise.all([read("run"), read("pages_shared"), read("pages_sharing")]);
    return { run, pagesShared, pagesSharing };
  } catch {
    return undefined;
  }
}
