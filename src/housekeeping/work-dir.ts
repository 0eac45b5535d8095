// The private temporary directory of each boot (the VMM's sockets and logs).
// Its name says which process made it: benchmark-tool-<pid>-<start time>-XXXXXX,
// the start time (in clock ticks since boot, /proc/PID/stat) telling a live
// owner from a later process that got the same pid. A run that died leaves
// its directory behind only if its watchdog could not remove it; the next run
// removes it then, with any VMM still naming it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { guardDirectories } from "./watchdog.js";

const PREFIX = "benchmark-tool-";
const OWNED_NAME = /^benchmark-tool-(\d+)-(\d+)-[^-]+$/;

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks after boot; undefined when it is gone. */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count from after its closing one.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

const ownerTag = `${process.pid}-${processStartTicks(process.pid) ?? 0}`;

/** Makes a 0700 directory under os.tmpdir() (sockets in it are private), which the watchdog removes if the tool dies first. */
export function createWorkDir(): string {
  const prefix = path.join(os.tmpdir(), `${PREFIX}${ownerTag}-`);
  guardDirectories(prefix);
  return mkdtempSync(prefix);
}

export function removeWorkDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The pids of processes whose command line contains `text`. */
export async function processesNaming(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(text)) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Removes the work directories under `tmpDir` whose owner process is gone,
 * killing first any process (an orphaned VMM) that still names one. Returns
 * the directories removed. Directories of other users and of live runs stay.
 */
export async function removeStaleWorkDirs(tmpDir = os.tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  const uid = process.getuid?.();
  for (const name of await readdir(tmpDir).catch(() => [])) {
    const owner = OWNED_NAME.exec(name);
    if (!owner || processStartTicks(Number(owner[1])) === owner[2]) continue;
    const dir = path.join(tmpDir, name);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
    for (const pid of await processesNaming(dir)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // It ended meanwhile.
      }
    }
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
