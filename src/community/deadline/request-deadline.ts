// An octokit plugin that gives every attempt of a request a deadline of its
// own (--request-timeout), from the moment it is sent to the last byte of its
// answer: connect, headers and body. Node's fetch alone would wait minutes for
// a server that accepts the connection and never answers. It sits inside the
// retry plugin, so each attempt is timed apart, and around the reading of the
// body, so an answer that stops half-way is timed too.
//
// An attempt past its deadline fails as an unanswered request does (a
// RequestError without a response), and the retry plugin retries it as it
// retries one; an attempt whose connection broke while the body was read, too.
// Each timed-out attempt has waited a whole deadline already, so after
// MAX_TIMED_OUT_ATTEMPTS of them the request is given up (RequestTimedOutError,
// which no plugin retries). The caller's own signal (the repository's deadline)
// ends an attempt at once, without retry.
//
// Every hook of a request sees one and the same options object (before-after-
// hook binds it), so the attempt's signal is set on it, as the retry plugin
// sets its retryCount there.
import { RequestError } from "../../vendor/github.js";
import type { Octokit } from "@octokit/core";
import { formatSeconds } from "../time.js";

export const MAX_TIMED_OUT_ATTEMPTS = 3;

export interface RequestDeadlineOptions {
  /** How long one attempt may take, from sending it to the last byte of its answer. */
  requestTimeoutMs: number;
}

/** What a call's octokit `request` options may carry for this plugin (octokit's own `signal` is set per attempt). */
export interface DeadlineRequestOptions {
  /** The caller's deadline: when it aborts, the attempt ends at once with its reason and is not retried. */
  cancel?: AbortSignal;
  /** Called before each attempt after the first, with why the one before it failed. */
  onRetry?: (attempt: number, previous: AttemptFailure) => void;
}

export interface AttemptFailure {
  reason: string;
  timedOut: boolean;
}

/** An attempt that got no complete answer within its deadline; retried like a request that got none. */
export class AttemptTimedOutError extends RequestError {
  constructor(
    readonly timeoutMs: number,
    request: RequestError["request"],
  ) {
    super(`no complete answer within ${formatSeconds(timeoutMs)}`, 500, { request });
  }
}

/** The last attempt a request may time out: the request is given up. */
export class RequestTimedOutError extends Error {
  override readonly name = "RequestTimedOutError";
  constructor(
    readonly timeoutMs: number,
    readonly attempts: number,
    /** From the first attempt's start to the last one's deadline, backoff between them included. */
    readonly elapsedMs: number,
  ) {
    super(`no complete answer within ${formatSeconds(timeoutMs)}, ${attempts} times`);
  }
}

interface Attempts {
  count: number;
  timedOut: number;
  firstStartedAtMs: number;
  previous?: AttemptFailure;
}

function describeFailure(error: unknown): string {
  if (error instanceof AttemptTimedOutError) return error.message;
  if (error instanceof RequestError) return error.response ? `HTTP ${error.status}: ${error.message}` : `no answer: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export function requestDeadline(octokit: Octokit, options: Partial<RequestDeadlineOptions>): void {
  const timeoutMs = options.requestTimeoutMs;
  if (timeoutMs === undefined) return;
  // Keyed by the call's `request` options: one object for every hook and every attempt of one call.
  const attemptsOf = new WeakMap<object, Attempts>();

  octokit.hook.wrap("request", async (request, endpoint) => {
    const callOptions = (endpoint.request ??= {}) as DeadlineRequestOptions & { signal?: AbortSignal };
    const attempts = attemptsOf.get(callOptions) ?? { count: 0, timedOut: 0, firstStartedAtMs: Date.now() };
    attemptsOf.set(callOptions, attempts);
    attempts.count += 1;
    // No failure seen here: the throttling plugin retries an answer that said the rate limit was used up.
    if (attempts.count > 1) callOptions.onRetry?.(attempts.count, attempts.previous ?? { reason: "GitHub's rate limit, after waiting for its reset", timedOut: false });
    attempts.previous = undefined;

    const caller = callOptions.cancel;
    caller?.throwIfAborted();
    const attempt = new AbortController();
    const onCallerAbort = () => attempt.abort(caller!.reason);
    caller?.addEventListener("abort", onCallerAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort(new Error(`no complete answer within ${formatSeconds(timeoutMs)}`));
    }, timeoutMs);
    callOptions.signal = attempt.signal;
    try {
      return await request(endpoint);
    } catch (error) {
      if (caller?.aborted) throw caller.reason;
      let failure: unknown = error;
      if (timedOut) {
        attempts.timedOut += 1;
        if (attempts.timedOut >= MAX_TIMED_OUT_ATTEMPTS) throw new RequestTimedOutError(timeoutMs, attempts.count, Date.now() - attempts.firstStartedAtMs);
        failure = new AttemptTimedOutError(timeoutMs, endpoint as RequestError["request"]);
      } else if (!(error instanceof RequestError)) {
        // The connection broke while the body was read (fetch itself turns its own failures into RequestErrors).
        failure = new RequestError(`the connection broke before the whole answer arrived (${describeFailure(error)})`, 500, { request: endpoint as RequestError["request"] });
      }
      attempts.previous = { reason: describeFailure(failure), timedOut };
      throw failure;
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onCallerAbort);
    }
  });
}
