// Finds the processes (VMMs) a run may have left behind: those whose command
// line mentions its private TMPDIR; and gives a describe block such a TMPDIR.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
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

/**
 * For the tests of a describe block that run the tool in-process: a private
 * TMPDIR for what it makes under os.tmpdir(), set in a beforeAll (registered
 * where this is called, so it runs after the hooks registered before it),
 * checked empty and named by no process after each test, then restored and
 * removed. Returns a getter for its path.
 */
export function usePrivateTmpdir(prefix: string): () => string {
  const saved = process.env.TMPDIR;
  let privateTmp = "";
  beforeAll(async () => {
    privateTmp = await mkdtemp(path.join(os.tmpdir(), prefix));
    process.env.TMPDIR = privateTmp;
  });
  afterEach(async () => {
    expect(await readdir(privateTmp)).toEqual([]);
    expect(await processesMentioning(privateTmp)).toEqual([]);
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    await rm(privateTmp, { recursive: true, force: true });
  });
  return () => privateTmp;
}
