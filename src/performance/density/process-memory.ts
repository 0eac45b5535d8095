// What one VMM process costs the host while it runs: RSS counts every page it
// maps, shared or not; PSS splits each shared page among the processes that
// map it (N copies of QEMU share their binary and libraries, and pages KSM
// merged); USS counts only its private pages, what ending it would give back.
import { readFile } from "node:fs/promises";

export interface ProcessMemory {
  rssBytes: number;
  pssBytes: number;
  /** Private_Clean + Private_Dirty. */
  ussBytes: number;
  /** The most it ever had resident: VmHWM, or the RSS just read if larger (the kernel updates VmHWM lazily). */
  peakRssBytes: number;
}

/** The "<name>: <n> kB" lines of a /proc file, in bytes. */
export function kbFields(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const match of text.matchAll(/^(\w+):\s+(\d+) kB$/gm)) fields.set(match[1]!, Number(match[2]) * 1024);
  return fields;
}

/** Read from /proc/PID/smaps_rollup and /proc/PID/status; undefined when the process is gone. */
export async function readProcessMemory(pid: number): Promise<ProcessMemory | undefined> {
  let rollup: string;
  let status: string;
  try {
    [rollup, status] = await Promise.all([readFile(`/proc/${pid}/smaps_rollup`, "utf8"), readFile(`/proc/${pid}/status`, "utf8")]);
  } catch {
    return undefined;
  }
  const r = kbFields(rollup);
  const s = kbFields(status);
  const field = (fields: Map<string, number>, name: string): number => {
    const value = fields.get(name);
    if (value === undefined) throw new Error(`/proc/${pid}: no ${name} field (is this kernel older than 4.14, without smaps_rollup?)`);
    return value;
  };
  return {
    rssBytes: field(r, "Rss"),
    pssBytes: field(r, "Pss"),
    ussBytes: field(r, "Private_Clean") + field(r, "Private_Dirty"),
    peakRssBytes: Math.max(field(s, "VmHWM"), field(r, "Rss")),
  };
}
