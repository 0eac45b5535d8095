// The overview's answer (overview.ts), checked with zod, and the issue counts
// read from it.
import { z } from "zod";
import { CommitAuthorSchema } from "./commit-history-page.js";
import { BothEndsPageInfoSchema, PageInfoSchema, RateLimitSchema } from "./common-answers.js";
import { UPDATE_COUNT_INDEXES } from "./overview.js";
import { PullRequestNodeSchema } from "./pull-request-node.js";

const total = z.object({ totalCount: z.number().int().nonnegative() });
const pullRequestSlice = z.object({ pageInfo: BothEndsPageInfoSchema, nodes: z.array(PullRequestNodeSchema) });

export const OverviewAnswerSchema = z.object({
  rateLimit: RateLimitSchema,
  repository: z
    .object({
      owner: z.object({ login: z.string() }),
      name: z.string(),
      createdAt: z.string(),
      stargazerCount: z.number().int().nonnegative(),
      forkCount: z.number().int().nonnegative(),
      hasWikiEnabled: z.boolean(),
      openPullRequests: total,
      notOpenPullRequests: total,
      mergedPullRequests: total,
      openIssues: total,
      closedIssues: total,
      pullRequestsHead: pullRequestSlice,
      pullRequestsTail: pullRequestSlice,
      releases: total.extend({
        nodes: z.array(z.object({ createdAt: z.string(), publishedAt: z.string().nullable() })),
      }),
      // Empty repositories have no default branch; a tag or tree target has no history.
      defaultBranchRef: z
        .object({
          target: z
            .object({
              lastCommit: z.object({ nodes: z.array(z.object({ committedDate: z.string() })) }).optional(),
              activityCommits: total.extend({ pageInfo: PageInfoSchema, nodes: z.array(z.object({ author: CommitAuthorSchema })) }).optional(),
            })
            .nullable(),
        })
        .nullable(),
    })
    .extend(Object.fromEntries(UPDATE_COUNT_INDEXES.map((i) => [`issuesUpdatedSince${i}`, total])) as Record<`issuesUpdatedSince${number}`, typeof total>),
});

export type OverviewAnswer = z.infer<typeof OverviewAnswerSchema>;

/** The issue counts the overview answered, in the order of its instants. */
export function overviewUpdateCounts(repository: OverviewAnswer["repository"]): number[] {
  const counts = repository as unknown as Record<string, { totalCount: number }>;
  return UPDATE_COUNT_INDEXES.map((i) => counts[`issuesUpdatedSince${i}`]!.totalCount);
}
