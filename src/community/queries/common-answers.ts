// The shapes every answer shares (rate limit, page info, authors, the sample
// of comments), checked with zod.
import { z } from "zod";

export const RateLimitSchema = z.object({
  cost: z.number().int().nonnegative(),
  remaining: z.number().int(),
  resetAt: z.string(),
});

export const PageInfoSchema = z.object({
  hasNextPage: z.boolean(),
  endCursor: z.string().nullable(),
});

export const BothEndsPageInfoSchema = PageInfoSchema.extend({ startCursor: z.string().nullable() });

/** GitHub answers null for the author of a deleted account ("ghost"). */
export const ActorSchema = z.object({ login: z.string() }).nullable();

export const CommentsSampleSchema = z.object({
  totalCount: z.number().int().nonnegative(),
  nodes: z.array(z.object({ createdAt: z.string(), author: ActorSchema })),
});
