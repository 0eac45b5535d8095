// One page of the default branch's commits since the activity window's start,
// with the author identity used to count distinct authors.
import { z } from "zod";
import { PageInfoSchema, RateLimitSchema } from "./common-answers.js";
import { PAGE_SIZE, RATE_LIMIT_SELECTION } from "./common.js";

export const COMMIT_HISTORY_PAGE_QUERY = `
query CommitHistoryPage($owner: String!, $name: String!, $activitySince: GitTimestamp!, $cursor: String) {
  ${RATE_LIMIT_SELECTION}
  repository(owner: $owner, name: $name) {
    defaultBranchRef {
      target {
        ... on Commit {
          history(first: ${PAGE_SIZE}, after: $cursor, since: $activitySince) {
            pageInfo { hasNextPage endCursor }
            nodes { author { email name user { login } } }
          }
        }
      }
    }
  }
}`;

export const CommitAuthorSchema = z
  .object({
    email: z.string().nullable(),
    name: z.string().nullable(),
    user: z.object({ login: z.string() }).nullable(),
  })
  .nullable();

export const CommitHistoryPageAnswerSchema = z.object({
  rateLimit: RateLimitSchema,
  repository: z.object({
    defaultBranchRef: z.object({
      target: z.object({
        history: z.object({ pageInfo: PageInfoSchema, nodes: z.array(z.object({ author: CommitAuthorSchema })) }),
      }),
    }),
  }),
});

export type CommitAuthor = z.infer<typeof CommitAuthorSchema>;
