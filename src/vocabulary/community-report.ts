// The community report: the seed's JSON object (field names and nesting kept)
// plus the fields added beyond the seed. Durations are in hours, counts are
// plain integers, dates are ISO 8601 strings. The zod schema is the contract
// that the results store (and later the SQLite importer) relies on.
import { z } from "zod";

const isoDate = z.string().datetime({ offset: true });
/** A median over no items is null, not zero: "no data" must not read as "instant". */
const hoursOrNull = z.number().nonnegative().nullable();
const count = z.number().int().nonnegative();

export const CommunityDocumentationSchema = z.object({
  health_percentage: z.number().int().min(0).max(100),
  has_code_of_conduct: z.boolean(),
  has_contributing: z.boolean(),
  has_issue_template: z.boolean(),
  has_pull_request_template: z.boolean(),
  has_license: z.boolean(),
  has_readme: z.boolean(),
  has_content_reports_enabled: z.boolean(),
  has_wiki: z.boolean(),
});

export const CommunityReportSchema = z.object({
  owner: z.string(),
  repo: z.string(),
  star_number: count,
  fork_number: count,
  pull_requests_info: z.object({
    open_pull_request_number: count,
    /** Every pull request that is not open: closed without merge and merged. */
    closed_pull_request_number: count,
    average_comments_per_pull_request: z.number().nonnegative(),
    average_commits_per_pull_request: z.number().nonnegative(),
    merged_pull_request_number: count,
    median_time_to_first_response_hours: hoursOrNull,
    median_time_to_merge_hours: hoursOrNull,
  }),
  issues_info: z.object({
    open_issues_number: count,
    closed_issues_number: count,
    average_comments_per_issue: z.number().nonnegative(),
    median_time_to_first_response_hours: hoursOrNull,
    median_time_to_close_hours: hoursOrNull,
    median_open_issue_age_hours: hoursOrNull,
  }),
  community_documentation: CommunityDocumentationSchema,
  releases_info: z.object({
    release_number: count,
    last_release_date: isoDate.nullable(),
  }),
  last_commit_date: isoDate.nullable(),
  recent_activity: z.object({
    /** Start of the window: --since, or 90 days before collected_on. */
    since: isoDate,
    issues_opened_number: count,
    issues_closed_number: count,
    pull_requests_merged_number: count,
    commit_author_number: count,
  }),
  /** The --since date that limits the time-based medians, or null for all history. */
  time_window_since: isoDate.nullable(),
  collected_on: isoDate,
});

export type CommunityDocumentation = z.infer<typeof CommunityDocumentationSchema>;
export type CommunityReport = z.infer<typeof CommunityReportSchema>;
