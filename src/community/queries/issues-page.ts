// One page of issues with what the metrics need per issue: dates, author,
// comment count, and the first comments (to find the first response).
import { z } from "zod";
import { ActorSchema, COMMENTS_SAMPLE_SELECTION, CommentsSampleSchema, PAGE_SIZE, PageInfoSchema, RATE_LIMIT_SELECTION, RateLimitSchema } from "./common.js";

export const ISSUES_PAGE_QUERY = `
query IssuesPage($owner: String!, $name: String!, $cursor: String) {
  ${RATE_LIMIT_SELECTION}
  repository(owner: $owner, name: $name) {
    issues(first: ${PAGE_SIZE}, after: $cursor) {
      pageInfo { hasNextPage endCursor }
      nodes {
        state
        createdAt
        closedAt
        author { login }
        ${COMMENTS_SAMPLE_SELECTION}
      }
    }
  }
}`;

export const IssueNodeSchema = z.object({
  state: z.enum(["OPEN", "CLOSED"]),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  author: ActorSchema,
  comments: CommentsSampleSchema,
});

export const IssuesPageAnswerSchema = z.object({
  rateLimit: RateLimitSchema,
  repository: z.object({
    issues: z.object({ pageInfo: PageInfoSchema, nodes: z.array(IssueNodeSchema) }),
  }),
});

export type IssueNode = z.infer<typeof IssueNodeSchema>;
