// The true answers for a stand-in repository, worked out from its raw data
// with plain loops, independently of the tool's metric code.
import type { FakeRepository } from "./model.js";

const HOUR_MS = 3_600_000;

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / HOUR_MS;

function firstResponse(createdAt: string, author: string | null, responses: Array<{ author: string | null; at: string }>): number | null {
  let best: number | null = null;
  for (const r of responses.slice(0, 10)) {
    if (r.author === author) continue;
    const h = hours(createdAt, r.at);
    if (best === null || h < best) best = h;
  }
  return best;
}

/** Everything except the fields that depend on the moment of collection (open issue age, collected_on). */
export function expectedReport(repo: FakeRepository, activitySinceMs: number) {
  const recent = (iso: string | null) => iso !== null && Date.parse(iso) >= activitySinceMs;
  const prs = repo.pullRequests;
  const issueResponses = repo.issues
    .map((i) => firstResponse(i.createdAt, i.author, i.comments.slice(0, 10).map((c) => ({ author: c.author, at: c.createdAt }))))
    .filter((h): h is number => h !== null);
  const prResponses = prs
    .map((p) =>
      firstResponse(p.createdAt, p.author, [
        ...p.comments.slice(0, 10).map((c) => ({ author: c.author, at: c.createdAt })),
        ...p.reviews.slice(0, 10).map((r) => ({ author: r.author, at: r.submittedAt })),
      ]),
    )
    .filter((h): h is number => h !== null);
  const authors = new Set<string>();
  for (const c of repo.commits ?? []) {
    if (Date.parse(c.committedDate) >= activitySinceMs) authors.add(c.author.login ?? c.author.email.toLowerCase());
  }
  const releases = [...repo.releases].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    owner: repo.owner,
    repo: repo.name,
    star_number: repo.stars,
    fork_number: repo.forks,
    pull_requests_info: {
      open_pull_request_number: prs.filter((p) => p.state === "OPEN").length,
      closed_pull_request_number: prs.filter((p) => p.state !== "OPEN").length,
      average_comments_per_pull_request: prs.length ? sum(prs.map((p) => p.comments.length)) / prs.length : 0,
      average_commits_per_pull_request: prs.length ? sum(prs.map((p) => p.commitCount)) / prs.length : 0,
      merged_pull_request_number: prs.filter((p) => p.state === "MERGED").length,
      median_time_to_first_response_hours: medianOf(prResponses),
      median_time_to_merge_hours: medianOf(prs.filter((p) => p.mergedAt).map((p) => hours(p.createdAt, p.mergedAt!))),
    },
    issues_info: {
      open_issues_number: repo.issues.filter((i) => !i.closedAt).length,
      closed_issues_number: repo.issues.filter((i) => i.closedAt).length,
      average_comments_per_issue: repo.issues.length ? sum(repo.issues.map((i) => i.comments.length)) / repo.issues.length : 0,
      median_time_to_first_response_hours: medianOf(issueResponses),
      median_time_to_close_hours: medianOf(repo.issues.filter((i) => i.closedAt).map((i) => hours(i.createdAt, i.closedAt!))),
    },
    releases_info: {
      release_number: repo.releases.length,
      last_release_date: releases[0] ? (releases[0].publishedAt ?? releases[0].createdAt) : null,
    },
    last_commit_date: repo.commits?.[0]?.committedDate ?? null,
    recent_activity: {
      issues_opened_number: repo.issues.filter((i) => recent(i.createdAt)).length,
      issues_closed_number: repo.issues.filter((i) => recent(i.closedAt)).length,
      pull_requests_merged_number: prs.filter((p) => recent(p.mergedAt)).length,
      commit_author_number: authors.size,
    },
  };
}

/** The bounds of the median open-issue age for a collection that ran between two instants. */
export function openIssueAgeBoundsHours(repo: FakeRepository, fromMs: number, toMs: number): [number, number] | null {
  const open = repo.issues.filter((i) => !i.closedAt).map((i) => Date.parse(i.createdAt));
  const at = (nowMs: number) => medianOf(open.map((c) => (nowMs - c) / HOUR_MS));
  const low = at(fromMs);
  const high = at(toMs);
  return low === null || high === null ? null : [low, high];
}
