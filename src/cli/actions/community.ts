// What `benchmark-tool community` does (src/cli/community.ts defines its options).
import { GitHubClient } from "../../community/client.js";
import { collectAll, type RepositoryOutcome } from "../../community/collect-all.js";
import { DEFAULT_API_URL, resolveEndpoints } from "../../community/endpoints.js";
import { TOKEN_HELP } from "../../community/errors.js";
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from "../../results/export/community/format.js";
import { ProgressLine } from "../../community/progress.js";
import { formatRepositoryRef, parseRepositoryLink, RepositoryLinkError, type RepositoryRef } from "../../community/repository-link.js";
import { CommunityRunSchema, type CommunityRun } from "../../results/community-run-schema.js";
import { formatIsoWithOffset } from "../../community/time.js";
import { createLogger } from "../../log/logger.js";
import { resolveResultsDir } from "../../results/paths.js";
import { newRunId } from "../../results/run-id.js";
import { COMMUNITY_RUN_SCHEMA_VERSION } from "../../results/schema-versions.js";
import { persistRun } from "../../results/store/persist-run.js";
import { communityRunFileName, keepRunFile } from "../../results/store/run-files.js";
import { communityStoredRun } from "../../results/store/stored-run.js";
import type { CommunityOptions } from "../community.js";
import { EXIT_FAILED, UsageError } from "../exit-codes.js";
import { mysqlTargetOrUsageError } from "../mysql-options.js";
import { checkWritableDirectory } from "../path-checks.js";

function parseSince(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--since "${value}" is not a date; use ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z`);
  }
  if (date.getTime() > Date.now()) throw new UsageError(`--since ${value} is in the future`);
  return date;
}

/** Every argument a repository link, each repository once; otherwise nothing is collected. */
function parseLinks(links: readonly string[]): Array<{ argument: string; ref: RepositoryRef }> {
  const targets: Array<{ argument: string; ref: RepositoryRef }> = [];
  const bad: string[] = [];
  for (const argument of links) {
    try {
      const ref = parseRepositoryLink(argument);
      const earlier = targets.find((t) => formatRepositoryRef(t.ref).toLowerCase() === formatRepositoryRef(ref).toLowerCase());
      if (earlier) throw new UsageError(`${formatRepositoryRef(ref)} is named twice ("${earlier.argument}" and "${argument}"); name each repository once`);
      targets.push({ argument, ref });
    } catch (error) {
      if (!(error instanceof RepositoryLinkError)) throw error;
      bad.push(error.message);
    }
  }
  if (bad.length) throw new UsageError(bad.join("\n"));
  return targets;
}

function checkApiUrl(value: string): void {
  const protocol = URL.canParse(value) ? new URL(value).protocol : undefined;
  if (protocol !== "https:" && protocol !== "http:") {
    throw new UsageError(`--api-url "${value}" is not an http(s) URL; e.g. ${DEFAULT_API_URL}, or https://HOST/api/v3 for GitHub Enterprise Server`);
  }
}

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new UsageError(`--concurrency must be a whole number from 1 to 20, not "${value}"`);
  return n;
}

export async function runCommunity(links: string[], options: CommunityOptions): Promise<void> {
  const output = options.output;
  if (!isOutputFormat(output)) throw new UsageError(`--output must be one of ${Object.keys(OUTPUT_FORMATS).join(", ")}, not "${output}"`);
  const since = parseSince(options.since);
  const concurrency = parseConcurrency(options.concurrency);
  const mysqlTarget = mysqlTargetOrUsageError(options);
  const token = process.env.GITHUB_TOKEN?.trim();
  if (!token) throw new UsageError(`GITHUB_TOKEN is not set; ${TOKEN_HELP}`);
  const targets = parseLinks(links);
  if (options.apiUrl !== undefined) checkApiUrl(options.apiUrl);
  const endpoints = resolveEndpoints(options.apiUrl);
  const resultsDir = resolveResultsDir(options.resultsDir);
  await checkWritableDirectory("--results-dir", resultsDir);

  const progress = new ProgressLine();
  const logger = createLogger({ debug: options.debug, beforeWrite: () => progress.clear() });
  const startedAt = new Date();

  const client = new GitHubClient({ token, ...endpoints, logger });
  const outcomes: RepositoryOutcome[] = await collectAll(client, targets, {
    since,
    concurrency,
    onStart: (argument) => logger.info(`Collecting community data for ${argument}`),
    onProgress: (argument, done, total) => progress.update(argument, done, total),
    onFinish: (outcome) => {
      const repository = outcome.ok ? `${outcome.report.owner}/${outcome.report.repo}` : outcome.argument;
      progress.finish(outcome.argument);
      logger.debug(`${repository}: ${outcome.stats.requests} requests, ${outcome.stats.rateLimitPoints} rate-limit points`);
      if (!outcome.ok) logger.error(`Could not collect community data for ${outcome.argument}: ${outcome.error}`);
    },
  });
  progress.clear();

  const collected = outcomes.flatMap((o) => (o.ok ? [o] : []));
  const failures = outcomes.flatMap((o) => (o.ok ? [] : [{ argument: o.argument, error: o.error }]));
  process.stdout.write(OUTPUT_FORMATS[output as OutputFormat](collected.map((o) => o.report)));

  const run: CommunityRun = {
    schemaVersion: COMMUNITY_RUN_SCHEMA_VERSION,
    kind: "community",
    runId: newRunId(startedAt),
    startedAt: formatIsoWithOffset(startedAt),
    finishedAt: formatIsoWithOffset(new Date()),
    apiUrl: endpoints.apiUrl,
    since: since ? since.toISOString() : null,
    repositories: collected.map((o) => ({ argument: o.argument, report: o.report, requests: o.stats.requests, rateLimitPoints: o.stats.rateLimitPoints })),
    failures,
  };
  const saved = await keepRunFile(resultsDir, "community", communityRunFileName(run), CommunityRunSchema.parse(run), logger);
  const kept = (await persistRun(resultsDir, communityStoredRun(run), mysqlTarget, logger)) && saved;
  if (failures.length > 0) {
    logger.error(`${failures.length} of ${links.length} repositories could not be collected`);
  }
  if (failures.length > 0 || !kept) process.exitCode = EXIT_FAILED;
}
