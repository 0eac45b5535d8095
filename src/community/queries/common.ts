// Pieces every query shares: the rate-limit and page-info selections, the page
// size (GitHub's maximum, so a repository takes as few requests as possible),
// and GitHub's rate-limit cost formula, to predict a query's points. Only text
// and numbers: what the answers must look like is in common-answers.ts, so the
// first requests can be sent before zod is loaded (first-requests.ts).
export const PAGE_SIZE = 100;

/** Comments (and reviews) read per item to find its first response; see docs/community.md. */
export const FIRST_RESPONSE_LOOKAHEAD = 10;

export const RATE_LIMIT_SELECTION = "rateLimit { cost remaining resetAt }";

/** Both ends of a page: a read backwards goes on from its startCursor. */
export const PAGE_INFO_SELECTION = "pageInfo { hasNextPage startCursor endCursor }";

export const COMMENTS_SAMPLE_SELECTION = `comments(first: ${FIRST_RESPONSE_LOOKAHEAD}) { totalCount nodes { createdAt author { login } } }`;

/**
 * The points GitHub charges a query, from the connection requests it needs
 * (each connection counts once per item of the connection above it): divided
 * by 100, rounded, at least 1. See "Rate limits and query limits for the
 * GraphQL API".
 */
export function pointsFor(connectionRequests: number): number {
  return Math.max(1, Math.round(connectionRequests / 100));
}
