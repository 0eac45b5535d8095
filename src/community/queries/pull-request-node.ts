// A pull request as the metrics read it (pull-request-fields.ts asks for it),
// and the pull requests as a connection read in slices.
import { z } from "zod";
import { ActorSchema, CommentsSampleSchema } from "./common-answers.js";
import { PULL_REQUEST_FIELDS } from "./pull-request-fields.js";
import type { SlicedConnection } from "./slices.js";

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
