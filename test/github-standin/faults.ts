// Faults the stand-in can inject, each for a number of matching requests.
export type FaultKind =
  /** 502 Bad Gateway, optionally with Retry-After. */
  | "bad-gateway"
  /** 503 Service Unavailable, optionally with Retry-After. */
  | "service-unavailable"
  /** 403 "secondary rate limit" with Retry-After, as GitHub sends it. */
  | "secondary-rate-limit"
  /** 200 with a RATE_LIMITED error and x-ratelimit-reset in the near future. */
  | "rate-limited"
  /** 200 whose JSON body is cut in half (Content-Length matches the cut body). */
  | "truncated"
  /** The normal answer's headers (Content-Length of the whole body) and half its body, then the connection is closed. */
  | "cut-connection"
  /** The connection is accepted and the request read, and nothing is ever answered (until the client gives up). */
  | "silent"
  /** The normal answer, after a delay. */
  | "slow"
  /** Every page comes back with the cursor it was asked with and says more follow (a server that ignores `after`). */
  | "stuck-cursor"
  /** Paged connections report `fraction` of their totalCount. */
  | "understated-total";

export interface Fault {
  kind: FaultKind;
  /** How many matching requests get the fault. */
  times: number;
  /** Limits the fault to one repository ("owner/name"). */
  repository?: string;
  /** Limits the fault to one GraphQL operation (e.g. "IssuesPage") or "CommunityProfile" for the REST call. */
  operation?: string;
  /** Skips this many matching requests before the fault starts. */
  after?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  resetInMs?: number;
  /** understated-total: the share of its items a connection reports (default 0.1). */
  fraction?: number;
}
