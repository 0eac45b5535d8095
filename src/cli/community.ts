// `benchmark-tool community <repository_link>...`: collects community metrics
// for GitHub repositories; see docs/community.md.
import type { Command } from "../vendor/commander.js";
import { DEFAULT_REPOSITORY_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from "../community/deadline/defaults.js";
import { DEFAULT_API_URL } from "../community/endpoints.js";
import { dbUrlOption, mysqlExportOption, type ExportOptions } from "./mysql-options.js";
import { nonEmpty, seconds } from "./option-parsers.js";

export interface CommunityOptions extends ExportOptions {
  apiUrl?: string;
  resultsDir?: string;
  output: string;
  since?: string;
  concurrency: string;
  /** Seconds. */
  requestTimeout: number;
  /** Seconds. */
  repositoryTimeout: number;
  debug?: boolean;
}

const DEFAULT_CONCURRENCY = 3;
// Node's fetch gives up on its own after 300 s without headers, or between two chunks of a body.
const MAX_REQUEST_TIMEOUT_SECONDS = 300;
const MAX_REPOSITORY_TIMEOUT_SECONDS = 86_400;

export function registerCommunityCommand(program: Command): void {
  program
    .command("community")
    .description("Measure how the community works with GitHub repositories (stars, forks, issues, pull requests, response times, documentation).")
    .argument("<repository_link...>", "https://github.com/OWNER/REPO, github.com/OWNER/REPO or OWNER/REPO")
    .option("--api-url <base>", `GitHub API base URL as octokit takes it (GitHub Enterprise Server: https://HOST/api/v3); default $GITHUB_API_URL or ${DEFAULT_API_URL}`)
    .option("--results-dir <dir>", "where results are kept", nonEmpty)
    .addOption(mysqlExportOption())
    .addOption(dbUrlOption())
    .option("--output <format>", "json, table or csv", "json")
    .option("--since <date>", "limit the time-based metrics to items created from this date (ISO 8601)")
    .option("--concurrency <n>", "repositories collected at once", String(DEFAULT_CONCURRENCY))
    .option(
      "--request-timeout <seconds>",
      "how long one request may take, connect to the last byte of its answer, before it is retried (a request gives up after 3 such timeouts)",
      seconds(MAX_REQUEST_TIMEOUT_SECONDS),
      DEFAULT_REQUEST_TIMEOUT_MS / 1000,
    )
    .option(
      "--repository-timeout <seconds>",
      "how long one repository's whole collection may take, not counting waits GitHub asks for (rate limits); the others go on",
      seconds(MAX_REPOSITORY_TIMEOUT_SECONDS),
      DEFAULT_REPOSITORY_TIMEOUT_MS / 1000,
    )
    .option("--debug", "show requests, retries and rate-limit points per repository")
    .action(async (links: string[], options: CommunityOptions) => (await import("./actions/community.js")).runCommunity(links, options));
}
