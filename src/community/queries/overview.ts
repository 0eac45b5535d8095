// One query for everything that is a count or a single value: stars, forks,
// open/closed/merged totals, releases, the last commit, the wiki flag, and the
// number of commits in the activity window (to size the history paging).
import { z } from "zod";
import { RATE_LIMIT_SELECTION, RateLimitSchema } from "./common.js";

export const OVERVIEW_QUERY = `
query RepositoryOverview($owner: String!, $name: String!, $activitySince: GitTimestamp!) {
  ${RATE_LIMIT_SELECTION}
  repository(owner: $owner, name: $name) {
    owner { login }
    name
    stargazerCount
    forkCount
    hasWikiEnabled
    openPullRequests: pullRequests(states: OPEN) { totalCount }
    notOpenPullRequests: pullRequests(states: [CLOSED, MERGED]) { totalCount }
    mergedPullRequests: pullRequests(states: MERGED) { totalCount }
    openIssues: issues(states: OPEN) { totalCount }
    closedIssues: issues(states: CLOSED) { totalCount }
    releases(first: 1, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      nodes { createdAt publishedAt }
    }
    defaultBranchRef {
      target {
        ... on Commit {
          lastCommit: history(first: 1) { nodes { committedDate } }
          activityCommits: history(since: $activitySince) { totalCount }
        }
      }
    }
  }
}`;

const total = z.object({ totalCount: z.number().int().nonnegative() });

export const OverviewAnswerSchema = z.object({
  rateLimit: RateLimitSchema,
  repository: z.object({
    owner: z.object({ login: z.string() }),
    name: z.string(),
    stargazerCount: z.number().int().nonnegative(),
    forkCount: z.number().int().nonnegative(),
    hasWikiEnabled: z.boolean(),
    openPullRequests: total,
    notOpenPullRequests: total,
    mergedPullRequests: total,
    openIssues: total,
    closedIssues: total,
    releases: total.extend({
      nodes: z.array(z.object({ createdAt: z.string(), publishedAt: z.string().nullable() })),
    }),
    // Empty repositories have no default branch; a tag or tree target has no history.
    defaultBranchRef: z
      .object({
        target: z
          .object({
            lastCommit: z.object({ nodes: z.array(z.object({ committedDate: z.string() })) }).optional(),
            activityCommits: total.optional(),
          })
          .nullable(),
      })
      .nullable(),
  }),
});

export type OverviewAnswer = z.infer<typeof OverviewAnswerSchema>;
