// What `benchmark-tool community` does (src/cli/community.ts defines its options).
// A fast start: this file and what it imports are what the first requests
// need (the option checks, octokit and the query texts); the rest of the
// collection loads while they are under way (collect-all.ts), and what only
// the end needs (the renderers, the results store) once they have been sent
// (community-results.ts).
import { GitHubClient } from "../../community/client.js";
import { collectAll } from "../../community/collect-all.js";
import { DEFAULT_API_URL, resolveEndpoints } from "../../community/endpoints.js";
import { TOKEN_HELP } from "../../community/errors.js";
import { isOutputFormat, OUTPUT_FORMAT_NAMES } from "../../results/export/community/format-names.js";
import { ProgressLine } from "../../community/progress.js";
import { formatRepositoryRef, parseRepositoryLink, RepositoryLinkError, type RepositoryRef } from "../../community/repository-link.js";
import { createLogger } from "../../log/logger.js";
import { resolveResultsDir } from "../../results/paths.js";
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
  if (!isOutputFormat(output)) throw new UsageError(`--output must be one of ${OUTPUT_FORMAT_NAMES.join(", ")}, not "${output}"`);
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

  let client: GitHubClient | undefined;
  const progress = new ProgressLine(process.stderr, { waiting: () => client?.waiting() ?? [] });
  const logger = createLogger({ debug: options.debug, beforeWrite: () => progress.clear() });
  const startedAt = new Date();
  client = new GitHubClient({ token, ...endpoints, logger, requestTimeoutMs: options.requestTimeout * 1000 });
  const repositoryOf = new Map(targets.map((t) => [t.argument, formatRepositoryRef(t.ref)]));
  let loadFinishing = () => {};
  const loaded = new Promise<void>((resolve) => (loadFinishing = resolve));
  const finishing = loaded.then(() => import("./community-results.js"));
  const collecting = collectAll(client, targets, {
    since,
    concurrency,
    repositoryTimeoutMs: options.repositoryTimeout * 1000,
    onStart: (argument) => logger.info(`Collecting community data for ${argument}`),
    onLoaded: () => loadFinishing(),
    onProgress: (argument, done, total) => progress.update(repositoryOf.get(argument)!, done, total),
    onFinish: (outcome) => {
      const repository = outcome.ok ? `${outcome.report.owner}/${outcome.report.repo}` : outcome.argument;
      progress.finish(repositoryOf.get(outcome.argument)!);
      logger.debug(`${repository}: ${outcome.stats.requests} requests, ${outcome.stats.rateLimitPoints} rate-limit points`);
      if (!outcome.ok) logger.error(`Could not collect community data for ${outcome.argument}: ${outcome.error}`);
    },
  });
  let outcomes;
  try {
    outcomes = await collecting;
  } finally {
    progress.stop();
  }
  // Every repository may have failed before its collection was loaded.
  loadFinishing();

  const { printAndKeepRun } = await finishing;
  const { failures, kept } = await printAndKeepRun(outcomes, { output, startedAt, apiUrl: endpoints.apiUrl, since, resultsDir, mysqlTarget, logger });
  if (failures > 0) logger.error(`${failures} of ${links.length} repositories could not be collected`);
  if (failures > 0 || !kept) process.exitCode = EXIT_FAILED;
}
