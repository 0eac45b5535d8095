// Collects several repositories at once, at most `concurrency` at a time, and
// keeps each outcome apart: one repository failing never stops the others.
import Bottleneck from "bottleneck";
import { newRequestStats, type GitHubClient, type RequestStats } from "./client.js";
import { collectRepository } from "./collect.js";
import type { RepositoryRef } from "./repository-link.js";
import type { CommunityReport } from "../vocabulary/community-report.js";

export type RepositoryOutcome =
  | { argument: string; ok: true; report: CommunityReport; stats: RequestStats }
  | { argument: string; ok: false; error: string; stats: RequestStats };

export interface CollectAllHooks {
  onStart?: (argument: string) => void;
  onProgress?: (argument: string, done: number, total: number) => void;
  onFinish?: (outcome: RepositoryOutcome) => void;
}

export async function collectAll(
  client: GitHubClient,
  targets: Array<{ argument: string; ref: RepositoryRef }>,
  options: { since: Date | null; concurrency: number } & CollectAllHooks,
): Promise<RepositoryOutcome[]> {
  const limiter = new Bottleneck({ maxConcurrent: options.concurrency });
  return Promise.all(
    targets.map(({ argument, ref }) =>
      limiter.schedule(async (): Promise<RepositoryOutcome> => {
        options.onStart?.(argument);
        const stats = newRequestStats();
        let outcome: RepositoryOutcome;
        try {
          const { report } = await collectRepository(client, ref, {
            since: options.since,
            stats,
            onProgress: (done, total) => options.onProgress?.(argument, done, total),
          });
          outcome = { argument, ok: true, report, stats };
        } catch (error) {
          outcome = { argument, ok: false, error: error instanceof Error ? error.message : String(error), stats };
        }
        options.onFinish?.(outcome);
        return outcome;
      }),
    ),
  );
}
