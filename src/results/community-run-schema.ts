// The versioned JSON document of one community run, kept as
// <results-dir>/community/<runId>.json (results/store/run-files.ts). The
// schema is versioned so that a later importer (SQLite) can read old runs.
import { z } from "zod";
import { COMMUNITY_RUN_SCHEMA_VERSION } from "./schema-versions.js";
import { CommunityReportSchema } from "../vocabulary/community-report.js";

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
