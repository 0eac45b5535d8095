// The first two requests for a repository, sent together the moment its
// collection starts: the overview and the community profile. They need only
// the client and the query texts, so the CLI sends them before it loads the
// rest of the collection (answer schemas and zod, paging, metrics), which it
// does while they are under way (collect-all.ts): the first request leaves the
// process as soon as the options are read.
import type { GitHubClient } from "./client.js";
import type { CommunityProfile } from "./queries/community-profile-answer.js";
import { COMMUNITY_PROFILE_ROUTE } from "./queries/community-profile.js";
import type { OverviewAnswer } from "./queries/overview-answer.js";
import { OVERVIEW_POINTS, OVERVIEW_QUERY, OVERVIEW_UPDATE_COUNTS, overviewUpdateVariables } from "./queries/overview.js";
import { updateCountInstants } from "./paging/issue-windows.js";
import type { RepositoryRef } from "./repository-link.js";
import type { RepositoryRequests } from "./repository-requests.js";
import { MS_PER_DAY } from "./time.js";

/** The recent-activity window when --since is not given. */
export const DEFAULT_ACTIVITY_DAYS = 90;

export interface FirstRequests {
  /** The collection's start: the issue-count instants and the activity window are counted from it. */
  startedAt: Date;
  activitySince: Date;
  /** The instants whose issue counts the overview asked for. */
  instants: string[];
  overview: Promise<OverviewAnswer["repository"]>;
  profile: Promise<CommunityProfile>;
  /** Resolves once both have been handed to fetch (or have ended before): what is loaded from then on no longer delays them. */
  sent: Promise<void>;
}

/** A request's context that also tells when the request is handed to fetch. */
function contextTellingSent(requests: RepositoryRequests, what: string) {
  let markSent = () => {};
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  return { context: { ...requests.context(what), onSend: () => markSent() }, sent };
}

export function sendFirstRequests(
  client: GitHubClient,
  ref: RepositoryRef,
  requests: RepositoryRequests,
  options: { since: Date | null; now?: () => Date },
): FirstRequests {
  const startedAt = (options.now ?? (() => new Date()))();
  const activitySince = options.since ?? new Date(startedAt.getTime() - DEFAULT_ACTIVITY_DAYS * MS_PER_DAY);
  const instants = updateCountInstants(startedAt, OVERVIEW_UPDATE_COUNTS);
  // The overview first: everything else waits for its answer, the profile only for the end.
  const overviewRequest = contextTellingSent(requests, "overview");
  const profileRequest = contextTellingSent(requests, "community profile");
  // The answers' shapes need zod: loaded once the requests are out of the way.
  let outOfTheWay = () => {};
  const sent = new Promise<void>((resolve) => (outOfTheWay = resolve));
  const answers = sent.then(() => Promise.all([import("./queries/overview-answer.js"), import("./queries/community-profile-answer.js")]));
  const overview = client
    .query(
      OVERVIEW_QUERY,
      { owner: ref.owner, name: ref.name, activitySince: activitySince.toISOString(), ...overviewUpdateVariables(instants) },
      answers.then(([m]) => m.OverviewAnswerSchema),
      overviewRequest.context,
      { points: OVERVIEW_POINTS },
    )
    .then((answer) => {
      requests.answered();
      return answer.repository;
    });
  const profile = client
    .get(
      COMMUNITY_PROFILE_ROUTE,
      { owner: ref.owner, repo: ref.name },
      answers.then(([, m]) => m.CommunityProfileSchema),
      profileRequest.context,
    )
    .then((answer) => {
      requests.answered();
      return answer;
    });
  requests.progress();
  // Either may fail before its caller awaits it (the profile only after the overview has had its say): not an unhandled rejection.
  profile.catch(() => {});
  overview.catch(() => {});
  // A request that ends before reaching fetch (refused credentials, a deadline) is out of the way too.
  const settled = (request: Promise<unknown>) => request.then(() => {}, () => {});
  void Promise.all([Promise.race([overviewRequest.sent, settled(overview)]), Promise.race([profileRequest.sent, settled(profile)])]).then(outOfTheWay);
  return { startedAt, activitySince, instants, overview, profile, sent };
}
