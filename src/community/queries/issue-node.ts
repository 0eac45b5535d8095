// What the metrics need of an issue: dates, author, comment count and the
// first comments (to find the first response); its id and updatedAt let reads
// that overlap be merged, each issue once, its latest version kept.
import { z } from "zod";
import { ActorSchema, CommentsSampleSchema } from "./common-answers.js";
import { COMMENTS_SAMPLE_SELECTION } from "./common.js";
import type { SlicedConnection } from "./slices.js";

export const ISSUE_FIELDS = {
  name: "IssueFields",
  text: `fragment IssueFields on Issue {
  id
  state
  createdAt
  updatedAt
  closedAt
  author { login }
  ${COMMENTS_SAMPLE_SELECTION}
}`,
  /** Connections under each issue (comments), for the cost formula. */
  connectionsPerNode: 1,
};

export const IssueNodeSchema = z.object({
  id: z.string(),
  state: z.enum(["OPEN", "CLOSED"]),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  author: ActorSchema,
  comments: CommentsSampleSchema,
});

export type IssueNode = z.infer<typeof IssueNodeSchema>;

/** Issues read in slices, in order of last update. */
export const ISSUE_SLICES: SlicedConnection<IssueNode> = {
  operation: "IssueSlices",
  field: "issues",
  orderBy: "UPDATED_AT",
  fragment: ISSUE_FIELDS,
  nodeSchema: IssueNodeSchema,
};
