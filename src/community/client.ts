// The one GitHub client: octokit core with its retry and throttling plugins
// composed around it, a request limiter (how many at once, how many a minute,
// slower when GitHub says so) and a rate-limit gate in front of every request,
// and zod checking every answer. Requests and rate-limit points are counted per
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
import { RequestLimiter, type Release } from "./request-limiter.js";

export interface GitHubClientOptions {
  token: string;
  /** REST base URL as octokit takes it; GraphQL goes to <base>/graphql, or /api/graphql on GHES. */
  apiUrl: string;
  /** An explicit GraphQL endpoint (GITHUB_GRAPHQL_URL), when it does not follow from apiUrl. */
  graphqlUrl?: string;
  logger: Logger;
  /** Bounds the requests under way, over all repositories (default: a RequestLimiter of its own). */
  limiter?: RequestLimiter;
}

export interface RequestContext {
  repository: string;
  /** Names the request in messages ("issues, 3 slices"). */
  what: string;
  stats: RequestStats;
}

export interface QueryOptions {
  /** The points GitHub will charge, by its formula; reserved while the query is under way. */
  points: number;
  /** A slot the caller already holds (see acquire()); released when the query is over. */
  slot?: Release;
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
 * never comes sooner than the server asked, and the limiter is told to slow
 * down. Registered first, so its error hook runs inside plugin-retry's.
 */
function honourRetryAfter(octokit: Octokit, options: { onRetryAfter?: (ms: number) => void }): void {
  const { onRetryAfter } = options;
  octokit.hook.error("request", async (error) => {
    if (error instanceof RequestError && RETRIED_SERVER_ERRORS.has(error.status)) {
      const seconds = Number(error.response?.headers["retry-after"]);
      if (Number.isFinite(seconds) && seconds > 0) {
        onRetryAfter?.(seconds * 1000);
        await sleep(seconds * 1000);
      }
    }
    throw error;
  });
}

/**
 * octokit reads JSON answers with json-with-bigint, which on Node 20 first
 * scans the whole text with regular expressions and revives every value: more
 * CPU per page of 100 issues than all the rest the client does with it. The
 * answers read here hold no integer beyond 2^53, so every request asks octokit
 * for the body unread (parseSuccessResponseBody: false, in send) and this
 * hook reads it with JSON.parse. Registered first, so the throttling and retry
 * plugins around it see the parsed answer as before; errors (4xx/5xx) are
 * still read by octokit.
 */
function parseJsonNatively(octokit: Octokit): void {
  octokit.hook.wrap("request", async (request, options) => {
    const response = await request(options);
    if (!(response.data instanceof ReadableStream)) return response;
    const text = await new Response(response.data).text();
    const isJson = /\bjson\b/.test(String(response.headers["content-type"] ?? ""));
    // Like octokit, a body that is not JSON after all is given as text (and found malformed later).
    let data: unknown = text;
    try {
      if (isJson && text) data = JSON.parse(text);
    } catch {}
    return { ...response, data };
  });
}

const ComposedOctokit = Octokit.plugin(parseJsonNatively, honourRetryAfter as (octokit: Octokit, options: object) => void, retry, throttling);

// The plugin's own limiters would cap requests at 10 at once and space GraphQL
// queries 1 s apart (its rule for writes; these only read): the RequestLimiter
// is the one bound instead.
const unbounded = () => new Bottleneck.Group({ maxConcurrent: null, minTime: 0 });

export class GitHubClient {
  readonly limiter: RequestLimiter;
  private readonly octokit: InstanceType<typeof ComposedOctokit>;
  private readonly gate: RateLimitGate;
  private readonly graphql: InstanceType<typeof ComposedOctokit>["graphql"];
  private credentialsRejected: BadCredentialsError | undefined;

  constructor(options: GitHubClientOptions) {
    const logger = options.logger;
    const limiter = (this.limiter = options.limiter ?? new RequestLimiter());
    this.gate = new RateLimitGate({
      onWait: (waitMs, resetAt) =>
        logger.warn(`GitHub GraphQL rate limit used up; waiting ${(waitMs / 1000).toFixed(1)}s until it resets at ${resetAt}`),
    });
    this.octokit = new ComposedOctokit({
      auth: options.token,
      baseUrl: options.apiUrl.replace(/\/+$/, ""),
      userAgent: "benchmark-tool-community",
      onRetryAfter: (ms: number) => limiter.slowDown(ms),
      // octokit's own debug lines would include request details; ours are enough.
      log: { debug: () => {}, info: () => {}, warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) },
      throttle: {
        // `global` is read by the plugin (state.global ?? its shared group) though its types omit it.
        ...({ global: unbounded() } as object),
        write: unbounded(),
        onRateLimit: (retryAfterSeconds, request, _octokit, retryCount) => {
          logger.warn(`GitHub rate limit hit on ${request.method} ${request.url}; retrying in ${retryAfterSeconds}s`);
          limiter.slowDown(retryAfterSeconds * 1000);
          return retryCount < MAX_RATE_LIMIT_RETRIES;
        },
        onSecondaryRateLimit: (retryAfterSeconds, request, _octokit, retryCount) => {
          logger.warn(`GitHub secondary rate limit hit on ${request.method} ${request.url}; retrying in ${retryAfterSeconds}s`);
          limiter.slowDown(retryAfterSeconds * 1000);
          return retryCount < MAX_SECONDARY_LIMIT_RETRIES;
        },
      },
    });
    // "url" cannot be a per-call option of octokit.graphql (it would be a variable); a default can.
    this.graphql = options.graphqlUrl ? this.octokit.graphql.defaults({ url: options.graphqlUrl }) : this.octokit.graphql;
  }

  /** Waits for a slot to send a request in, for a caller that decides what to send once it has one. */
  acquire(): Promise<Release> {
    return this.limiter.acquire();
  }

  /**
   * Sends one GraphQL query and returns its data checked against `schema`.
   * `what` names the query in messages ("issues page 3").
   */
  async query<S extends z.ZodType<{ rateLimit: RateLimitInfo }>>(
    document: string,
    variables: Record<string, unknown>,
    schema: S,
    context: RequestContext,
    options: QueryOptions,
  ): Promise<z.infer<S>> {
    const release = options.slot ?? (await this.limiter.acquire());
    let raw: unknown;
    try {
      const givePointsBack = await this.gate.reserve(options.points);
      try {
        raw = await this.send(context, (request) => this.graphql(document, { ...variables, request }));
      } finally {
        givePointsBack();
      }
    } finally {
      release();
    }
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
  async get<S extends z.ZodType>(route: string, parameters: Record<string, string>, schema: S, context: RequestContext): Promise<z.infer<S>> {
    const release = await this.limiter.acquire();
    let response: { data: unknown };
    try {
      response = await this.send(context, (request) => this.octokit.request(route, { ...parameters, request }));
    } finally {
      release();
    }
    const parsed = schema.safeParse(response.data);
    if (!parsed.success) {
      throw new CommunityError(`the ${context.what} answer for ${context.repository} was incomplete or malformed; nothing was reported for it`);
    }
    return parsed.data;
  }

  private async send<T>(context: RequestContext, call: (request: { fetch: typeof globalThis.fetch; parseSuccessResponseBody: false }) => Promise<T>): Promise<T> {
    if (this.credentialsRejected) throw this.credentialsRejected;
    // A fetch per call counts every attempt, retries included, for this caller.
    const countingFetch: typeof globalThis.fetch = (input, init) => {
      context.stats.requests += 1;
      return globalThis.fetch(input, init);
    };
    try {
      const result = await call({ fetch: countingFetch, parseSuccessResponseBody: false });
      this.limiter.succeeded();
      return result;
    } catch (error) {
      const described = describeGitHubError(error, context.repository, context.what);
      if (described instanceof BadCredentialsError) this.credentialsRejected = described;
      throw described;
    }
  }
}
