// Brings runs whose JSON file exists but that the database does not know into
// it: runs saved before the SQLite store existed, or while it could not be
// written. Community runs saved without a runId get one from their start time
// and file name, the same on every import.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../../log/logger.js";
import { newRunId } from "../run-id.js";
import { withStore, type SqliteStore } from "./sqlite-store.js";
import { communityStoredRun, performanceStoredRun, type StoredRun } from "./stored-run.js";

/** The .json files of a directory, sorted, whose name is not a known run id. */
async function unknownJsonFiles(directory: string, known: Set<string>): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith(".json") && !known.has(path.basename(name, ".json")))
    .sort()
    .map((name) => path.join(directory, name));
}

/** Imports what is missing; returns the ids imported and, per file that could not be read, why. */
export async function importJsonFiles(store: SqliteStore, resultsDir: string): Promise<{ imported: string[]; skipped: string[] }> {
  const known = new Set((await store.list()).map((r) => r.runId));
  const performanceFiles = await unknownJsonFiles(path.join(resultsDir, "performance"), known);
  const communityFiles = await unknownJsonFiles(path.join(resultsDir, "community"), known);
  const imported: string[] = [];
  const skipped: string[] = [];
  if (performanceFiles.length + communityFiles.length === 0) return { imported, skipped };

  // The schemas are loaded only when there is something to read.
  const [{ readPerformanceRun }, { CommunityRunSchema }] = await Promise.all([import("./run-files.js"), import("../../community/results-store.js")]);
  const importFile = async (file: string, read: (file: string) => Promise<StoredRun>): Promise<void> => {
    try {
      const run = await read(file);
      if (known.has(run.runId)) return;
      await store.save(run);
      imported.push(run.runId);
    } catch (error) {
      skipped.push(`${file}: ${(error as Error).message.split("\n")[0]}`);
    }
  };
  for (const file of performanceFiles) await importFile(file, async (f) => performanceStoredRun(await readPerformanceRun(f)));
  for (const file of communityFiles) {
    await importFile(file, async (f) => {
      const run = CommunityRunSchema.parse(JSON.parse(await readFile(f, "utf8")));
      // newRunId's form, with the random part replaced by one from the file name.
      const runId = run.runId ?? `${newRunId(new Date(run.startedAt)).slice(0, -4)}${createHash("sha256").update(path.basename(f)).digest("hex").slice(0, 4)}`;
      return communityStoredRun({ ...run, runId });
    });
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
