// Pieces every query shares: the rate-limit selection and its zod shape, and
// the page size (GitHub's maximum, so a repository takes as few requests as possible).
import { z } from "zod";

export const PAGE_SIZE = 100;

/** Comments (and reviews) read per item to find its first response; see docs/community.md. */
export const FIRST_RESPONSE_LOOKAHEAD = 10;

export const RATE_LIMIT_SELECTION = "rateLimit { cost remaining resetAt }";

export const RateLimitSchema = z.object({
  cost: z.number().int().nonnegative(),
  remaining: z.number().int(),
  resetAt: z.string(),
});

export const PageInfoSchema = z.object({
  hasNextPage: z.boolean(),
  endCursor: z.string().nullable(),
});

/** GitHub answers null for the author of a deleted account ("ghost"). */
export const ActorSchema = z.object({ login: z.string() }).nullable();

export const CommentsSampleSchema = z.object({
  totalCount: z.number().int().nonnegative(),
  nodes: z.array(z.object({ createdAt: z.string(), author: ActorSchema })),
});

export const COMMENTS_SAMPLE_SELECTION = `comments(first: ${FIRST_RESPONSE_LOOKAHEAD}) { totalCount nodes { createdAt author { login } } }`;
