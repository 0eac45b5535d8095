// Faults on the way: retries with the waits GitHub asks for, rate limits,
// broken answers, bad or missing credentials, slow answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedRepository, tinyRepository } from "../github-standin/fixtures.js";
import { startGitHubStandin, type GitHubStandin, type RecordedRequest } from "../github-standin/server.js";
import { parseReports, runCommunity } from "./run-cli.js";
import { useStandinSuite } from "./standin-suite.js";

const anchorMs = Date.now();
const tiny = tinyRepository(anchorMs);
const big = generatedRepository(anchorMs, { owner: "acme", name: "big", issueCount: 1050, pullRequestCount: 0, recentCommitCount: 0 });
const medium = generatedRepository(anchorMs, { owner: "acme", name: "medium", issueCount: 150, pullRequestCount: 0, recentCommitCount: 0 });

const suite = useStandinSuite([tiny, big, medium]);
const { common } = suite;
const starts = (operation: string) => suite.standin.requests.filter((r: RecordedRequest) => r.operation === operation).map((r) => r.startedAtMs);

describe("community with faults", () => {
  it("retries a 502 no sooner than its Retry-After, and the figures are complete", async () => {
    suite.standin.injectFault({ kind: "bad-gateway", times: 1, operation: "IssueSlices", retryAfterSeconds: 1 });
    const run = await runCommunity(["acme/tiny", ...common()]);
    expect(run.code).toBe(0);
    expect(parseReports(run.stdout)[0]).toMatchObject({ star_number: 42, issues_info: { open_issues_number: 1, average_comments_per_issue: 5 / 3 } });
    const [first, second] = starts("IssueSlices");
    expect(starts("IssueSlices")).toHaveLength(2);
    expect(second! - first!).toBeGreaterThanOrEqual(1000);
  });

  it("retries a 503 with backoff", async () => {
    suite.standin.injectFault({ kind: "service-unavailable", times: 1, operation: "CommunityProfile" });
    const run = await runCommunity(["acme/tiny", ...common()]);
    expect(run.code).toBe(0);
    expect(parseReports(run.stdout)[0]!.community_documentation.health_percentage).toBe(85);
    expect(starts("CommunityProfile")).toHaveLength(2);
  });

  it("waits out a secondary rate limit for its Retry-After", async () => {
    suite.standin.injectFault({ kind: "secondary-rate-limit", times: 1, operation: "RepositoryOverview", retryAfterSeconds: 1 });
    const run = await runCommunity(["acme/tiny", ...common()]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/WARN\[.*\] GitHub secondary rate limit hit .*retrying in 1s/);
    const [first, second] = starts("RepositoryOverview");
    expect(second! - first!).toBeGreaterThanOrEqual(1000);
  });

  it("waits for the reset when GitHub answers RATE_LIMITED", async () => {
    suite.standin.injectFault({ kind: "rate-limited", times: 1, operation: "RepositoryOverview", resetInMs: 1000 });
    const run = await runCommunity(["acme/tiny", ...common()]);
    expect(run.code).toBe(0);
    const [first, second] = starts("RepositoryOverview");
    expect(second! - first!).toBeGreaterThanOrEqual(1000);
  });

  it("fails only the repository whose answer was truncated, and prints no half-filled object", async () => {
    suite.standin.injectFault({ kind: "truncated", times: 1, repository: "acme/big", operation: "IssueSlices", after: 2 });
    const run = await runCommunity(["acme/big", "acme/tiny", ...common()]);
    expect(run.code).toBe(1);
    expect(parseReports(run.stdout).map((r) => r.repo)).toEqual(["tiny"]);
    expect(run.stderr).toMatch(/Could not collect community data for acme\/big: the answer to the issues page \d+ query for acme\/big was incomplete or malformed/);
  });

  it("stops at a 401 with a clear message, without retrying", async () => {
    // One at a time: the first repository's overview and profile go together;
    // after their refusal the second repository sends nothing.
    const run = await runCommunity(["acme/tiny", "acme/big", "--concurrency", "1", ...common()], { GITHUB_TOKEN: "ghp_wrong" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Could not collect community data for acme\/tiny: GitHub rejected the token \(401 Bad credentials\)/);
    expect(run.stderr).toMatch(/Could not collect community data for acme\/big: GitHub rejected the token/);
    expect(suite.standin.requests.map((r) => r.status)).toEqual([401, 401]);
  });

  it("says how to set a token when there is none, before any request", async () => {
    const run = await runCommunity(["acme/tiny", ...common()], { GITHUB_TOKEN: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("GITHUB_TOKEN is not set; create a token at https://github.com/settings/tokens");
    expect(suite.standin.requests).toHaveLength(0);
  });

  it("collects several repositories at once, within the bound, while answers are slow", async () => {
    suite.standin.injectFault({ kind: "slow", times: 3, operation: "RepositoryOverview", delayMs: 400 });
    const run = await runCommunity(["acme/tiny", "acme/medium", "acme/big", "--concurrency", "2", ...common()]);
    expect(run.code).toBe(0);
    const overviews = suite.standin.requests.filter((r) => r.operation === "RepositoryOverview").map((r) => r.startedAtMs);
    // Two start together; the third waits for a free slot (400 ms later at least).
    expect(overviews[1]! - overviews[0]!).toBeLessThan(400);
    expect(overviews[2]! - overviews[0]!).toBeGreaterThanOrEqual(400);
    expect(suite.standin.maxInFlight).toBeGreaterThanOrEqual(2);
  });

  it("takes the endpoints from GITHUB_API_URL and GITHUB_GRAPHQL_URL as GitHub Actions sets them", async () => {
    const run = await runCommunity(["acme/tiny", "--results-dir", suite.resultsDir], { GITHUB_API_URL: suite.standin.url, GITHUB_GRAPHQL_URL: `${suite.standin.url}/graphql` });
    expect(run.code).toBe(0);
    expect(parseReports(run.stdout)[0]!.star_number).toBe(42);
  });
});

describe("community when the rate limit runs out", () => {
  let limited: GitHubStandin;
  const WINDOW_MS = 1500;
  beforeAll(async () => {
    limited = await startGitHubStandin({ repositories: [medium], rateLimit: { limit: 2, windowMs: WINDOW_MS } });
  });
  afterAll(() => limited.close());

  it("waits for resetAt before the next query instead of being refused", async () => {
    // The overview and the first issue request use both points; the second must wait for the reset.
    const run = await runCommunity(["acme/medium", "--api-url", limited.url, "--results-dir", suite.resultsDir, "--debug"]);
    expect(run.code).toBe(0);
    expect(parseReports(run.stdout)[0]!.issues_info.open_issues_number).toBe(38);
    expect(run.stderr).toMatch(/GitHub GraphQL rate limit used up; waiting \d\.\ds until it resets/);
    const graphql = limited.requests.filter((r) => r.operation !== "CommunityProfile");
    expect(graphql.map((r) => r.operation)).toEqual(["RepositoryOverview", "IssueSlices", "IssueSlices"]);
    expect(graphql.some((r) => r.rateLimited)).toBe(false);
    expect(graphql[2]!.startedAtMs - graphql[0]!.startedAtMs).toBeGreaterThanOrEqual(WINDOW_MS);
    expect(run.stderr).toMatch(/acme\/medium: 4 requests, 3 rate-limit points/);
  });
});
