// Brings runs whose JSON file exists but that the database does not know into
// it: runs saved before the SQLite store existed, or while it could not be
// written. Community runs saved without a runId get one from their start time
// and file name, the same on every import. When the database itself cannot be
// used (damaged, unreadable), the commands that read runs still work, from the
// JSON files alone.
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../../log/logger.js";
import { newRunId } from "../run-id.js";
import type { RunKind } from "./run-files.js";
import { describeStoreError, SqliteStore } from "./sqlite-store.js";
import { communityStoredRun, densityStoredRun, performanceStoredRun, type StoredRun } from "./stored-run.js";

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

/** Imports what is missing; returns the ids imported and, per file that could not be read, why (naming the file). */
export async function importJsonFiles(store: SqliteStore, resultsDir: string): Promise<{ imported: string[]; skipped: string[] }> {
  const known = new Set((await store.list()).map((r) => r.runId));
  const files: Array<[RunKind, string[]]> = [
    ["performance", await unknownJsonFiles(path.join(resultsDir, "performance"), known)],
    ["community", await unknownJsonFiles(path.join(resultsDir, "community"), known)],
    ["density", await unknownJsonFiles(path.join(resultsDir, "density"), known)],
  ];
  const imported: string[] = [];
  const skipped: string[] = [];
  if (files.every(([, names]) => names.length === 0)) return { imported, skipped };

  // The schemas are loaded only when there is something to read.
  const { readRunFile } = await import("./run-files.js");
  const read = async (kind: RunKind, file: string): Promise<StoredRun> => {
    if (kind === "performance") return performanceStoredRun(await readRunFile(file, "performance"));
    if (kind === "density") return densityStoredRun(await readRunFile(file, "density"));
    const run = await readRunFile(file, "community");
    // newRunId's form, with the random part replaced by one from the file name.
    const runId = run.runId ?? `${newRunId(new Date(run.startedAt)).slice(0, -4)}${createHash("sha256").update(path.basename(file)).digest("hex").slice(0, 4)}`;
    return communityStoredRun({ ...run, runId });
  };
  for (const [kind, names] of files) {
    for (const file of names) {
      let run: StoredRun;
      try {
        run = await read(kind, file);
      } catch (error) {
        skipped.push((error as Error).message.split("\n")[0]!);
        continue;
      }
      if (known.has(run.runId)) continue;
      await store.save(run);
      imported.push(run.runId);
    }
  }
  return { imported, skipped };
}

/**
 * Opens the store with the JSON files imported, runs fn and closes the store.
 * Unreadable files are named in a warning. A database that cannot be used is
 * named in a warning with what to do, and the runs are read from their JSON
 * files into a store in memory instead.
 */
export async function withImportedStore<T>(resultsDir: string, log: Logger, fn: (store: SqliteStore) => Promise<T> | T): Promise<T> {
  let store: SqliteStore | undefined;
  let result: { imported: string[]; skipped: string[] };
  try {
    store = await SqliteStore.open(resultsDir);
    result = await importJsonFiles(store, resultsDir);
  } catch (error) {
    store?.close();
    log.warn(`${describeStoreError(SqliteStore.fileIn(resultsDir), error)}. Reading the runs from their JSON files instead`);
    store = await SqliteStore.inMemory(`the JSON files under ${resultsDir}`);
    result = await importJsonFiles(store, resultsDir);
  }
  try {
    if (result.imported.length && !store.inMemory) log.info(`Imported ${result.imported.length} run(s) from their JSON files into ${store.file}`);
    for (const why of result.skipped) log.warn(`Left out ${why}`);
    return await fn(store);
  } finally {
    store.close();
  }
}
