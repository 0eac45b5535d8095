// The first query for a repository, answered before anything else is known:
// everything that is a count or a single value (stars, forks, open/closed/merged
// totals, releases, the last commit, the wiki flag), and the beginnings of what
// is paged, so that small repositories need nothing more and large ones can be
// split at once: how many issues were updated since each of a set of instants
// (the issue windows), the first pull requests and the last one (the two ends
// read towards each other), and the first page of recent commits. Its static
// cost stays within one point, as today's smallest query. Its answer's shape
// is in overview-answer.ts.
import { PAGE_INFO_SELECTION, PAGE_SIZE, pointsFor, RATE_LIMIT_SELECTION } from "./common.js";
import { PULL_REQUEST_FIELDS } from "./pull-request-fields.js";

/** Instants whose issue counts the overview asks for (variables $updatedSince0..). */
export const OVERVIEW_UPDATE_COUNTS = 24;
/** Pull requests read from the start by the overview; the last one is read too. */
export const OVERVIEW_PULL_REQUESTS = 15;

export const UPDATE_COUNT_INDEXES = Array.from({ length: OVERVIEW_UPDATE_COUNTS }, (_, i) => i);
const pullRequestOrder = "orderBy: { field: CREATED_AT, direction: ASC }";

export const OVERVIEW_QUERY = `
query RepositoryOverview($owner: String!, $name: String!, $activitySince: GitTimestamp!, ${UPDATE_COUNT_INDEXES.map((i) => `$updatedSince${i}: DateTime!`).join(", ")}) {
  ${RATE_LIMIT_SELECTION}
  repository(owner: $owner, name: $name) {
    owner { login }
    name
    createdAt
    stargazerCount
    forkCount
    hasWikiEnabled
    openPullRequests: pullRequests(states: OPEN) { totalCount }
    notOpenPullRequests: pullRequests(states: [CLOSED, MERGED]) { totalCount }
    mergedPullRequests: pullRequests(states: MERGED) { totalCount }
    openIssues: issues(states: OPEN) { totalCount }
    closedIssues: issues(states: CLOSED) { totalCount }
    ${UPDATE_COUNT_INDEXES.map((i) => `issuesUpdatedSince${i}: issues(filterBy: { since: $updatedSince${i} }) { totalCount }`).join("\n    ")}
    pullRequestsHead: pullRequests(first: ${OVERVIEW_PULL_REQUESTS}, ${pullRequestOrder}) { ${PAGE_INFO_SELECTION} nodes { ...PullRequestFields } }
    pullRequestsTail: pullRequests(last: 1, ${pullRequestOrder}) { ${PAGE_INFO_SELECTION} nodes { ...PullRequestFields } }
    releases(first: 1, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      nodes { createdAt publishedAt }
    }
    defaultBranchRef {
      target {
        ... on Commit {
          lastCommit: history(first: 1) { nodes { committedDate } }
          activityCommits: history(since: $activitySince, first: ${PAGE_SIZE}) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes { author { email name user { login } } }
          }
        }
      }
    }
  }
}
${PULL_REQUEST_FIELDS.text}`;

/** The instants' variables, for instants given as ISO 8601 strings. */
export function overviewUpdateVariables(instants: readonly string[]): Record<string, string> {
  if (instants.length !== OVERVIEW_UPDATE_COUNTS) throw new Error(`the overview counts issues at ${OVERVIEW_UPDATE_COUNTS} instants, not ${instants.length}`);
  return Object.fromEntries(instants.map((instant, i) => [`updatedSince${i}`, instant]));
}

/**
 * The overview's points by GitHub's formula: the five totals, the counts, the
 * releases, the two histories, and the pull requests with their three
 * connections each.
 */
export const OVERVIEW_POINTS = pointsFor(5 + OVERVIEW_UPDATE_COUNTS + 1 + 2 + (1 + OVERVIEW_PULL_REQUESTS * PULL_REQUEST_FIELDS.connectionsPerNode) + (1 + PULL_REQUEST_FIELDS.connectionsPerNode));
