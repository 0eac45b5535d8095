// The community subcommand end to end: the built CLI against the GitHub stand-in.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CommunityRunSchema } from "../../src/results/community-run-schema.js";
import { expectedReport, openIssueAgeBoundsHours } from "../github-standin/expected.js";
import { emptyRepository, generatedRepository, tinyRepository } from "../github-standin/fixtures.js";
import { STANDIN_TOKEN } from "../github-standin/server.js";
import { parseReports, runCommunity } from "./run-cli.js";
import { useStandinSuite } from "./standin-suite.js";

const DAY_MS = 86_400_000;
const anchorMs = Date.now();
const tiny = tinyRepository(anchorMs);
const big = generatedRepository(anchorMs, { owner: "acme", name: "big", issueCount: 1050, pullRequestCount: 230, recentCommitCount: 250 });
const medium = generatedRepository(anchorMs, { owner: "acme", name: "medium", issueCount: 150, pullRequestCount: 0, recentCommitCount: 0 });
const empty = emptyRepository("acme", "empty");

const suite = useStandinSuite([tiny, big, medium, empty]);
const { common } = suite;

describe("community against the stand-in", () => {
  it("reports the hand-made repository's exact figures in the seed's shape", async () => {
    const run = await runCommunity(["https://github.com/acme/tiny", ...common()]);
    expect(run.stderr).toContain("Collecting community data for https://github.com/acme/tiny");
    expect(run.code).toBe(0);
    const [report] = parseReports(run.stdout);
    expect(Object.keys(report!).slice(0, 7)).toEqual(["owner", "repo", "star_number", "fork_number", "pull_requests_info", "issues_info", "community_documentation"]);
    expect(report).toMatchObject({
      owner: "acme",
      repo: "tiny",
      star_number: 42,
      fork_number: 7,
      pull_requests_info: {
        open_pull_request_number: 1,
        closed_pull_request_number: 2,
        average_comments_per_pull_request: 2 / 3,
        average_commits_per_pull_request: 3,
        merged_pull_request_number: 1,
        median_time_to_first_response_hours: 3, // 1 h (bob's review) and 5 h (alice on bob's PR)
        median_time_to_merge_hours: 6,
      },
      issues_info: {
        open_issues_number: 1,
        closed_issues_number: 2,
        average_comments_per_issue: 5 / 3,
        median_time_to_first_response_hours: 3, // 3, 4 and 2 h
        median_time_to_close_hours: 15,
      },
      community_documentation: {
        health_percentage: 85,
        has_code_of_conduct: true,
        has_contributing: true,
        has_issue_template: false,
        has_pull_request_template: true,
        has_license: true,
        has_readme: true,
        has_content_reports_enabled: true,
        has_wiki: true,
      },
      releases_info: { release_number: 2, last_release_date: tiny.releases[1]!.publishedAt },
      last_commit_date: tiny.commits![0]!.committedDate,
      recent_activity: { issues_opened_number: 2, issues_closed_number: 1, pull_requests_merged_number: 0, commit_author_number: 2 },
      time_window_since: null,
    });
    // The open issue is 10 days old at collection time.
    expect(report!.issues_info.median_open_issue_age_hours).toBeGreaterThanOrEqual(240 + (run.startedAtMs - anchorMs) / 3_600_000);
    expect(report!.issues_info.median_open_issue_age_hours).toBeLessThanOrEqual(240 + (run.finishedAtMs - anchorMs) / 3_600_000);
    expect(report!.collected_on).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    expect(Date.parse(report!.collected_on)).toBeGreaterThanOrEqual(run.startedAtMs);
    expect(Date.parse(report!.collected_on)).toBeLessThanOrEqual(run.finishedAtMs);
    expect(Date.parse(report!.recent_activity.since)).toBeCloseTo(Date.parse(report!.collected_on) - 90 * DAY_MS, -4);
  });

  it("pages over 1,000 issues, no pull requests and an empty repository concurrently, with exact figures", async () => {
    const run = await runCommunity(["acme/big", "github.com/acme/medium.git", "acme/empty/", ...common(), "--debug"]);
    expect(run.code).toBe(0);
    const reports = parseReports(run.stdout);
    expect(reports.map((r) => r.repo)).toEqual(["big", "medium", "empty"]);
    for (const [repo, report] of [big, medium, empty].map((r, i) => [r, reports[i]!] as const)) {
      const activitySinceMs = Date.parse(report.recent_activity.since);
      expect(report).toMatchObject(expectedReport(repo, activitySinceMs));
      const bounds = openIssueAgeBoundsHours(repo, run.startedAtMs, run.finishedAtMs);
      if (bounds) {
        expect(report.issues_info.median_open_issue_age_hours).toBeGreaterThanOrEqual(bounds[0]);
        expect(report.issues_info.median_open_issue_age_hours).toBeLessThanOrEqual(bounds[1]);
      } else {
        expect(report.issues_info.median_open_issue_age_hours).toBeNull();
      }
    }
    // The known answers, spelled out for the big one.
    expect(reports[0]!.issues_info).toMatchObject({ open_issues_number: 263, closed_issues_number: 787, average_comments_per_issue: 1573 / 1050 });
    expect(reports[0]!.pull_requests_info).toMatchObject({ open_pull_request_number: 46, closed_pull_request_number: 184, merged_pull_request_number: 138 });
    expect(reports[0]!.recent_activity).toMatchObject({ issues_opened_number: 350, commit_author_number: 17 });
    expect(reports[1]!.pull_requests_info).toMatchObject({ open_pull_request_number: 0, average_commits_per_pull_request: 0, median_time_to_merge_hours: null });
    expect(reports[2]).toMatchObject({ last_commit_date: null, releases_info: { release_number: 0, last_release_date: null } });

    // No more requests nor points than reading each connection in pages of 100 after the overview:
    // 1 + 11 issue pages + 3 pull request pages (3 points each) + 3 commit pages + the REST profile.
    const bigRequests = suite.standin.requests.filter((r) => r.repository === "acme/big");
    const bigPoints = bigRequests.reduce((sum, r) => sum + r.cost, 0);
    expect(bigRequests.length).toBeLessThanOrEqual(19);
    expect(bigPoints).toBeLessThanOrEqual(1 + 11 + 3 * 3 + 3);
    expect(run.stderr).toContain(`acme/big: ${bigRequests.length} requests, ${bigPoints} rate-limit points`);
    // Nothing is asked for a connection the overview showed empty or already read.
    expect(suite.standin.requests.filter((r) => r.repository === "acme/medium" && r.operation === "PullRequestSlices")).toHaveLength(0);
    expect(suite.standin.requests.filter((r) => r.repository === "acme/empty").map((r) => r.operation).sort()).toEqual(["CommunityProfile", "RepositoryOverview"]);
    expect(suite.standin.invalidQueries).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain(STANDIN_TOKEN);
  });

  it("collects the good repositories and reports missing ones, exiting 1", async () => {
    const run = await runCommunity(["acme/tiny", "acme/missing", ...common()]);
    expect(run.code).toBe(1);
    expect(parseReports(run.stdout).map((r) => r.repo)).toEqual(["tiny"]);
    expect(run.stderr).toMatch(/Could not collect community data for acme\/missing: repository acme\/missing was not found, or the token cannot see it/);
    expect(run.stderr).toContain("1 of 2 repositories could not be collected");
  });

  it("refuses an argument that is not a repository link before any request, exiting 2", async () => {
    const before = suite.standin.requests.length;
    const run = await runCommunity(["not-a-link", "acme/tiny", ...common()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"not-a-link" is not a GitHub repository link; expected https://github.com/OWNER/REPO');
    expect(run.stdout).toBe("");
    expect(suite.standin.requests.length).toBe(before);
  });

  it("limits the time-based medians to --since and counts recent activity from it", async () => {
    const since = new Date(anchorMs - 40 * DAY_MS).toISOString();
    const run = await runCommunity(["acme/tiny", "--since", since, ...common()]);
    expect(run.code).toBe(0);
    const [report] = parseReports(run.stdout);
    expect(Date.parse(report!.time_window_since)).toBe(Date.parse(since));
    expect(report!.issues_info).toMatchObject({ average_comments_per_issue: 5 / 3, median_time_to_first_response_hours: 3, median_time_to_close_hours: 20 });
    expect(report!.pull_requests_info).toMatchObject({ median_time_to_first_response_hours: 5, median_time_to_merge_hours: null });
    expect(report!.recent_activity).toMatchObject({ issues_opened_number: 2, issues_closed_number: 1, commit_author_number: 2 });
  });

  it("prints csv and table, and keeps every run as a versioned JSON document", async () => {
    const csv = await runCommunity(["acme/tiny", "acme/empty", "--output", "csv", ...common()]);
    const lines = csv.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^owner,repo,star_number,fork_number,pull_requests_info\.open_pull_request_number,/);
    expect(lines[1]).toMatch(/^acme,tiny,42,7,1,2,/);
    const table = await runCommunity(["acme/tiny", "--output", "table", ...common()]);
    expect(table.stdout).toMatch(/^star_number\s+42$/m);
    const bad = await runCommunity(["acme/tiny", "--output", "xml", ...common()]);
    expect(bad.code).toBe(2);

    // Files are named by run id (start second and a random suffix): two runs of one second sort either way.
    const files = await readdir(path.join(suite.resultsDir, "community"));
    expect(files.length).toBeGreaterThanOrEqual(2);
    const saved = await Promise.all(files.map(async (f) => CommunityRunSchema.parse(JSON.parse(await readFile(path.join(suite.resultsDir, "community", f), "utf8")))));
    // The other tests of this file keep their runs here too: this test's are the csv run and the table run.
    const byRepositories = new Map(saved.map((run) => [run.repositories.map((r) => r.report.repo).join(","), run]));
    for (const repositories of ["tiny,empty", "tiny"]) {
      expect(byRepositories.get(repositories), repositories).toMatchObject({ schemaVersion: 1, kind: "community", failures: [] });
    }
  });
});
