// One page of pull requests: dates, author, comment and commit counts, and the
// first comments and reviews (either one can be the first response).
import { z } from "zod";
import {
  ActorSchema,
  COMMENTS_SAMPLE_SELECTION,
  CommentsSampleSchema,
  FIRST_RESPONSE_LOOKAHEAD,
  PAGE_SIZE,
  PageInfoSchema,
  RATE_LIMIT_SELECTION,
  RateLimitSchema,
} from "./common.js";

export const PULL_REQUESTS_PAGE_QUERY = `
query PullRequestsPage($owner: String!, $name: String!, $cursor: String) {
  ${RATE_LIMIT_SELECTION}
  repository(owner: $owner, name: $name) {
    pullRequests(first: ${PAGE_SIZE}, after: $cursor) {
      pageInfo { hasNextPage endCursor }
      nodes {
        state
        createdAt
        mergedAt
        author { login }
        commits { totalCount }
        ${COMMENTS_SAMPLE_SELECTION}
        reviews(first: ${FIRST_RESPONSE_LOOKAHEAD}) { nodes { submittedAt author { login } } }
      }
    }
  }
}`;

export const PullRequestNodeSchema = z.object({
  state: z.enum(["OPEN", "CLOSED", "MERGED"]),
  createdAt: z.string(),
  mergedAt: z.string().nullable(),
  author: ActorSchema,
  commits: z.object({ totalCount: z.number().int().nonnegative() }),
  comments: CommentsSampleSchema,
  reviews: z.object({
    // submittedAt is null for a review still pending.
    nodes: z.array(z.object({ submittedAt: z.string().nullable(), author: ActorSchema })),
  }),
});

export const PullRequestsPageAnswerSchema = z.object({
  rateLimit: RateLimitSchema,
  repository: z.object({
    pullRequests: z.object({ pageInfo: PageInfoSchema, nodes: z.array(PullRequestNodeSchema) }),
  }),
});

export type PullRequestNode = z.infer<typeof PullRequestNodeSchema>;
