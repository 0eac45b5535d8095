// GitHub's community profile (REST only): the health percentage and which
// community files a repository has. has_wiki comes from GraphQL instead.
import { z } from "zod";

export const COMMUNITY_PROFILE_ROUTE = "GET /repos/{owner}/{repo}/community/profile";

// Each file is an object when present and null when absent.
const file = z.object({}).passthrough().nullable().optional();

export const CommunityProfileSchema = z.object({
  health_percentage: z.number().int(),
  content_reports_enabled: z.boolean().optional(),
  files: z.object({
    code_of_conduct: file,
    code_of_conduct_file: file,
    contributing: file,
    issue_template: file,
    pull_request_template: file,
    license: file,
    readme: file,
  }),
});

export type CommunityProfile = z.infer<typeof CommunityProfileSchema>;
