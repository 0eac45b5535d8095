// Collects one repository. The overview and the community profile go first,
// together (first-requests.ts); the overview already holds everything that is
// a count, the first pull requests and the last one, the first page of recent
// commits, and how many issues were updated since each of a set of instants.
// From there the issues (windows of update time), the pull requests (both ends
// towards each other) and the remaining commit pages are read at once through
// readAll, each request as full as the others allow, within the client's
// bound on requests under way. Any failure fails the whole repository: a
// report is returned complete or not at all.
import type { GitHubClient, RequestStats } from "./client.js";
import { sendFirstRequests, type FirstRequests } from "./first-requests.js";
import { computeReport, type MetricWindow } from "./metrics.js";
import { CommitHistoryReads } from "./paging/commit-history-reads.js";
import { IssueReads } from "./paging/issue-reads.js";
import { planWindows } from "./paging/issue-windows.js";
import { PullRequestReads } from "./paging/pull-request-reads.js";
import { readAll } from "./paging/read-all.js";
import { PAGE_SIZE } from "./queries/common.js";
import { overviewUpdateCounts } from "./queries/overview-answer.js";
import { formatRepositoryRef, type RepositoryRef } from "./repository-link.js";
import { RepositoryRequests } from "./repository-requests.js";
import type { CommunityReport } from "../vocabulary/community-report.js";

export interface CollectOptions {
  since: Date | null;
  /** The repository's requests when the caller keeps them (for its deadline and costs); otherwise its own. */
  requests?: RepositoryRequests;
  /** The overview and the profile, when the caller already sent them; otherwise sent here. */
  first?: FirstRequests;
  /** Called after every request with the requests done and the total expected (when `requests` is not given). */
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
}

export interface RepositoryCollection {
  report: CommunityReport;
  stats: RequestStats;
}

export async function collectRepository(client: GitHubClient, ref: RepositoryRef, options: CollectOptions): Promise<RepositoryCollection> {
  const now = options.now ?? (() => new Date());
  const repository = formatRepositoryRef(ref);
  const requests = options.requests ?? new RepositoryRequests(repository, options.onProgress ? { onProgress: options.onProgress } : {});
  const first = options.first ?? sendFirstRequests(client, ref, requests, { since: options.since, now });
  const { startedAt, activitySince, instants } = first;
  const base = { owner: ref.owner, name: ref.name };
  const context = (what: string) => requests.context(what);
  const answered = () => requests.answered();

  const overview = await first.overview;
  const issueTotal = overview.openIssues.totalCount + overview.closedIssues.totalCount;
  const windowSize = issueWindowSize(issueTotal, client.limiter.maxInFlight);
  const issues = new IssueReads({
    client,
    base,
    context,
    windows: planWindows(issueTotal, instants, overviewUpdateCounts(overview), windowSize),
    windowSize,
    totalCount: issueTotal,
    earliest: Date.parse(overview.createdAt),
    latest: startedAt.getTime(),
    // The newest instant counted is an hour old: a margin for GitHub's clock and ours.
    moved: { since: instants.at(-1)!, count: overviewUpdateCounts(overview).at(-1)! },
    onAnswer: answered,
  });
  const pullRequests = new PullRequestReads({
    client,
    base,
    context,
    total: overview.openPullRequests.totalCount + overview.notOpenPullRequests.totalCount,
    head: overview.pullRequestsHead,
    tail: overview.pullRequestsTail,
    onAnswer: answered,
  });
  const activity = overview.defaultBranchRef?.target?.activityCommits;
  const commits = activity ? new CommitHistoryReads({ client, base, context, activitySince, first: activity, onAnswer: answered }) : undefined;
  requests.expect(() => issues.requestsLeft() + pullRequests.requestsLeft() + (commits?.requestsLeft() ?? 0));

  const reading = { acquire: () => client.acquire(requests.signal), repository };
  const [, , , profile] = await Promise.all([readAll(issues, reading), readAll(pullRequests, reading), commits && readAll(commits, reading), first.profile]);

  const window: MetricWindow = { collectedOn: now(), since: options.since, activitySince };
  return {
    report: computeReport(
      { overview, issues: issues.issues(), pullRequests: pullRequests.pullRequests(), commitAuthors: commits?.commitAuthors() ?? [], profile },
      window,
    ),
    stats: requests.stats,
  };
}

/**
 * Issues per window: enough windows for twice the requests that may be under
 * way, so the windows keep every slot busy and none is much longer than the
 * others; at least a page.
 */
function issueWindowSize(issueTotal: number, maxInFlight: number): number {
  return Math.max(PAGE_SIZE, Math.ceil(issueTotal / (2 * maxInFlight)));
}
