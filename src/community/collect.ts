// Collects one repository. The overview and the community profile go first,
// together; the overview already holds everything that is a count, the first
// pull requests and the last one, the first page of recent commits, and how
// many issues were updated since each of a set of instants. From there the
// issues (windows of update time), the pull requests (both ends towards each
// other) and the remaining commit pages are read at once, each request as
// full as the others allow, within the client's bound on requests under way.
// Any failure fails the whole repository: a report is returned complete or not
// at all.
import type { GitHubClient, RequestContext, RequestStats } from "./client.js";
import { newRequestStats } from "./client.js";
import { computeReport, type MetricWindow } from "./metrics.js";
import { paginateAfter } from "./paginate.js";
import { IssueReads } from "./paging/issue-reads.js";
import { planWindows, updateCountInstants } from "./paging/issue-windows.js";
import { PullRequestReads } from "./paging/pull-request-reads.js";
import { readAll } from "./paging/read-all.js";
import { CommitHistoryPageAnswerSchema, COMMIT_HISTORY_PAGE_QUERY } from "./queries/commit-history-page.js";
import { PAGE_SIZE } from "./queries/common.js";
import { COMMUNITY_PROFILE_ROUTE, CommunityProfileSchema } from "./queries/community-profile.js";
import { OVERVIEW_POINTS, OVERVIEW_QUERY, OVERVIEW_UPDATE_COUNTS, OverviewAnswerSchema, overviewUpdateCounts, overviewUpdateVariables } from "./queries/overview.js";
import { formatRepositoryRef, type RepositoryRef } from "./repository-link.js";
import { MS_PER_DAY } from "./time.js";
import type { CommunityReport } from "../vocabulary/community-report.js";

/** The recent-activity window when --since is not given. */
export const DEFAULT_ACTIVITY_DAYS = 90;

export interface CollectOptions {
  since: Date | null;
  /** Filled as requests are made, so that a failed repository still tells what it cost. */
  stats?: RequestStats;
  /** Called after every request with the requests done and the total expected. */
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
}

export interface RepositoryCollection {
  report: CommunityReport;
  stats: RequestStats;
}

export async function collectRepository(client: GitHubClient, ref: RepositoryRef, options: CollectOptions): Promise<RepositoryCollection> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const repository = formatRepositoryRef(ref);
  const stats = options.stats ?? newRequestStats();
  const activitySince = options.since ?? new Date(startedAt.getTime() - DEFAULT_ACTIVITY_DAYS * MS_PER_DAY);
  const base = { owner: ref.owner, name: ref.name };
  // Progress: requests answered out of those sent and those still to send (known once the overview has answered).
  let sent = 0;
  let answeredCount = 0;
  let notYetSent = () => 0;
  const context = (what: string): RequestContext => {
    sent += 1;
    return { repository, what, stats };
  };
  const progress = () => options.onProgress?.(answeredCount, Math.max(answeredCount, sent + notYetSent()));
  const answered = () => {
    answeredCount += 1;
    progress();
  };

  const instants = updateCountInstants(startedAt, OVERVIEW_UPDATE_COUNTS);
  const profile = client.get(COMMUNITY_PROFILE_ROUTE, { owner: ref.owner, repo: ref.name }, CommunityProfileSchema, context("community profile")).then((p) => {
    answered();
    return p;
  });
  // The profile fails the repository too, but only after the overview has had its say.
  profile.catch(() => {});
  const { repository: overview } = await client.query(
    OVERVIEW_QUERY,
    { ...base, activitySince: activitySince.toISOString(), ...overviewUpdateVariables(instants) },
    OverviewAnswerSchema,
    context("overview"),
    { points: OVERVIEW_POINTS },
  );
  answered();

  const issueTotal = overview.openIssues.totalCount + overview.closedIssues.totalCount;
  const windowSize = issueWindowSize(issueTotal, client.limiter.maxInFlight);
  const issues = new IssueReads({
    client,
    base,
    context,
    windows: planWindows(issueTotal, instants, overviewUpdateCounts(overview), windowSize),
    windowSize,
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
  let commitPagesNotSent = activity ? Math.ceil(activity.totalCount / PAGE_SIZE) - 1 : 0;
  notYetSent = () => issues.requestsLeft() + pullRequests.requestsLeft() + Math.max(0, commitPagesNotSent);
  progress();

  const acquire = () => client.acquire();
  const [, , commitAuthors, communityProfile] = await Promise.all([
    readAll(issues, acquire),
    readAll(pullRequests, acquire),
    activity
      ? paginateAfter(activity, async (cursor, page) => {
          commitPagesNotSent -= 1;
          const answer = await client.query(
            COMMIT_HISTORY_PAGE_QUERY,
            { ...base, activitySince: activitySince.toISOString(), cursor },
            CommitHistoryPageAnswerSchema,
            context(`commit history page ${page}`),
            { points: 1 },
          );
          answered();
          return answer.repository.defaultBranchRef.target.history;
        }).then((nodes) => nodes.map((n) => n.author))
      : [],
    profile,
  ]);

  const window: MetricWindow = { collectedOn: now(), since: options.since, activitySince };
  return {
    report: computeReport({ overview, issues: issues.issues(), pullRequests: pullRequests.pullRequests(), commitAuthors, profile: communityProfile }, window),
    stats,
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
