// The end of `benchmark-tool community`: the reports printed in the format
// asked for, and the run kept (its JSON file, the local store, MySQL when
// asked). Loaded only once the collection's first requests are under way
// (actions/community.ts), so its renderers, store and schemas never delay them.
import type { RepositoryOutcome } from "../../community/collect-all.js";
import { CommunityRunSchema, type CommunityRun } from "../../results/community-run-schema.js";
import type { OutputFormat } from "../../results/export/community/format-names.js";
import { OUTPUT_FORMATS } from "../../results/export/community/format.js";
import { formatIsoWithOffset } from "../../community/time.js";
import type { Logger } from "../../log/logger.js";
import { newRunId } from "../../results/run-id.js";
import { COMMUNITY_RUN_SCHEMA_VERSION } from "../../results/schema-versions.js";
import type { MysqlTarget } from "../../results/store/mysql-target.js";
import { persistRun } from "../../results/store/persist-run.js";
import { communityRunFileName, keepRunFile } from "../../results/store/run-files.js";
import { communityStoredRun } from "../../results/store/stored-run.js";

export interface RunSettings {
  output: OutputFormat;
  startedAt: Date;
  apiUrl: string;
  since: Date | null;
  resultsDir: string;
  mysqlTarget: MysqlTarget | undefined;
  logger: Logger;
}

/** Prints the reports collected and keeps the run; says how many repositories failed and whether the run was kept everywhere asked. */
export async function printAndKeepRun(outcomes: RepositoryOutcome[], settings: RunSettings): Promise<{ failures: number; kept: boolean }> {
  const { startedAt, resultsDir, logger } = settings;
  const collected = outcomes.flatMap((o) => (o.ok ? [o] : []));
  const failures = outcomes.flatMap((o) => (o.ok ? [] : [{ argument: o.argument, error: o.error }]));
  process.stdout.write(OUTPUT_FORMATS[settings.output](collected.map((o) => o.report)));

  const run: CommunityRun = {
    schemaVersion: COMMUNITY_RUN_SCHEMA_VERSION,
    kind: "community",
    runId: newRunId(startedAt),
    startedAt: formatIsoWithOffset(startedAt),
    finishedAt: formatIsoWithOffset(new Date()),
    apiUrl: settings.apiUrl,
    since: settings.since ? settings.since.toISOString() : null,
    repositories: collected.map((o) => ({ argument: o.argument, report: o.report, requests: o.stats.requests, rateLimitPoints: o.stats.rateLimitPoints })),
    failures,
  };
  const saved = await keepRunFile(resultsDir, "community", communityRunFileName(run), CommunityRunSchema.parse(run), logger);
  const kept = (await persistRun(resultsDir, communityStoredRun(run), settings.mysqlTarget, logger)) && saved;
  return { failures: failures.length, kept };
}
