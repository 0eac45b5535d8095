// Collects several repositories at once, at most `concurrency` at a time, and
// keeps each outcome apart: one repository failing, or running past its
// deadline, never stops the others.
//
// A repository's first requests (first-requests.ts) are sent before the rest
// of its collection is loaded: collect.ts brings zod, the answer schemas, the
// paging and the metrics, which load while those requests are under way.
import { Bottleneck } from "../vendor/github.js";
import type { GitHubClient, RequestStats } from "./client.js";
import { DEFAULT_REPOSITORY_TIMEOUT_MS } from "./deadline/defaults.js";
import { RepositoryDeadline, type DeadlinePassed } from "./deadline/repository-deadline.js";
import { CommunityError } from "./errors.js";
import { sendFirstRequests } from "./first-requests.js";
import { formatRepositoryRef, type RepositoryRef } from "./repository-link.js";
import { RepositoryRequests } from "./repository-requests.js";
import { formatSeconds } from "./time.js";
import type { CommunityReport } from "../vocabulary/community-report.js";

export type RepositoryOutcome =
  | { argument: string; ok: true; report: CommunityReport; stats: RequestStats }
  | { argument: string; ok: false; error: string; stats: RequestStats };

export interface CollectAllHooks {
  onStart?: (argument: string) => void;
  /**
   * Called once the first requests are out and the rest of the collection is
   * loaded: from then on the CLI waits on GitHub, and what only the end needs
   * can load without delaying a request.
   */
  onLoaded?: () => void;
  onProgress?: (argument: string, done: number, total: number) => void;
  onFinish?: (outcome: RepositoryOutcome) => void;
}

export interface CollectAllOptions extends CollectAllHooks {
  since: Date | null;
  concurrency: number;
  /** One repository's whole collection at most, not counting the waits GitHub asks for (default DEFAULT_REPOSITORY_TIMEOUT_MS). */
  repositoryTimeoutMs?: number;
}

export async function collectAll(client: GitHubClient, targets: Array<{ argument: string; ref: RepositoryRef }>, options: CollectAllOptions): Promise<RepositoryOutcome[]> {
  const limiter = new Bottleneck({ maxConcurrent: options.concurrency });
  const deadlines = new Set<RepositoryDeadline>();
  const stopListening = client.onPause((addedMs) => deadlines.forEach((deadline) => deadline.extend(addedMs)));
  try {
    return await Promise.all(targets.map((target) => limiter.schedule(() => collectOne(client, target, options, deadlines))));
  } finally {
    stopListening();
  }
}

async function collectOne(
  client: GitHubClient,
  { argument, ref }: { argument: string; ref: RepositoryRef },
  options: CollectAllOptions,
  deadlines: Set<RepositoryDeadline>,
): Promise<RepositoryOutcome> {
  options.onStart?.(argument);
  const repository = formatRepositoryRef(ref);
  const timeoutMs = options.repositoryTimeoutMs ?? DEFAULT_REPOSITORY_TIMEOUT_MS;
  // The deadline passes on a timer, long after `requests` is set.
  const deadline: RepositoryDeadline = new RepositoryDeadline(timeoutMs, (passed): Error => deadlinePassedError(client, requests, timeoutMs, passed));
  const requests: RepositoryRequests = new RepositoryRequests(repository, { signal: deadline.signal, onProgress: (done, total) => options.onProgress?.(argument, done, total) });
  deadlines.add(deadline);
  let outcome: RepositoryOutcome;
  try {
    const collection = (async () => {
      const first = sendFirstRequests(client, ref, requests, { since: options.since });
      await first.sent;
      const { collectRepository } = await import("./collect.js");
      options.onLoaded?.();
      return collectRepository(client, ref, { since: options.since, requests, first });
    })();
    const { report } = await deadline.race(collection);
    outcome = { argument, ok: true, report, stats: requests.stats };
  } catch (error) {
    outcome = { argument, ok: false, error: error instanceof Error ? error.message : String(error), stats: requests.stats };
  } finally {
    deadline.end();
    deadlines.delete(deadline);
  }
  options.onFinish?.(outcome);
  return outcome;
}

/** What was still being read when the deadline passed, for how long, and what to try. */
function deadlinePassedError(client: GitHubClient, requests: RepositoryRequests, timeoutMs: number, passed: DeadlinePassed): Error {
  const now = Date.now();
  const waiting = client.waiting().filter((w) => w.repository === requests.repository);
  const reading = waiting.length
    ? `it was still waiting for GitHub to answer ${waiting.map((w) => `the ${w.what} (for ${formatSeconds(now - w.sinceMs)}${w.attempt > 1 ? `, attempt ${w.attempt}` : ""})`).join(", ")}`
    : "no request of it was under way (it was waiting for a free request slot, or between a request's retries)";
  const paused = passed.pausedMs > 0 ? `, not counting ${formatSeconds(passed.pausedMs)} of waits GitHub asked for` : "";
  return new CommunityError(
    `${requests.repository} was not collected within its deadline of ${formatSeconds(timeoutMs)} (--repository-timeout${paused}): ` +
      `after ${requests.done} of ${requests.total} requests, ${reading}. ` +
      "If GitHub is only slow, allow more with --repository-timeout <seconds>; if its answers hang, a shorter --request-timeout <seconds> makes each request give up and retry sooner",
  );
}
