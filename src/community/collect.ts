// Collects one repository: the overview query first (its totals size the
// paging), then issues, pull requests, recent commits and the community
// profile fetched concurrently, then the metrics. Any failure fails the whole
// repository: a report is returned complete or not at all.
import type { GitHubClient, RequestStats } from "./client.js";
import { newRequestStats } from "./client.js";
import { computeReport, type MetricWindow } from "./metrics.js";
import { paginate } from "./paginate.js";
import { CommitHistoryPageAnswerSchema, COMMIT_HISTORY_PAGE_QUERY } from "./queries/commit-history-page.js";
import { PAGE_SIZE } from "./queries/common.js";
import { COMMUNITY_PROFILE_ROUTE, CommunityProfileSchema } from "./queries/community-profile.js";
import { ISSUES_PAGE_QUERY, IssuesPageAnswerSchema } from "./queries/issues-page.js";
import { OVERVIEW_QUERY, OverviewAnswerSchema } from "./queries/overview.js";
import { PULL_REQUESTS_PAGE_QUERY, PullRequestsPageAnswerSchema } from "./queries/pull-requests-page.js";
import { formatRepositoryRef, type RepositoryRef } from "./repository-link.js";
import { MS_PER_DAY } from "./time.js";
import type { CommunityReport } from "./types.js";

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

function pagesFor(itemCount: number): number {
  return Math.ceil(itemCount / PAGE_SIZE);
}

export async function collectRepository(client: GitHubClient, ref: RepositoryRef, options: CollectOptions): Promise<RepositoryCollection> {
  const now = options.now ?? (() => new Date());
  const repository = formatRepositoryRef(ref);
  const stats = options.stats ?? newRequestStats();
  const activitySince = options.since ?? new Date(now().getTime() - DEFAULT_ACTIVITY_DAYS * MS_PER_DAY);
  const base = { owner: ref.owner, name: ref.name };
  const context = (what: string) => ({ repository, what, stats });

  const { repository: overview } = await client.query(
    OVERVIEW_QUERY,
    { ...base, activitySince: activitySince.toISOString() },
    OverviewAnswerSchema,
    context("overview"),
  );

  const issueCount = overview.openIssues.totalCount + overview.closedIssues.totalCount;
  const pullRequestCount = overview.openPullRequests.totalCount + overview.notOpenPullRequests.totalCount;
  const commitCount = overview.defaultBranchRef?.target?.activityCommits?.totalCount ?? 0;
  let done = 1;
  // overview + pages + community profile; grows if items appear while paging.
  let total = 1 + pagesFor(issueCount) + pagesFor(pullRequestCount) + pagesFor(commitCount) + 1;
  const tick = () => {
    done += 1;
    total = Math.max(total, done);
    options.onProgress?.(done, total);
  };
  options.onProgress?.(done, total);

  const [issues, pullRequests, commitAuthors, profile] = await Promise.all([
    issueCount === 0
      ? []
      : paginate(async (cursor, page) => {
          const answer = await client.query(ISSUES_PAGE_QUERY, { ...base, cursor }, IssuesPageAnswerSchema, context(`issues page ${page}`));
          return answer.repository.issues;
        }, tick),
    pullRequestCount === 0
      ? []
      : paginate(async (cursor, page) => {
          const answer = await client.query(PULL_REQUESTS_PAGE_QUERY, { ...base, cursor }, PullRequestsPageAnswerSchema, context(`pull requests page ${page}`));
          return answer.repository.pullRequests;
        }, tick),
    commitCount === 0
      ? []
      : paginate(async (cursor, page) => {
          const answer = await client.query(
            COMMIT_HISTORY_PAGE_QUERY,
            { ...base, activitySince: activitySince.toISOString(), cursor },
            CommitHistoryPageAnswerSchema,
            context(`commit history page ${page}`),
          );
          return answer.repository.defaultBranchRef.target.history;
        }, tick).then((nodes) => nodes.map((n) => n.author)),
    client.get(COMMUNITY_PROFILE_ROUTE, { owner: ref.owner, repo: ref.name }, CommunityProfileSchema, context("community profile")).then((p) => {
      tick();
      return p;
    }),
  ]);

  const window: MetricWindow = { collectedOn: now(), since: options.since, activitySince };
  return { report: computeReport({ overview, issues, pullRequests, commitAuthors, profile }, window), stats };
}
