import { describe, expect, it } from "vitest";
import type { CommunityReport } from "../../../vocabulary/community-report.js";
import { formatCsv } from "./csv.js";
import { formatJson } from "./json.js";
import { formatTable } from "./table.js";

const report: CommunityReport = {
  owner: "o",
  repo: "r,1",
  star_number: 1,
  fork_number: 0,
  pull_requests_info: {
    open_pull_request_number: 0,
    closed_pull_request_number: 0,
    average_comments_per_pull_request: 0,
    average_commits_per_pull_request: 0,
    merged_pull_request_number: 0,
    median_time_to_first_response_hours: null,
    median_time_to_merge_hours: null,
  },
  issues_info: {
    open_issues_number: 1,
    closed_issues_number: 2,
    average_comments_per_issue: 1 / 3,
    median_time_to_first_response_hours: 1.5,
    median_time_to_close_hours: null,
    median_open_issue_age_hours: 3,
  },
  community_documentation: {
    health_percentage: 50,
    has_code_of_conduct: false,
    has_contributing: true,
    has_issue_template: false,
    has_pull_request_template: false,
    has_license: true,
    has_readme: true,
    has_content_reports_enabled: false,
    has_wiki: false,
  },
  releases_info: { release_number: 0, last_release_date: null },
  last_commit_date: null,
  recent_activity: { since: "2026-01-01T00:00:00.000+00:00", issues_opened_number: 0, issues_closed_number: 0, pull_requests_merged_number: 0, commit_author_number: 0 },
  time_window_since: null,
  collected_on: "2026-01-02T00:00:00.000+00:00",
};

describe("output formats", () => {
  it("json keeps the seed's field order and nesting, tab-indented", () => {
    const text = formatJson([report, report]);
    expect(text.startsWith('{\n\t"owner": "o",\n\t"repo": "r,1",\n\t"star_number": 1,\n\t"fork_number": 0,\n\t"pull_requests_info": {\n\t\t"open_pull_request_number": 0,')).toBe(true);
    expect(text.split("\n}\n")).toHaveLength(3);
  });

  it("csv has dotted headers and quotes cells that need it", () => {
    const [header, row] = formatCsv([report]).split("\n");
    expect(header?.split(",").slice(0, 5)).toEqual(["owner", "repo", "star_number", "fork_number", "pull_requests_info.open_pull_request_number"]);
    expect(row?.startsWith('o,"r,1",1,0,0,')).toBe(true);
    expect(header?.split(",")).toHaveLength(36);
  });

  it("table has one row per field and a column per repository", () => {
    const lines = formatTable([report]).trimEnd().split("\n");
    // The header, its rule, and one line per field.
    expect(lines).toHaveLength(38);
    expect(lines[0]).toMatch(/^field\s+o\/r,1$/);
    expect(lines[1]).toMatch(/^─+\s+─+$/);
    expect(lines.find((l) => l.startsWith("issues_info.average_comments_per_issue"))).toMatch(/0\.33$/);
    expect(lines.find((l) => l.startsWith("releases_info.last_release_date"))).toMatch(/ -$/);
  });
});
