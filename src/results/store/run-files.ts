// Keeps each run as one JSON document under the results directory,
// <results-dir>/<kind>/<name>.json: written whole or not at all, never over
// another run's file, and read back with a plain account of why a file
// cannot be read. A run that the results directory cannot take is kept
// elsewhere, and failing that printed, so that a measured run is never lost.
import { link, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { z } from "zod";
import { CommunityRunSchema, type CommunityRun } from "../community-run-schema.js";
import { describeFileError, makeDirectory } from "../../files.js";
import type { Logger } from "../../log/logger.js";
import { PerformanceRunSchema, type PerformanceRun } from "../schema.js";
import { COMMUNITY_RUN_SCHEMA_VERSION, DENSITY_SCHEMA_VERSION, PERFORMANCE_SCHEMA_VERSION } from "../schema-versions.js";
import { DensityRunSchema } from "../density-schema.js";
import { upgradeDensityDocument } from "../density-upgrade.js";

export type RunKind = "performance" | "community" | "density";

const SCHEMAS = {
  performance: { schema: PerformanceRunSchema, version: PERFORMANCE_SCHEMA_VERSION },
  community: { schema: CommunityRunSchema, version: COMMUNITY_RUN_SCHEMA_VERSION },
  density: { schema: DensityRunSchema, version: DENSITY_SCHEMA_VERSION },
} as const;

export function runFilePath(resultsDir: string, kind: RunKind, name: string): string {
  return path.join(resultsDir, kind, `${name}.json`);
}

/** Writes `file` whole or not at all (a reader never sees half of it), and never over an existing file. */
async function writeNewJsonFile(file: string, document: unknown): Promise<void> {
  await makeDirectory(path.dirname(file));
  const partial = `${file}.partial-${process.pid}`;
  try {
    await writeFile(partial, JSON.stringify(document, null, 2) + "\n", { flag: "wx" });
    // link() fails if the name is taken, where rename() would replace another run.
    await link(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}

/** <results-dir>/<kind>/<name>.json; returns its path. */
export async function writeRunFile(resultsDir: string, kind: RunKind, name: string, document: unknown): Promise<string> {
  const file = runFilePath(resultsDir, kind, name);
  await writeNewJsonFile(file, document);
  return file;
}

export async function writePerformanceRun(resultsDir: string, run: PerformanceRun): Promise<string> {
  return writeRunFile(resultsDir, "performance", run.runId, run);
}

/**
 * A community run's file name: its id, as for performance runs, so that a
 * reader can tell a known run from its file name alone. Without an id (runs
 * saved before the SQLite store): the start time, colons replaced (Windows
 * file names cannot hold them; the timestamp stays sortable).
 */
export function communityRunFileName(run: CommunityRun): string {
  return run.runId ?? new Date(run.startedAt).toISOString().replaceAll(":", "-");
}

/** Validates and writes a community run; returns the file's path. */
export async function writeCommunityRun(resultsDir: string, run: CommunityRun): Promise<string> {
  const valid = CommunityRunSchema.parse(run);
  return writeRunFile(resultsDir, "community", communityRunFileName(valid), valid);
}

/** A run file that cannot be read; the message names the file, says why, and what to do. */
export class UnreadableRunFileError extends Error {
  override readonly name = "UnreadableRunFileError";
}

/** Reads and validates a run file of `kind`. */
export async function readRunFile<K extends RunKind>(file: string, kind: K): Promise<z.infer<(typeof SCHEMAS)[K]["schema"]>> {
  const { schema, version } = SCHEMAS[kind];
  const setAside = `move it out of ${path.dirname(file)} (or delete it) if it cannot be mended; the other runs are not affected`;
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw new UnreadableRunFileError(`${file} cannot be read: ${describeFileError(error)}`);
    throw new UnreadableRunFileError(`${file} is not valid JSON, perhaps cut short while being written (${error.message}); ${setAside}`);
  }
  const fileVersion = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof fileVersion === "number" && fileVersion > version) {
    throw new UnreadableRunFileError(
      `${file} was written by a newer benchmark-tool (${kind} run schema version ${fileVersion}; this one reads version ${version}): upgrade benchmark-tool to read it`,
    );
  }
  const parsed = schema.safeParse(upgradeDensityDocument(value));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UnreadableRunFileError(`${file} is not a ${kind} run this benchmark-tool can read (${issue.path.join(".") || "the document"}: ${issue.message}); ${setAside}`);
  }
  return parsed.data as z.infer<(typeof SCHEMAS)[K]["schema"]>;
}

/**
 * Writes the run's file into the results directory. When that fails (a full
 * disk, a directory that went read-only), says why, keeps the run in the
 * temporary directory instead, and failing that prints the document on stderr
 * to be saved by hand. Returns whether the file reached the results directory.
 */
export async function keepRunFile(resultsDir: string, kind: RunKind, name: string, document: unknown, log: Logger): Promise<boolean> {
  const intended = runFilePath(resultsDir, kind, name);
  try {
    await writeNewJsonFile(intended, document);
    log.info(`Results saved to ${intended}`);
    return true;
  } catch (error) {
    log.error(`Could not write ${intended}: ${describeFileError(error)}`);
  }
  const fallback = path.join(os.tmpdir(), `benchmark-tool-unsaved-${kind}-${name}.json`);
  try {
    await writeNewJsonFile(fallback, document);
    log.warn(`The run is kept in ${fallback} instead. Once ${resultsDir} can take it, move the file to ${path.dirname(intended)}/ and \`benchmark-tool history\` imports it`);
  } catch (error) {
    log.error(`Nor could it be kept in ${fallback} (${describeFileError(error)}). The run follows on stderr; save it as ${intended} to keep it:`);
    process.stderr.write(JSON.stringify(document, null, 2) + "\n");
  }
  return false;
}
