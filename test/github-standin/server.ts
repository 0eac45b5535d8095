// A GitHub API stand-in on loopback for the community tests and benchmarks:
// POST /graphql is validated and executed with graphql-js against GitHub's
// published schema over FakeRepository data; GET
// /repos/{owner}/{repo}/community/profile serves the REST community profile.
// It checks the token, charges each query GitHub's documented cost against a
// rate limit, records every request, answers after a set latency, and injects
// faults on demand.
import { buildClientSchema, execute, GraphQLError, parse, validate, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { schema as publishedSchema } from "@octokit/graphql-schema";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Fault } from "./faults.js";
import { repeatCursors, understateTotals } from "./misbehaviour.js";
import type { FakeRepository } from "./model.js";
import { queryCost } from "./query-cost.js";
import { communityProfile, forgetViews, NotFoundError, rootValue } from "./resolvers.js";

export const STANDIN_TOKEN = "ghp_standinSecretToken0123456789abcdef";

const githubSchema = buildClientSchema(publishedSchema.json as Parameters<typeof buildClientSchema>[0]);
const parsed = new Map<string, DocumentNode>();
const validated = new Map<string, readonly GraphQLError[]>();

export interface RecordedRequest {
  operation: string;
  repository: string | null;
  variables: Record<string, unknown>;
  status: number;
  /** When the request arrived, and when its answer was sent in full (or abandoned), ms since the epoch. */
  startedAtMs: number;
  answeredAtMs: number | null;
  fault: Fault["kind"] | null;
  rateLimited: boolean;
  /** The rate-limit points the query was charged (0 for REST and refused queries). */
  cost: number;
}

export interface StandinOptions {
  repositories: FakeRepository[];
  /** Points per window and the window's length; each query costs what GitHub's formula says. */
  rateLimit?: { limit: number; windowMs: number };
  /** Added before every answer, as a network and GitHub's own processing would. */
  latencyMs?: number;
}

export interface GitHubStandin {
  url: string;
  requests: RecordedRequest[];
  /** Queries that failed validation against the published schema, with the reasons. */
  invalidQueries: Array<{ query: string; errors: string[] }>;
  maxInFlight: number;
  /** Added before every answer; may be changed between runs. */
  latencyMs: number;
  /**
   * Called before each GraphQL query is executed, so a test can change the
   * data while a collection runs (then call dataChanged()).
   */
  beforeExecute: ((record: RecordedRequest) => void) | null;
  /** Drops what was derived from the repositories after a test changed them. */
  dataChanged(): void;
  /** When the current rate-limit window resets (ms since the epoch). */
  rateLimitResetAtMs(): number;
  injectFault(fault: Fault): void;
  reset(): void;
  close(): Promise<void>;
}

function json(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, fault: Fault | null = null): void {
  // The client may have given up meanwhile (a slow or silent fault): nothing to answer.
  if (response.destroyed) return;
  const whole = JSON.stringify(body);
  const text = fault?.kind === "truncated" ? whole.slice(0, Math.floor(whole.length / 2)) : whole;
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  if (fault?.kind === "cut-connection") {
    response.write(text.slice(0, Math.floor(text.length / 2)), () => response.socket?.destroy());
    return;
  }
  response.end(text);
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function operationOf(document: DocumentNode): string {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
  return operation?.name?.value ?? "anonymous";
}

export async function startGitHubStandin(options: StandinOptions): Promise<GitHubStandin> {
  const rateLimitConfig = options.rateLimit ?? { limit: 5000, windowMs: 3_600_000 };
  let window = { remaining: rateLimitConfig.limit, resetAtMs: 0 };
  let faults: Array<Fault & { seen: number }> = [];
  let inFlight = 0;

  const state: GitHubStandin = {
    url: "",
    requests: [],
    invalidQueries: [],
    maxInFlight: 0,
    latencyMs: options.latencyMs ?? 0,
    beforeExecute: null,
    dataChanged: forgetViews,
    rateLimitResetAtMs: () => window.resetAtMs,
    injectFault: (fault) => faults.push({ ...fault, seen: 0 }),
    reset: () => {
      state.requests = [];
      state.invalidQueries = [];
      state.maxInFlight = 0;
      state.beforeExecute = null;
      faults = [];
      window = { remaining: rateLimitConfig.limit, resetAtMs: 0 };
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const takeFault = (operation: string, repository: string | null): Fault | null => {
    for (const fault of faults) {
      if (fault.times <= 0) continue;
      if (fault.operation && fault.operation !== operation) continue;
      if (fault.repository && fault.repository.toLowerCase() !== repository?.toLowerCase()) continue;
      fault.seen += 1;
      if (fault.seen <= (fault.after ?? 0)) continue;
      fault.times -= 1;
      return fault;
    }
    return null;
  };

  /** Answers the faults that replace the response; returns false for those that only delay it. */
  const answerFault = async (fault: Fault | null, response: http.ServerResponse): Promise<boolean> => {
    if (!fault) return false;
    const retryAfter: Record<string, string> = fault.retryAfterSeconds ? { "retry-after": String(fault.retryAfterSeconds) } : {};
    switch (fault.kind) {
      case "slow":
        await sleep(fault.delayMs ?? 500);
        return false;
      case "silent":
        if (!response.destroyed) await new Promise((resolve) => response.once("close", resolve));
        return true;
      case "bad-gateway":
        json(response, 502, { message: "Server Error" }, retryAfter);
        return true;
      case "service-unavailable":
        json(response, 503, { message: "Service Unavailable" }, retryAfter);
        return true;
      case "secondary-rate-limit":
        json(
          response,
          403,
          { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" },
          retryAfter,
        );
        return true;
      case "rate-limited": {
        const resetSeconds = Math.ceil((Date.now() + (fault.resetInMs ?? 1000)) / 1000);
        json(response, 200, { errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded for user ID 1." }] }, {
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(resetSeconds),
        });
        return true;
      }
      case "truncated":
      case "cut-connection":
      case "stuck-cursor":
      case "understated-total":
        return false;
    }
  };

  const handleGraphql = async (body: string, response: http.ServerResponse, record: RecordedRequest): Promise<void> => {
    const { query, variables = {} } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
    let document: DocumentNode;
    try {
      document = parsed.get(query) ?? parse(query);
      parsed.set(query, document);
    } catch (error) {
      state.invalidQueries.push({ query, errors: [(error as Error).message] });
      json(response, 200, { errors: [{ message: (error as Error).message }] });
      return;
    }
    // Validating against GitHub's large schema takes milliseconds; the tool sends few distinct query texts.
    let validationErrors = validated.get(query);
    if (!validationErrors) validated.set(query, (validationErrors = validate(githubSchema, document)));
    record.operation = operationOf(document);
    record.variables = variables;
    record.repository = typeof variables.owner === "string" ? `${variables.owner}/${String(variables.name)}` : null;
    if (validationErrors.length > 0) {
      state.invalidQueries.push({ query, errors: validationErrors.map((e) => e.message) });
      json(response, 200, { errors: validationErrors.map((e) => ({ message: e.message })) });
      return;
    }
    const fault = takeFault(record.operation, record.repository);
    record.fault = fault?.kind ?? null;
    if (await answerFault(fault, response)) {
      record.status = response.statusCode;
      return;
    }

    const now = Date.now();
    if (now >= window.resetAtMs) window = { remaining: rateLimitConfig.limit, resetAtMs: now + rateLimitConfig.windowMs };
    const limitHeaders = {
      "x-ratelimit-limit": String(rateLimitConfig.limit),
      "x-ratelimit-reset": String(Math.ceil(window.resetAtMs / 1000)),
    };
    const cost = queryCost(githubSchema, document, variables);
    if (window.remaining < cost) {
      record.rateLimited = true;
      json(response, 200, { errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded for user ID 1." }] }, { ...limitHeaders, "x-ratelimit-remaining": "0" });
      return;
    }
    window.remaining -= cost;
    record.cost = cost;
    state.beforeExecute?.(record);
    const rateLimit = {
      cost,
      limit: rateLimitConfig.limit,
      remaining: window.remaining,
      used: rateLimitConfig.limit - window.remaining,
      nodeCount: 0,
      resetAt: new Date(window.resetAtMs).toISOString(),
    };
    const result = await execute({ schema: githubSchema, document, variableValues: variables, rootValue: rootValue(options.repositories, () => rateLimit) });
    const errors = result.errors?.map((e: GraphQLError) => ({
      ...(e.originalError instanceof NotFoundError ? { type: "NOT_FOUND" } : {}),
      message: e.message,
      path: e.path,
      locations: e.locations,
    }));
    if (fault?.kind === "stuck-cursor" && result.data) repeatCursors(document, variables, result.data);
    if (fault?.kind === "understated-total" && result.data) understateTotals(result.data, fault.fraction ?? 0.1);
    json(response, 200, { data: result.data ?? null, ...(errors ? { errors } : {}) }, { ...limitHeaders, "x-ratelimit-remaining": String(window.remaining) }, fault);
  };

  const handleProfile = async (owner: string, name: string, response: http.ServerResponse, record: RecordedRequest): Promise<void> => {
    record.operation = "CommunityProfile";
    record.repository = `${owner}/${name}`;
    const fault = takeFault(record.operation, record.repository);
    record.fault = fault?.kind ?? null;
    if (await answerFault(fault, response)) return;
    const repo = options.repositories.find((r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase());
    if (!repo) return json(response, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    json(response, 200, communityProfile(repo), {}, fault);
  };

  const server = http.createServer((request, response) => {
    inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    const record: RecordedRequest = { operation: "unknown", repository: null, variables: {}, status: 0, startedAtMs: Date.now(), answeredAtMs: null, fault: null, rateLimited: false, cost: 0 };
    state.requests.push(record);
    const handle = async () => {
      const body = await readBody(request);
      if (state.latencyMs > 0) await sleep(state.latencyMs);
      if (request.headers.authorization !== `token ${STANDIN_TOKEN}` && request.headers.authorization !== `bearer ${STANDIN_TOKEN}`) {
        return json(response, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/graphql", status: "401" });
      }
      const url = new URL(request.url ?? "/", "http://standin");
      const profile = /^\/repos\/([^/]+)\/([^/]+)\/community\/profile$/.exec(url.pathname);
      if (request.method === "POST" && url.pathname === "/graphql") return handleGraphql(body, response, record);
      if (request.method === "GET" && profile) return handleProfile(decodeURIComponent(profile[1]!), decodeURIComponent(profile[2]!), response, record);
      json(response, 404, { message: "Not Found" });
    };
    handle()
      .catch((error: unknown) => {
        if (!response.headersSent) json(response, 500, { message: String(error) });
      })
      .finally(() => {
        inFlight -= 1;
        // 0: nothing was answered (a silent fault, or a client that gave up first).
        record.status = response.headersSent ? response.statusCode : 0;
        record.answeredAtMs = Date.now();
      });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
