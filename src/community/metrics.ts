// From the collected nodes to the report. Pure: no I/O, no clock (collectedOn
// is passed in), so every figure can be checked against hand-made data.
import { median } from "simple-statistics";
import type { CommunityProfile } from "./queries/community-profile-answer.js";
import type { CommitAuthor } from "./queries/commit-history-page.js";
import type { IssueNode } from "./queries/issue-node.js";
import type { OverviewAnswer } from "./queries/overview-answer.js";
import type { PullRequestNode } from "./queries/pull-request-node.js";
import type { CommunityReport } from "../vocabulary/community-report.js";
import { formatIsoWithOffset, hoursBetween } from "./time.js";

/** What the report takes from the overview. */
export type OverviewFigures = Pick<
  OverviewAnswer["repository"],
  "owner" | "name" | "stargazerCount" | "forkCount" | "hasWikiEnabled" | "openPullRequests" | "notOpenPullRequests" | "mergedPullRequests" | "openIssues" | "closedIssues" | "releases" | "defaultBranchRef"
>;

export interface CollectedRepository {
  overview: OverviewFigures;
  issues: IssueNode[];
  pullRequests: PullRequestNode[];
  /** Authors of the default branch's commits since activitySince. */
  commitAuthors: CommitAuthor[];
  profile: CommunityProfile;
}

export interface MetricWindow {
  collectedOn: Date;
  /** --since: the time-based medians count only items created from then on; null for all. */
  since: Date | null;
  /** Start of the recent-activity counts: --since, or 90 days before collectedOn. */
  activitySince: Date;
}

type Login = string | null;
interface Response {
  at: string;
  author: { login: string } | null;
}

/**
 * Hours from opening to the first comment or review by someone other than
 * the author; null when none is among those read. A deleted account (null)
 * counts as someone else than a known author, but two nulls are not told apart.
 */
export function firstResponseHours(createdAt: string, author: Login, responses: Response[]): number | null {
  const times = responses
    .filter((r) => (r.author?.login ?? null) !== author)
    .map((r) => Date.parse(r.at))
    .sort((a, b) => a - b);
  return times[0] === undefined ? null : hoursBetween(createdAt, new Date(times[0]));
}

function medianOrNull(values: number[]): number | null {
  return values.length === 0 ? null : median(values);
}

function average(total: number, count: number): number {
  return count === 0 ? 0 : total / count;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function isAtOrAfter(iso: string | null, start: Date): iso is string {
  return iso !== null && Date.parse(iso) >= start.getTime();
}

/** Who wrote a commit: the GitHub login when linked, else the e-mail, else the name. */
function commitAuthorKey(author: CommitAuthor): string | null {
  if (!author) return null;
  return author.user?.login ?? author.email?.toLowerCase() ?? author.name ?? null;
}

function iso(date: Date | null): string | null {
  return date === null ? null : formatIsoWithOffset(date);
}

export function computeReport(data: CollectedRepository, window: MetricWindow): CommunityReport {
  const { overview, issues, pullRequests, profile } = data;
  const inWindow = (createdAt: string) => window.since === null || isAtOrAfter(createdAt, window.since);
  const windowIssues = issues.filter((i) => inWindow(i.createdAt));
  const windowPullRequests = pullRequests.filter((p) => inWindow(p.createdAt));

  const issueResponseHours = windowIssues
    .map((i) => firstResponseHours(i.createdAt, i.author?.login ?? null, i.comments.nodes.map((c) => ({ at: c.createdAt, author: c.author }))))
    .filter((h): h is number => h !== null);
  const pullRequestResponseHours = windowPullRequests
    .map((p) =>
      firstResponseHours(p.createdAt, p.author?.login ?? null, [
        ...p.comments.nodes.map((c) => ({ at: c.createdAt, author: c.author })),
        ...p.reviews.nodes.flatMap((r) => (r.submittedAt ? [{ at: r.submittedAt, author: r.author }] : [])),
      ]),
    )
    .filter((h): h is number => h !== null);

  const closedIssues = windowIssues.filter((i) => i.state === "CLOSED" && i.closedAt !== null);
  const openIssues = windowIssues.filter((i) => i.state === "OPEN");
  const mergedPullRequests = windowPullRequests.filter((p) => p.mergedAt !== null);

  const lastRelease = overview.releases.nodes[0];
  const target = overview.defaultBranchRef?.target;
  const lastCommitDate = target?.lastCommit?.nodes[0]?.committedDate ?? null;
  const commitAuthorKeys = new Set(data.commitAuthors.map(commitAuthorKey).filter((k): k is string => k !== null));

  return {
    owner: overview.owner.login,
    repo: overview.name,
    star_number: overview.stargazerCount,
    fork_number: overview.forkCount,
    pull_requests_info: {
      open_pull_request_number: overview.openPullRequests.totalCount,
      closed_pull_request_number: overview.notOpenPullRequests.totalCount,
      average_comments_per_pull_request: average(sum(pullRequests.map((p) => p.comments.totalCount)), pullRequests.length),
      average_commits_per_pull_request: average(sum(pullRequests.map((p) => p.commits.totalCount)), pullRequests.length),
      merged_pull_request_number: overview.mergedPullRequests.totalCount,
      median_time_to_first_response_hours: medianOrNull(pullRequestResponseHours),
      median_time_to_merge_hours: medianOrNull(mergedPullRequests.map((p) => hoursBetween(p.createdAt, p.mergedAt as string))),
    },
    issues_info: {
      open_issues_number: overview.openIssues.totalCount,
      closed_issues_number: overview.closedIssues.totalCount,
      average_comments_per_issue: average(sum(issues.map((i) => i.comments.totalCount)), issues.length),
      median_time_to_first_response_hours: medianOrNull(issueResponseHours),
      median_time_to_close_hours: medianOrNull(closedIssues.map((i) => hoursBetween(i.createdAt, i.closedAt as string))),
      median_open_issue_age_hours: medianOrNull(openIssues.map((i) => hoursBetween(i.createdAt, window.collectedOn))),
    },
    community_documentation: {
      health_percentage: profile.health_percentage,
      has_code_of_conduct: Boolean(profile.files.code_of_conduct ?? profile.files.code_of_conduct_file),
      has_contributing: Boolean(profile.files.contributing),
      has_issue_template: Boolean(profile.files.issue_template),
      has_pull_request_template: Boolean(profile.files.pull_request_template),
      has_license: Boolean(profile.files.license),
      has_readme: Boolean(profile.files.readme),
      has_content_reports_enabled: profile.content_reports_enabled ?? false,
      has_wiki: overview.hasWikiEnabled,
    },
    releases_info: {
      release_number: overview.releases.totalCount,
      last_release_date: lastRelease ? (lastRelease.publishedAt ?? lastRelease.createdAt) : null,
    },
    last_commit_date: lastCommitDate,
    recent_activity: {
      since: formatIsoWithOffset(window.activitySince),
      issues_opened_number: issues.filter((i) => isAtOrAfter(i.createdAt, window.activitySince)).length,
      issues_closed_number: issues.filter((i) => i.state === "CLOSED" && isAtOrAfter(i.closedAt, window.activitySince)).length,
      pull_requests_merged_number: pullRequests.filter((p) => isAtOrAfter(p.mergedAt, window.activitySince)).length,
      commit_author_number: commitAuthorKeys.size,
    },
    time_window_since: iso(window.since),
    collected_on: formatIsoWithOffset(window.collectedOn),
  };
}
