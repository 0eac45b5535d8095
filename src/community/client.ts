// The one GitHub client: octokit core with its retry and throttling plugins
// composed around it, a rate-limit gate in front of every query, and zod
// checking every answer. Requests and rate-limit points are counted per
// caller through RequestStats so --debug can show them per repository.
import { Octokit } from "@octokit/core";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { RequestError } from "@octokit/request-error";
import Bottleneck from "bottleneck";
import { setTimeout as sleep } from "node:timers/promises";
import type { z } from "zod";
import type { Logger } from "../log/logger.js";
import { BadCredentialsError, CommunityError, describeGitHubError } from "./errors.js";
import { RateLimitGate, type RateLimitInfo } from "./rate-limit-gate.js";

export interface GitHubClientOptions {
  token: string;
  /** REST base URL as octokit takes it; GraphQL goes to <base>/graphql, or /api/graphql on GHES. */
  apiUrl: string;
  /** An explicit GraphQL endpoint (GITHUB_GRAPHQL_URL), when it does not follow from apiUrl. */
  graphqlUrl?: string;
  logger: Logger;
  /** How many GraphQL queries may be in flight at once, over all repositories. */
  maxConcurrentQueries?: number;
}

export interface RequestStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** GraphQL rate-limit points, as GitHub reports each query's cost. */
  rateLimitPoints: number;
}

export function newRequestStats(): RequestStats {
  return { requests: 0, rateLimitPoints: 0 };
}

// Retries past these give up: three retries of a 502 take 1 + 4 + 9 s of backoff.
const MAX_RATE_LIMIT_RETRIES = 2;
const MAX_SECONDARY_LIMIT_RETRIES = 3;
const RETRIED_SERVER_ERRORS = new Set([502, 503, 504]);

/**
 * plugin-retry backs off 1, 4, 9 s whatever the server says; a 502/503 that
 * carries Retry-After is held here for that long first, so the next attempt
 * never comes sooner than the server asked. Registered first, so its error
 * hook runs inside plugin-retry's.
 */
function honourRetryAfter(octokit: Octokit): void {
  octokit.hook.error("request", async (error) => {
    if (error instanceof RequestError && RETRIED_SERVER_ERRORS.has(error.status)) {
      const seconds = Number(error.response?.headers["retry-after"]);
      if (Number.isFinite(seconds) && seconds > 0) await sleep(seconds * 1000);
    }
    throw error;
  });
}

const ComposedOctokit = Octokit.plugin(honourRetryAfter, retry, throttling);

export class GitHubClient {
  private readonly octokit: InstanceType<typeof ComposedOctokit>;
  private readonly gate: RateLimitGate;
  private readonly graphql: InstanceType<typeof ComposedOctokit>["graphql"];
  private credentialsRejected: BadCredentialsError | undefined;

  constructor(options: GitHubClientOptions) {
    const logger = options.logger;
    this.gate = new RateLimitGate({
      onWait: (waitMs, resetAt) =>
        logger.warn(`GitHub GraphQL rate limit used up; waiting ${(waitMs / 1000).toFixed(1)}s until it resets at ${resetAt}`),
    });
    this.octokit = new ComposedOctokit({
      auth: options.token,
      baseUrl: options.apiUrl.replace(/\/+$/, ""),
      userAgent: "benchmark-tool-community",
      // octokit's own debug lines would include request details; ours are enough.
      log: { debug: () => {}, info: () => {}, warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) },
      throttle: {
        // The plugin spaces GraphQL requests 1 s apart (its rule for writes);
        // our queries only read, and GitHub allows reads in parallel.
        write: new Bottleneck.Group({ maxConcurrent: options.maxConcurrentQueries ?? 6, minTime: 0 }),
        onRateLimit: (retryAfterSeconds, request, _octokit, retryCount) => {
          logger.warn(`GitHub rate limit hit on ${request.method} ${request.url}; retrying in ${retryAfterSeconds}s`);
          return retryCount < MAX_RATE_LIMIT_RETRIES;
        },
        onSecondaryRateLimit: (retryAfterSeconds, request, _octokit, retryCount) => {
          logger.warn(`GitHub secondary rate limit hit on ${request.method} ${request.url}; retrying in ${retryAfterSeconds}s`);
          return retryCount < MAX_SECONDARY_LIMIT_RETRIES;
        },
      },
    });
    // "url" cannot be a per-call option of octokit.graphql (it would be a variable); a default can.
    this.graphql = options.graphqlUrl ? this.octokit.graphql.defaults({ url: options.graphqlUrl }) : this.octokit.graphql;
  }

  /**
   * Sends one GraphQL query and returns its data checked against `schema`.
   * `what` names the query in messages ("issues page 3").
   */
  async query<S extends z.ZodType<{ rateLimit: RateLimitInfo }>>(
    document: string,
    variables: Record<string, unknown>,
    schema: S,
    context: { repository: string; what: string; stats: RequestStats },
  ): Promise<z.infer<S>> {
    await this.gate.waitForPoints();
    const raw = await this.send(context, (fetch) =>
      this.graphql(document, { ...variables, request: { fetch } }),
    );
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      // A truncated or garbled body reaches here as a string or undefined.
      throw new CommunityError(
        `the answer to the ${context.what} query for ${context.repository} was incomplete or malformed (${parsed.error.issues[0]?.message ?? "no data"}); nothing was reported for it`,
      );
    }
    this.gate.update(parsed.data.rateLimit);
    context.stats.rateLimitPoints += parsed.data.rateLimit.cost;
    return parsed.data;
  }

  /** A REST GET, for what GraphQL does not offer (the community profile). */
  async get<S extends z.ZodType>(
    route: string,
    parameters: Record<string, string>,
    schema: S,
    context: { repository: string; what: string; stats: RequestStats },
  ): Promise<z.infer<S>> {
    const response = await this.send(context, (fetch) => this.octokit.request(route, { ...parameters, request: { fetch } }));
    const parsed = schema.safeParse(response.data);
    if (!parsed.success) {
      throw new CommunityError(`the ${context.what} answer for ${context.repository} was incomplete or malformed; nothing was reported for it`);
    }
    return parsed.data;
  }

  private async send<T>(
    context: { repository: string; what: string; stats: RequestStats },
    call: (fetch: typeof globalThis.fetch) => Promise<T>,
  ): Promise<T> {
    if (this.credentialsRejected) throw this.credentialsRejected;
    // A fetch per call counts every attempt, retries included, for this caller.
    const countingFetch: typeof globalThis.fetch = (input, init) => {
      context.stats.requests += 1;
      return globalThis.fetch(input, init);
    };
    try {
      return await call(countingFetch);
    } catch (error) {
      const described = describeGitHubError(error, context.repository, context.what);
      if (described instanceof BadCredentialsError) this.credentialsRejected = described;
      throw described;
    }
  }
}
