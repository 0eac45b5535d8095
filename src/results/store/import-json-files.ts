// Brings runs whose JSON file exists but that the database does not know into
// it: runs saved before the SQLite store existed, or while it could not be
// written. Community runs saved without a runId get one from their start time
// and file name, the same on every import.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { CommunityRunSchema } from "../../community/results-store.js";
import type { Logger } from "../../log/logger.js";
import { newRunId } from "../performance-run.js";
import { readPerformanceRun } from "./run-files.js";
import { withStore, type SqliteStore } from "./sqlite-store.js";
import { communityStoredRun, performanceStoredRun } from "./stored-run.js";

async function jsonFiles(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory)).filter((name) => name.endsWith(".json")).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Imports what is missing; returns the ids imported and, per file that could not be read, why. */
export async function importJsonFiles(store: SqliteStore, resultsDir: string): Promise<{ imported: string[]; skipped: string[] }> {
  const known = new Set(store.list().map((r) => r.runId));
  const imported: string[] = [];
  const skipped: string[] = [];
  const performanceDir = path.join(resultsDir, "performance");
  for (const name of await jsonFiles(performanceDir)) {
    if (known.has(path.basename(name, ".json"))) continue;
    try {
      const run = await readPerformanceRun(path.join(performanceDir, name));
      if (known.has(run.runId)) continue;
      await store.save(performanceStoredRun(run));
      imported.push(run.runId);
    } catch (error) {
      skipped.push(`${path.join(performanceDir, name)}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  const communityDir = path.join(resultsDir, "community");
  for (const name of await jsonFiles(communityDir)) {
    if (known.has(path.basename(name, ".json"))) continue;
    try {
      const run = CommunityRunSchema.parse(JSON.parse(await readFile(path.join(communityDir, name), "utf8")));
      // newRunId's form, with the random part replaced by one from the file name.
      const runId = run.runId ?? `${newRunId(new Date(run.startedAt)).slice(0, -4)}${createHash("sha256").update(name).digest("hex").slice(0, 4)}`;
      if (known.has(runId)) continue;
      await store.save(communityStoredRun({ ...run, runId }));
      imported.push(runId);
    } catch (error) {
      skipped.push(`${path.join(communityDir, name)}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  return { imported, skipped };
}

/** withStore for the commands that read runs: the JSON files are imported first, unreadable ones named in a warning. */
export async function withImportedStore<T>(resultsDir: string, log: Logger, fn: (store: SqliteStore) => Promise<T> | T): Promise<T> {
  return withStore(resultsDir, async (store) => {
    const { imported, skipped } = await importJsonFiles(store, resultsDir);
    if (imported.length) log.info(`Imported ${imported.length} run(s) from their JSON files into ${store.file}`);
    for (const why of skipped) log.warn(`Left out ${why}`);
    return fn(store);
  });
}
