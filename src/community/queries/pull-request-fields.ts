// What is asked of each pull request (the overview's first and last ones and
// every slice): dates, author, comment and commit counts, and the first
// comments and reviews (either can be the first response); its id lets reads
// that overlap be merged. Its answer's shape is in pull-request-node.ts.
import { COMMENTS_SAMPLE_SELECTION, FIRST_RESPONSE_LOOKAHEAD } from "./common.js";

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
