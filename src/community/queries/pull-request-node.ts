// What the metrics need of a pull request: dates, author, comment and commit
// counts, and the first comments and reviews (either can be the first
// response); its id lets reads that overlap be merged, each pull request once.
import { z } from "zod";
import { ActorSchema, COMMENTS_SAMPLE_SELECTION, CommentsSampleSchema, FIRST_RESPONSE_LOOKAHEAD } from "./common.js";
import type { SlicedConnection } from "./slices.js";

export const PULL_REQUEST_FIELDS = {
  name: "PullRequestFields",
  text: `fragment PullRequestFields on PullRequest {
  id
  state
  createdAt
  mergedAt
  author { login }
  commits { totalCount }
  ${COMMENTS_SAMPLE_SELECTION}
  reviews(first: ${FIRST_RESPONSE_LOOKAHEAD}) { nodes { submittedAt author { login } } }
}`,
  /** Connections under each pull request (commits, comments, reviews), for the cost formula. */
  connectionsPerNode: 3,
};

export const PullRequestNodeSchema = z.object({
  id: z.string(),
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

export type PullRequestNode = z.infer<typeof PullRequestNodeSchema>;

/** Pull requests read in slices, in order of creation. */
export const PULL_REQUEST_SLICES: SlicedConnection<PullRequestNode> = {
  operation: "PullRequestSlices",
  field: "pullRequests",
  orderBy: "CREATED_AT",
  fragment: PULL_REQUEST_FIELDS,
  nodeSchema: PullRequestNodeSchema,
};
