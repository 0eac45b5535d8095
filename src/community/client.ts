// The one GitHub client: octokit core with its plugins composed around it (a
// deadline on every attempt, retry, throttling), a request limiter (how many at
// once, how many a minute, slower when GitHub says so) and a rate-limit gate in
// front of every request, and zod checking every answer. Requests and
// rate-limit points are counted per caller through RequestStats so --debug can
// show them per repository; the requests under way are known (waiting()) so
// that a long wait can be shown and named.
import { Bottleneck, Octokit, RequestError, retry, throttling } from "../vendor/github.js";
import { setTimeout as sleep } from "node:timers/promises";
import type { z } from "zod";
import type { Logger } from "../log/logger.js";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "./deadline/defaults.js";
import { requestDeadline, type AttemptFailure, type DeadlineRequestOptions } from "./deadline/request-deadline.js";
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
  /** How long one attempt of a request may take, connect to the last byte (default DEFAULT_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
}

export interface RequestContext {
  repository: string;
  /** Names the request in messages ("issues page 3"). */
  what: string;
  stats: RequestStats;
  /** The repository's deadline: ends the request at once, without retry, and refuses new ones once it has passed. */
  signal?: AbortSignal;
  /** Called each time an attempt of the request is handed to fetch. */
  onSend?: () => void;
}

/** A request under way: sent (its first attempt), and not yet answered or given up. */
export interface WaitingRequest {
  repository: string;
  what: string;
  sinceMs: number;
  attempt: number;
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
  octokit.hook.error("request", async (error, endpoint) => {
    if (error instanceof RequestError && RETRIED_SERVER_ERRORS.has(error.status)) {
      const seconds = Number(error.response?.headers["retry-after"]);
      if (Number.isFinite(seconds) && seconds > 0) {
        onRetryAfter?.(seconds * 1000);
        // The repository's deadline ends the wait too: nothing of a failed repository lingers.
        const signal = (endpoint.request as DeadlineRequestOptions | undefined)?.cancel;
        await sleep(seconds * 1000, undefined, signal ? { signal } : {});
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

// Innermost first: the deadline times each attempt, body included, and the
// retry plugins around it see a timed-out attempt as a failed one.
const ComposedOctokit = Octokit.plugin(
  parseJsonNatively,
  requestDeadline as (octokit: Octokit, options: object) => void,
  honourRetryAfter as (octokit: Octokit, options: object) => void,
  retry,
  throttling,
);

// The plugin's own limiters would cap requests at 10 at once and space GraphQL
// queries 1 s apart (its rule for writes; these only read): the RequestLimiter
// is the one bound instead.
const unbounded = () => new Bottleneck.Group({ maxConcurrent: null, minTime: 0 });

export class GitHubClient {
  readonly limiter: RequestLimiter;
  private readonly logger: Logger;
  private readonly octokit: InstanceType<typeof ComposedOctokit>;
  private readonly gate: RateLimitGate;
  private readonly graphql: InstanceType<typeof ComposedOctokit>["graphql"];
  private credentialsRejected: BadCredentialsError | undefined;
  private readonly underWay = new Set<WaitingRequest>();
  private readonly pauseListeners = new Set<(addedMs: number) => void>();
  private pausedUntilMs = 0;

  constructor(options: GitHubClientOptions) {
    const logger = (this.logger = options.logger);
    const limiter = (this.limiter = options.limiter ?? new RequestLimiter());
    const slowDown = (ms: number) => {
      limiter.slowDown(ms);
      this.paused(ms);
    };
    this.gate = new RateLimitGate({
      onWait: (waitMs, resetAt) => {
        logger.warn(`GitHub GraphQL rate limit used up; waiting ${(waitMs / 1000).toFixed(1)}s until it resets at ${resetAt}`);
        this.paused(waitMs);
      },
    });
    this.octokit = new ComposedOctokit({
      auth: options.token,
      baseUrl: options.apiUrl.replace(/\/+$/, ""),
      userAgent: "benchmark-tool-community",
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      onRetryAfter: slowDown,
      // octokit's own debug lines would include request details; ours are enough.
      log: { debug: () => {}, info: () => {}, warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) },
      throttle: {
        // `global` is read by the plugin (state.global ?? its shared group) though its types omit it.
        ...({ global: unbounded() } as object),
        write: unbounded(),
        onRateLimit: (retryAfterSeconds, request, _octokit, retryCount) => {
          logger.warn(`GitHub rate limit hit on ${request.method} ${request.url}; retrying in ${retryAfterSeconds}s`);
          slowDown(retryAfterSeconds * 1000);
          return retryCount < MAX_RATE_LIMIT_RETRIES;
        },
        onSecondaryRateLimit: (retryAfterSeconds, request, _octokit, retryCount) => {
          logger.warn(`GitHub secondary rate limit hit on ${request.method} ${request.url}; retrying in ${retryAfterSeconds}s`);
          slowDown(retryAfterSeconds * 1000);
          return retryCount < MAX_SECONDARY_LIMIT_RETRIES;
        },
      },
    });
    // "url" cannot be a per-call option of octokit.graphql (it would be a variable); a default can.
    this.graphql = options.graphqlUrl ? this.octokit.graphql.defaults({ url: options.graphqlUrl }) : this.octokit.graphql;
  }

  /** Waits for a slot to send a request in, for a caller that decides what to send once it has one; `signal` gives up the wait. */
  acquire(signal?: AbortSignal): Promise<Release> {
    return this.limiter.acquire(signal);
  }

  /** The requests under way now, the longest-waiting first. */
  waiting(): WaitingRequest[] {
    return [...this.underWay].sort((a, b) => a.sinceMs - b.sinceMs);
  }

  /**
   * Calls `listener` whenever GitHub makes every request wait (a rate limit's
   * reset, a Retry-After), with how much longer than already announced, so
   * that such waits do not count against a repository's deadline. Returns how
   * to stop listening.
   */
  onPause(listener: (addedMs: number) => void): () => void {
    this.pauseListeners.add(listener);
    return () => this.pauseListeners.delete(listener);
  }

  /**
   * Sends one GraphQL query and returns its data checked against `schema`
   * (which may still be loading: see first-requests.ts). `what` names the
   * query in messages ("issues page 3").
   */
  async query<S extends z.ZodType<{ rateLimit: RateLimitInfo }>>(
    document: string,
    variables: Record<string, unknown>,
    schema: S | Promise<S>,
    context: RequestContext,
    options: QueryOptions,
  ): Promise<z.infer<S>> {
    const release = options.slot ?? (await this.limiter.acquire(context.signal));
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
    const parsed = (await schema).safeParse(raw);
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
  async get<S extends z.ZodType>(route: string, parameters: Record<string, string>, schema: S | Promise<S>, context: RequestContext): Promise<z.infer<S>> {
    const release = await this.limiter.acquire(context.signal);
    let response: { data: unknown };
    try {
      response = await this.send(context, (request) => this.octokit.request(route, { ...parameters, request }));
    } finally {
      release();
    }
    const parsed = (await schema).safeParse(response.data);
    if (!parsed.success) {
      throw new CommunityError(`the ${context.what} answer for ${context.repository} was incomplete or malformed; nothing was reported for it`);
    }
    return parsed.data;
  }

  private async send<T>(
    context: RequestContext,
    call: (request: DeadlineRequestOptions & { fetch: typeof globalThis.fetch; parseSuccessResponseBody: false }) => Promise<T>,
  ): Promise<T> {
    if (this.credentialsRejected) throw this.credentialsRejected;
    context.signal?.throwIfAborted();
    // A fetch per call counts every attempt, retries included, for this caller.
    const countingFetch: typeof globalThis.fetch = (input, init) => {
      context.stats.requests += 1;
      context.onSend?.();
      return globalThis.fetch(input, init);
    };
    const waiting: WaitingRequest = { repository: context.repository, what: context.what, sinceMs: Date.now(), attempt: 1 };
    const onRetry = (attempt: number, previous: AttemptFailure) => {
      waiting.attempt = attempt;
      const line = `${context.repository}: ${context.what} sent again (attempt ${attempt}) after: ${previous.reason}`;
      // A timeout is worth knowing without --debug: it means GitHub, or the way to it, is not answering.
      if (previous.timedOut) this.logger.warn(line);
      else this.logger.debug(line);
    };
    this.underWay.add(waiting);
    try {
      const result = await call({ fetch: countingFetch, parseSuccessResponseBody: false, onRetry, ...(context.signal ? { cancel: context.signal } : {}) });
      this.limiter.succeeded();
      return result;
    } catch (error) {
      if (context.signal?.aborted) throw context.signal.reason;
      const described = describeGitHubError(error, context.repository, context.what);
      if (described instanceof BadCredentialsError) this.credentialsRejected = described;
      throw described;
    } finally {
      this.underWay.delete(waiting);
    }
  }

  /** Every request waits `ms` from now (GitHub asked): tells the listeners how much of that is new. */
  private paused(ms: number): void {
    const now = Date.now();
    const until = now + ms;
    const addedMs = Math.max(0, until - Math.max(now, this.pausedUntilMs));
    this.pausedUntilMs = Math.max(this.pausedUntilMs, until);
    if (addedMs > 0) for (const listener of this.pauseListeners) listener(addedMs);
  }
}
