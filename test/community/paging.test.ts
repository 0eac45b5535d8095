// The community request graph against the stand-in, in process: however the
// issues are cut into windows and the pull requests read from both ends
// towards each other, each one is counted exactly once, at page boundaries,
// where chains meet, and while issues change under the collection; requests
// stay within their bound, slow down when GitHub says so, and cost no more
// requests or points than reading each connection in pages of 100.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { z } from "zod";
import { GitHubClient, type QueryOptions, type RequestContext } from "../../src/community/client.js";
import { collectRepository } from "../../src/community/collect.js";
import type { RateLimitInfo } from "../../src/community/rate-limit-gate.js";
import { RequestLimiter } from "../../src/community/request-limiter.js";
import { silentLogger } from "../../src/log/logger.js";
import { expectedReport } from "../github-standin/expected.js";
import { generatedRepository, spreadRepository, type SpreadSpec } from "../github-standin/fixtures.js";
import type { FakeRepository } from "../github-standin/model.js";
import { issueNodeId, pullRequestNodeId } from "../github-standin/resolvers.js";
import { startGitHubStandin, STANDIN_TOKEN, type GitHubStandin } from "../github-standin/server.js";

const anchorMs = Date.now();
const HOUR_MS = 3_600_000;

/** A client that counts how often each issue or pull request came back, and can act after each answer. */
class ObservedClient extends GitHubClient {
  readonly reads = new Map<string, number>();
  afterAnswer: ((operation: string, ids: string[]) => void) | null = null;

  override async query<S extends z.ZodType<{ rateLimit: RateLimitInfo }>>(document: string, variables: Record<string, unknown>, schema: S | Promise<S>, context: RequestContext, options: QueryOptions) {
    const answer = await super.query(document, variables, schema, context, options);
    const ids: string[] = [];
    for (const value of Object.values((answer as { repository?: Record<string, unknown> }).repository ?? {})) {
      for (const node of (value as { nodes?: Array<{ id?: unknown }> } | null)?.nodes ?? []) {
        if (typeof node.id === "string") ids.push(node.id);
      }
    }
    for (const id of ids) this.reads.set(id, (this.reads.get(id) ?? 0) + 1);
    this.afterAnswer?.(/^query (\w+)/.exec(document.trim())?.[1] ?? "", ids);
    return answer;
  }
}

let standin: GitHubStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function collect(repo: FakeRepository, options: { latencyMs?: number; limiter?: RequestLimiter } = {}) {
  standin ??= await startGitHubStandin({ repositories: [repo], latencyMs: options.latencyMs ?? 0 });
  const client = new ObservedClient({ token: STANDIN_TOKEN, apiUrl: standin.url, logger: silentLogger, ...(options.limiter ? { limiter: options.limiter } : {}) });
  return { client, standin, run: () => collectRepository(client, { owner: repo.owner, name: repo.name }, { since: null }) };
}

/** The report's fields that expected.ts works out, with the report's own values. */
function comparable(report: Record<string, unknown>, expected: Record<string, unknown>): unknown {
  return Object.fromEntries(Object.keys(expected).map((k) => [k, typeof expected[k] === "object" && expected[k] !== null ? comparable(report[k] as Record<string, unknown>, expected[k] as Record<string, unknown>) : report[k]]));
}

function expectExactFigures(report: Record<string, any>, repo: FakeRepository): void {
  const expected = expectedReport(repo, Date.parse(report.recent_activity.since));
  expect(comparable(report, expected)).toEqual(expected);
}

function readCounts(client: ObservedClient, ids: string[]): number[] {
  return ids.map((id) => client.reads.get(id) ?? 0);
}

/** Today's requests and points: the overview, each connection in pages of 100 after it, the profile. */
function todays(repo: FakeRepository) {
  const pages = (n: number) => Math.ceil(n / 100);
  const commits = (repo.commits ?? []).filter((c) => Date.parse(c.committedDate) >= anchorMs - 90 * 24 * HOUR_MS).length;
  return {
    requests: 1 + pages(repo.issues.length) + pages(repo.pullRequests.length) + pages(commits) + 1,
    points: 1 + pages(repo.issues.length) + 3 * pages(repo.pullRequests.length) + pages(commits),
  };
}

const spread = (spec: Partial<SpreadSpec> & { issueCount: number; pullRequestCount: number }) =>
  spreadRepository(anchorMs, { owner: "acme", name: `r${spec.issueCount}-${spec.pullRequestCount}`, recentCommitCount: 120, years: 6, ...spec });

describe("every issue and pull request exactly once", () => {
  it.each([
    [0, 0],
    [1, 1],
    [99, 15],
    [100, 16],
    [101, 17],
    [199, 116],
    [200, 117],
    [201, 216],
    [1234, 217],
    [2500, 1003],
  ])("%i issues and %i pull requests: each read once, exact figures, no more requests or points than pages of 100", async (issueCount, pullRequestCount) => {
    const repo = spread({ issueCount, pullRequestCount });
    const { client, standin, run } = await collect(repo);
    const { report, stats } = await run();
    expect(readCounts(client, repo.issues.map((_, i) => issueNodeId(repo, i))).filter((n) => n !== 1)).toEqual([]);
    // The overview reads the first 15 pull requests and the last one: the same one twice when there are 15 or fewer.
    expect(readCounts(client, repo.pullRequests.map((_, i) => pullRequestNodeId(repo, i))).filter((n) => n !== 1)).toEqual(pullRequestCount >= 1 && pullRequestCount <= 15 ? [2] : []);
    expectExactFigures(report, repo);
    const today = todays(repo);
    expect(stats.requests).toBeLessThanOrEqual(today.requests);
    expect(stats.rateLimitPoints).toBeLessThanOrEqual(today.points);
    expect(stats.rateLimitPoints).toBe(standin.requests.reduce((sum, r) => sum + r.cost, 0));
    expect(standin.invalidQueries).toEqual([]);
  });

  it("when issues come in bursts (windows cut again and again) and many share one second at a window's edge", async () => {
    const repo = generatedRepository(anchorMs, { owner: "acme", name: "bursts", issueCount: 2345, pullRequestCount: 0, recentCommitCount: 0 });
    const tie = new Date(anchorMs - 50 * 24 * HOUR_MS).toISOString();
    for (const issue of repo.issues.slice(0, 400)) issue.updatedAt = tie;
    const { client, run } = await collect(repo);
    const { report, stats } = await run();
    expect(readCounts(client, repo.issues.map((_, i) => issueNodeId(repo, i))).filter((n) => n !== 1)).toEqual([]);
    expectExactFigures(report, repo);
    expect(stats.requests).toBeLessThanOrEqual(todays(repo).requests);
  });
});

describe("issues that change while they are collected", () => {
  it("an issue updated before it was read is read at the end, once, as it is now", async () => {
    const repo = spread({ issueCount: 1500, pullRequestCount: 0 });
    const { client, standin, run } = await collect(repo);
    // The issue updated longest ago: nothing has read it before the first issue request runs.
    const oldest = repo.issues.reduce((a, b) => (Date.parse(b.updatedAt ?? b.createdAt) < Date.parse(a.updatedAt ?? a.createdAt) ? b : a));
    let changed = false;
    standin.beforeExecute = (record) => {
      if (changed || record.operation !== "IssueSlices") return;
      changed = true;
      oldest.comments.push({ author: "latecomer", createdAt: new Date().toISOString() });
      delete oldest.updatedAt;
      standin.dataChanged();
    };
    const { report } = await run();
    expect(changed).toBe(true);
    expect(client.reads.get(issueNodeId(repo, repo.issues.indexOf(oldest)))).toBeGreaterThanOrEqual(1);
    expectExactFigures(report, repo);
  });

  it("an issue updated after it was read is kept once, in its latest version", async () => {
    const repo = spread({ issueCount: 1500, pullRequestCount: 0 });
    const { client, standin, run } = await collect(repo);
    let changedId: string | undefined;
    client.afterAnswer = (operation, ids) => {
      if (changedId || operation !== "IssueSlices" || ids.length === 0) return;
      changedId = ids[0]!;
      const issue = repo.issues.find((_, i) => issueNodeId(repo, i) === changedId)!;
      issue.comments.push({ author: "latecomer", createdAt: new Date().toISOString() });
      issue.closedAt ??= new Date(Date.parse(issue.createdAt) + HOUR_MS).toISOString();
      delete issue.updatedAt;
      standin.dataChanged();
    };
    const { report } = await run();
    expect(client.reads.get(changedId!)).toBe(2);
    // Counted as closed by the overview (taken before) or not: the rest follows the issue as it is now.
    const expected = expectedReport(repo, Date.parse(report.recent_activity.since));
    expect(report.issues_info.average_comments_per_issue).toBe(expected.issues_info.average_comments_per_issue);
    expect(report.issues_info.median_time_to_close_hours).toBe(expected.issues_info.median_time_to_close_hours);
    expect(report.issues_info.median_time_to_first_response_hours).toBe(expected.issues_info.median_time_to_first_response_hours);
  });

  it("an issue opened while the windows are read is collected too, and nothing twice", async () => {
    const repo = spread({ issueCount: 800, pullRequestCount: 0 });
    const { client, standin, run } = await collect(repo);
    let opened = false;
    client.afterAnswer = (operation) => {
      if (opened || operation !== "IssueSlices") return;
      opened = true;
      repo.issues.push({ author: "newcomer", createdAt: new Date().toISOString(), closedAt: null, comments: [] });
      standin.dataChanged();
    };
    const { report } = await run();
    expect(readCounts(client, [issueNodeId(repo, repo.issues.length - 1)])).toEqual([1]);
    const expected = expectedReport(repo, Date.parse(report.recent_activity.since));
    expect(report.issues_info.average_comments_per_issue).toBe(expected.issues_info.average_comments_per_issue);
    expect(report.recent_activity.issues_opened_number).toBe(expected.recent_activity.issues_opened_number);
  });

  it("a pull request opened after the overview lies beyond the ends and is not read; the others each once", async () => {
    const repo = spread({ issueCount: 0, pullRequestCount: 450 });
    const original = structuredClone(repo);
    const { client, standin, run } = await collect(repo);
    let opened = false;
    client.afterAnswer = (operation) => {
      if (opened || operation !== "RepositoryOverview") return;
      opened = true;
      repo.pullRequests.push({ author: "newcomer", createdAt: new Date().toISOString(), state: "OPEN", mergedAt: null, commitCount: 1, comments: [], reviews: [] });
      standin.dataChanged();
    };
    const { report } = await run();
    expect(readCounts(client, original.pullRequests.map((_, i) => pullRequestNodeId(original, i))).filter((n) => n !== 1)).toEqual([]);
    expect(client.reads.get(pullRequestNodeId(repo, 450))).toBeUndefined();
    expectExactFigures(report, original);
  });
});

describe("progress", () => {
  it("counts requests answered out of those sent and still to send, ending at n of n", async () => {
    const repo = spread({ issueCount: 1500, pullRequestCount: 300 });
    standin = await startGitHubStandin({ repositories: [repo] });
    const client = new GitHubClient({ token: STANDIN_TOKEN, apiUrl: standin.url, logger: silentLogger });
    const calls: Array<[number, number]> = [];
    const { stats } = await collectRepository(client, { owner: repo.owner, name: repo.name }, { since: null, onProgress: (done, total) => calls.push([done, total]) });
    // One call when the first requests are out (nothing answered yet), one per answer, and one more when the overview has told how many to expect.
    expect(calls[0]).toEqual([0, 2]);
    expect(calls).toHaveLength(stats.requests + 2);
    expect(calls.every(([done], i) => i === 0 || done - calls[i - 1]![0] <= 1)).toBe(true);
    expect(calls.every(([done, total]) => done <= total)).toBe(true);
    // Once the overview has answered, the total is known to within the requests that share pages.
    expect(calls.at(-1)).toEqual([stats.requests, stats.requests]);
    expect(Math.max(...calls.slice(3).map(([, total]) => total)) - stats.requests).toBeLessThanOrEqual(2);
  });
});

describe("requests under way", () => {
  it("stay within the limiter's bound while using it", async () => {
    const repo = spread({ issueCount: 3000, pullRequestCount: 300 });
    const { standin, run } = await collect(repo, { latencyMs: 40, limiter: new RequestLimiter({ maxInFlight: 4 }) });
    await run();
    expect(standin.maxInFlight).toBeLessThanOrEqual(4);
    expect(standin.maxInFlight).toBeGreaterThanOrEqual(3);
  });

  it("pause for the Retry-After of a secondary rate limit, then go on at half the bound", async () => {
    const repo = spread({ issueCount: 3000, pullRequestCount: 0 });
    const limiter = new RequestLimiter({ maxInFlight: 8 });
    const slowDown = vi.spyOn(limiter, "slowDown");
    const slowedAt: number[] = [];
    slowDown.mockImplementation(function (this: RequestLimiter, ms: number) {
      slowedAt.push(Date.now());
      return RequestLimiter.prototype.slowDown.call(this, ms);
    });
    const grantedAt: number[] = [];
    const acquire = limiter.acquire.bind(limiter);
    vi.spyOn(limiter, "acquire").mockImplementation(async () => {
      const release = await acquire();
      grantedAt.push(Date.now());
      return release;
    });
    const { standin, run } = await collect(repo, { latencyMs: 20, limiter });
    standin.injectFault({ kind: "secondary-rate-limit", times: 1, operation: "IssueSlices", after: 4, retryAfterSeconds: 1 });
    const { report } = await run();
    expectExactFigures(report, repo);
    expect(slowDown).toHaveBeenCalledWith(1000);
    // Requests already under way go on; none is let start between the refusal and the end of its wait.
    expect(slowedAt).toHaveLength(1);
    expect(grantedAt.filter((t) => t > slowedAt[0]! && t < slowedAt[0]! + 990)).toEqual([]);
    expect(grantedAt.some((t) => t >= slowedAt[0]! + 990)).toBe(true);
    expect(standin.requests.filter((r) => r.operation === "IssueSlices").length).toBeGreaterThan(5);
  });
});
