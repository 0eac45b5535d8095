// Finds what a run may have left behind: files under a private TMPDIR, and
// processes (VMMs) whose command line mentions it.
import { readdir, readFile } from "node:fs/promises";

export async function filesUnder(dir: string): Promise<string[]> {
  return readdir(dir);
}

export async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).replace(/\0/g, " ");
      if (cmdline.includes(text)) found.push(`${pid}: ${cmdline.trim()}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
