// Keeps each community run as one JSON document under
// <results-dir>/community/<runId>.json. The schema is versioned so that a
// later importer (SQLite) can read old runs.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { COMMUNITY_RUN_SCHEMA_VERSION } from "../results/schema-versions.js";
import { CommunityReportSchema } from "./types.js";

export const CommunityRunSchema = z.object({
  schemaVersion: z.literal(COMMUNITY_RUN_SCHEMA_VERSION),
  kind: z.literal("community"),
  /** Same form as a performance run's id; absent in runs saved before the SQLite store. */
  runId: z.string().optional(),
  startedAt: z.string().datetime({ offset: true }),
  finishedAt: z.string().datetime({ offset: true }),
  apiUrl: z.string(),
  since: z.string().datetime({ offset: true }).nullable(),
  repositories: z.array(
    z.object({
      argument: z.string(),
      report: CommunityReportSchema,
      requests: z.number().int().nonnegative(),
      rateLimitPoints: z.number().int().nonnegative(),
    }),
  ),
  failures: z.array(z.object({ argument: z.string(), error: z.string() })),
});

export type CommunityRun = z.infer<typeof CommunityRunSchema>;

/** Validates and writes the run; returns the file's path. */
export async function saveCommunityRun(resultsDir: string, run: CommunityRun): Promise<string> {
  const valid = CommunityRunSchema.parse(run);
  const directory = path.join(resultsDir, "community");
  await mkdir(directory, { recursive: true });
  // Named by the run id, as performance runs are, so that a reader can tell a
  // known run from its file name alone. Without an id: the start time (colons
  // are not allowed in Windows file names; the timestamp stays sortable).
  const name = valid.runId ?? new Date(valid.startedAt).toISOString().replaceAll(":", "-");
  const file = path.join(directory, `${name}.json`);
  await writeFile(file, JSON.stringify(valid, null, 2) + "\n", { flag: "wx" });
  return file;
}
