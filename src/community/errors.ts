// Turns what octokit throws into messages a user can act on. A repository
// fails with one CommunityError; the CLI prints its message and goes on.
import { GraphqlResponseError, RequestError } from "../vendor/github.js";
import { AttemptTimedOutError, RequestTimedOutError } from "./deadline/request-deadline.js";
import { formatSeconds } from "./time.js";

export class CommunityError extends Error {
  override readonly name = "CommunityError";
}

/** The token was refused: every later request would be refused too. */
export class BadCredentialsError extends CommunityError {}

export const TOKEN_HELP =
  "create a token at https://github.com/settings/tokens (no scope is needed for public repositories; " +
  "private ones need \"repo\") and run: export GITHUB_TOKEN=<token>";

/** What to try when GitHub does not answer in time. */
export const TIMEOUT_HELP =
  "check that the API URL (--api-url, $GITHUB_API_URL) is right and reachable from here; if GitHub is only slow, allow each request longer with --request-timeout <seconds>";

export function describeGitHubError(error: unknown, repository: string, what: string): CommunityError {
  if (error instanceof CommunityError) return error;
  if (error instanceof RequestTimedOutError) {
    return new CommunityError(
      `GitHub did not answer the ${what} for ${repository}: no complete answer within ${formatSeconds(error.timeoutMs)}, ${error.attempts} times ` +
        `(${formatSeconds(error.elapsedMs)} in all, with the pauses between retries); ${TIMEOUT_HELP}`,
    );
  }
  if (error instanceof AttemptTimedOutError) {
    return new CommunityError(`${what} for ${repository} failed after retries, the last of them with no complete answer within ${formatSeconds(error.timeoutMs)}; ${TIMEOUT_HELP}`);
  }
  if (error instanceof GraphqlResponseError) {
    const errors = error.errors ?? [];
    if (errors.some((e) => e.type === "NOT_FOUND")) {
      return new CommunityError(
        `repository ${repository} was not found, or the token cannot see it (check the spelling; private repositories need a token with the "repo" scope)`,
      );
    }
    return new CommunityError(`GitHub refused the ${what} query for ${repository}: ${errors.map((e) => e.message).join("; ")}`);
  }
  if (error instanceof RequestError) {
    if (error.status === 401) {
      return new BadCredentialsError(`GitHub rejected the token (401 Bad credentials): the token in GITHUB_TOKEN is wrong, expired or revoked; ${TOKEN_HELP}`);
    }
    if (error.status === 404) {
      return new CommunityError(`repository ${repository} was not found, or the token cannot see it (${what})`);
    }
    const status = error.status === 500 && !error.response ? "no answer" : `HTTP ${error.status}`;
    return new CommunityError(`${what} for ${repository} failed after retries (${status}: ${error.message})`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CommunityError(`${what} for ${repository} failed: ${message}`);
}
