// The community profile's answer (community-profile.ts), checked with zod.
import { z } from "zod";

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
