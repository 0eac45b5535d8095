// Finds the processes (VMMs) a run may have left behind: those whose command
// line mentions its private TMPDIR.
import { readFile } from "node:fs/promises";
import { processesNaming } from "../../src/housekeeping/work-dir.js";

/** "pid: command line" of each process whose command line contains `text`. */
export async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await processesNaming(text)) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline) found.push(`${pid}: ${cmdline.replace(/\0/g, " ").trim()}`);
  }
  return found;
}
