import { describe, expect, it } from "vitest";
import { CommunityReportSchema } from "../vocabulary/community-report.js";
import { computeReport, firstResponseHours, type CollectedRepository } from "./metrics.js";
import type { IssueNode } from "./queries/issue-node.js";
import type { PullRequestNode } from "./queries/pull-request-node.js";

const T0 = "2026-01-01T00:00:00Z";
const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
const user = (login: string) => ({ login });

let ids = 0;

function issue(created: number, author: string | null, comments: Array<[number, string | null]>, closed?: number): IssueNode {
  return {
    id: `I${(ids += 1)}`,
    updatedAt: at(Math.max(created, closed ?? 0, ...comments.map(([h]) => h))),
    state: closed === undefined ? "OPEN" : "CLOSED",
    createdAt: at(created),
    closedAt: closed === undefined ? null : at(closed),
    author: author ? user(author) : null,
    comments: { totalCount: comments.length, nodes: comments.map(([h, a]) => ({ createdAt: at(h), author: a ? user(a) : null })) },
  };
}

function pullRequest(created: number, commits: number, merged: number | null, reviews: Array<[number, string]>): PullRequestNode {
  return {
    id: `PR${(ids += 1)}`,
    state: merged === null ? "OPEN" : "MERGED",
    createdAt: at(created),
    mergedAt: merged === null ? null : at(merged),
    author: user("alice"),
    commits: { totalCount: commits },
    comments: { totalCount: 1, nodes: [{ createdAt: at(created + 5), author: user("alice") }] },
    reviews: { nodes: reviews.map(([h, a]) => ({ submittedAt: at(h), author: user(a) })) },
  };
}

const data: CollectedRepository = {
  overview: {
    owner: { login: "o" },
    name: "r",
    stargazerCount: 7,
    forkCount: 2,
    hasWikiEnabled: true,
    openPullRequests: { totalCount: 1 },
    notOpenPullRequests: { totalCount: 2 },
    mergedPullRequests: { totalCount: 2 },
    openIssues: { totalCount: 2 },
    closedIssues: { totalCount: 2 },
    releases: { totalCount: 3, nodes: [{ createdAt: at(1), publishedAt: at(2) }] },
    defaultBranchRef: { target: { lastCommit: { nodes: [{ committedDate: at(99) }] }, } },
  },
  issues: [
    issue(0, "alice", [[1, "alice"], [3, "bob"]], 10), // response 3 h, closed in 10 h
    issue(10, null, [[11, null], [14, "bob"]], 30), // deleted author: bob answers after 4 h; closed in 20 h
    issue(40, "carol", []), // open, no response
    issue(60, "dave", [[61, null]]), // open; a deleted account answered after 1 h
  ],
  pullRequests: [pullRequest(0, 2, 6, [[2, "bob"]]), pullRequest(50, 4, 58, [[51, "alice"]]), pullRequest(70, 3, null, [])],
  commitAuthors: [
    { email: "A@x.org", name: "A", user: user("alice") },
    { email: "a@x.org", name: "A", user: user("alice") },
    { email: "Ghost@x.org", name: "G", user: null },
    { email: "ghost@x.org", name: "G", user: null },
    null,
  ],
  profile: { health_percentage: 71, content_reports_enabled: false, files: { readme: { url: "u" }, license: null, code_of_conduct: null, contributing: { url: "c" }, issue_template: null, pull_request_template: null } },
};

describe("computeReport", () => {
  const collectedOn = new Date(at(100));

  it("computes the seed's figures and the added ones", () => {
    const report = computeReport(data, { collectedOn, since: null, activitySince: new Date(at(45)) });
    expect(CommunityReportSchema.parse(report)).toEqual(report);
    expect(report.pull_requests_info).toEqual({
      open_pull_request_number: 1,
      closed_pull_request_number: 2,
      average_comments_per_pull_request: 1,
      average_commits_per_pull_request: 3,
      merged_pull_request_number: 2,
      median_time_to_first_response_hours: 2, // 2 h (bob); the author's own review does not count, the third has none
      median_time_to_merge_hours: 7, // median of 6 and 8
    });
    expect(report.issues_info).toEqual({
      open_issues_number: 2,
      closed_issues_number: 2,
      average_comments_per_issue: 5 / 4,
      median_time_to_first_response_hours: 3, // median of 3, 4, 1
      median_time_to_close_hours: 15, // median of 10 and 20
      median_open_issue_age_hours: 50, // median of 60 and 40
    });
    expect(report.community_documentation).toEqual({
      health_percentage: 71,
      has_code_of_conduct: false,
      has_contributing: true,
      has_issue_template: false,
      has_pull_request_template: false,
      has_license: false,
      has_readme: true,
      has_content_reports_enabled: false,
      has_wiki: true,
    });
    expect(report.releases_info).toEqual({ release_number: 3, last_release_date: at(2) });
    expect(report.last_commit_date).toBe(at(99));
    expect(report.recent_activity).toMatchObject({
      issues_opened_number: 1,
      issues_closed_number: 0,
      pull_requests_merged_number: 1,
      commit_author_number: 2,
    });
    expect(report.time_window_since).toBeNull();
  });

  it("limits the medians to items created since --since, but not the seed's averages", () => {
    const since = new Date(at(40));
    const report = computeReport(data, { collectedOn, since, activitySince: since });
    expect(report.issues_info.average_comments_per_issue).toBe(5 / 4);
    expect(report.issues_info.median_time_to_first_response_hours).toBe(1);
    expect(report.issues_info.median_time_to_close_hours).toBeNull();
    expect(report.pull_requests_info.median_time_to_merge_hours).toBe(8);
    expect(report.pull_requests_info.median_time_to_first_response_hours).toBeNull();
    expect(Date.parse(report.time_window_since ?? "")).toBe(since.getTime());
  });

  it("reports zero averages and null medians for a repository without issues or pull requests", () => {
    const empty = computeReport({ ...data, issues: [], pullRequests: [] }, { collectedOn, since: null, activitySince: collectedOn });
    expect(empty.pull_requests_info.average_commits_per_pull_request).toBe(0);
    expect(empty.issues_info.median_time_to_close_hours).toBeNull();
  });

  it("finds no first response when only the author and an unknown account of a deleted author wrote", () => {
    expect(firstResponseHours(at(0), null, [{ at: at(1), author: null }])).toBeNull();
    expect(firstResponseHours(at(0), "a", [{ at: at(2), author: user("b") }, { at: at(1), author: user("c") }])).toBe(1);
  });
});
