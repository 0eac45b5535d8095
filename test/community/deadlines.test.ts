// Servers that do not answer, or not in time, or not in full: every request
// has a deadline (--request-timeout) and is retried past it like a failed one;
// a repository has one too (--repository-timeout). Each run ends by itself in
// bounded time with the failed repository named and the others printed; the
// process exits on its own (run-cli kills nothing: a process that lingered
// would show as a late end).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { expectedReport } from "../github-standin/expected.js";
import { generatedRepository, tinyRepository } from "../github-standin/fixtures.js";
import { parseReports, runCommunity, type CliRun } from "./run-cli.js";
import { useStandinSuite } from "./standin-suite.js";

const anchorMs = Date.now();
const tiny = tinyRepository(anchorMs);
const medium = generatedRepository(anchorMs, { owner: "acme", name: "medium", issueCount: 150, pullRequestCount: 40, recentCommitCount: 120 });
const silent = generatedRepository(anchorMs, { owner: "acme", name: "silent", issueCount: 10, pullRequestCount: 0, recentCommitCount: 0 });

const suite = useStandinSuite([tiny, medium, silent]);
const { common, requestsOf } = suite;
const seconds = (run: CliRun) => (run.finishedAtMs - run.startedAtMs) / 1000;

/** The figures expected.ts works out from the repository's data, against the report's own. */
function expectExactFigures(report: Record<string, any>, repo: typeof medium): void {
  expect(report).toMatchObject(expectedReport(repo, Date.parse(report.recent_activity.since)));
}

describe("request deadlines", () => {
  it("gives up a repository whose server never answers after 3 timed-out attempts, naming what it waited for, and prints the others", async () => {
    suite.standin.injectFault({ kind: "silent", times: 100, repository: "acme/silent" });
    const run = await runCommunity(["acme/silent", "acme/tiny", "--request-timeout", "0.3", ...common()]);
    expect(run.code).toBe(1);
    expect(parseReports(run.stdout).map((r) => r.repo)).toEqual(["tiny"]);
    expect(run.stderr).toMatch(
      /Could not collect community data for acme\/silent: GitHub did not answer the (overview|community profile) for acme\/silent: no complete answer within 0\.3 s, 3 times \(\d+(\.\d)? s in all, with the pauses between retries\); check that the API URL \(--api-url, \$GITHUB_API_URL\) is right and reachable from here; if GitHub is only slow, allow each request longer with --request-timeout <seconds>/,
    );
    // Visible without --debug: each timed-out attempt sent again.
    expect(run.stderr).toMatch(/WARN\[.*\] acme\/silent: overview sent again \(attempt 2\) after: no complete answer within 0\.3 s/);
    expect(run.stderr).toContain("1 of 2 repositories could not be collected");
    expect(requestsOf("acme/silent", "RepositoryOverview")).toHaveLength(3);
    // Three deadlines of 0.3 s and the retry plugin's pauses of 1 and 4 s between them.
    expect(seconds(run)).toBeGreaterThanOrEqual(5.9);
    expect(seconds(run)).toBeLessThan(15);
  });

  it("ends against a server that accepts connections and never answers at all (the issue's experiment), with short deadlines", async () => {
    const sockets = new Set<import("node:net").Socket>();
    const server = http.createServer(() => {});
    server.on("connection", (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = await runCommunity(["cloudius-systems/osv", "--api-url", url, "--results-dir", suite.resultsDir, "--request-timeout", "0.2"]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/Could not collect community data for cloudius-systems\/osv: GitHub did not answer the (overview|community profile) for cloudius-systems\/osv: no complete answer within 0\.2 s, 3 times/);
      expect(seconds(run)).toBeLessThan(15);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("retries a request answered only after its deadline, and the figures are exact", async () => {
    suite.standin.injectFault({ kind: "slow", times: 1, repository: "acme/medium", operation: "IssueSlices", delayMs: 2_000 });
    const run = await runCommunity(["acme/medium", "--request-timeout", "0.5", ...common()]);
    expect(run.code).toBe(0);
    const [report] = parseReports(run.stdout);
    expectExactFigures(report!, medium);
    expect(run.stderr).toMatch(/WARN\[.*\] acme\/medium: issues page \d+ sent again \(attempt 2\) after: no complete answer within 0\.5 s/);
    const issueRequests = requestsOf("acme/medium", "IssueSlices");
    expect(issueRequests.filter((r) => r.fault === "slow")).toHaveLength(1);
    expect(issueRequests.filter((r) => r.status === 200).length).toBe(issueRequests.length - 1);
    expect(seconds(run)).toBeLessThan(10);
  });

  it("retries a request whose connection closed half-way through the answer, and the figures are exact", async () => {
    suite.standin.injectFault({ kind: "cut-connection", times: 1, repository: "acme/medium", operation: "PullRequestSlices" });
    suite.standin.injectFault({ kind: "cut-connection", times: 1, repository: "acme/medium", operation: "CommunityProfile" });
    const run = await runCommunity(["acme/medium", "--debug", ...common()]);
    expect(run.code).toBe(0);
    expectExactFigures(parseReports(run.stdout)[0]!, medium);
    expect(run.stderr).toMatch(/DEBU\[.*\] acme\/medium: pull requests page 1 sent again \(attempt 2\) after: no answer: the connection broke before the whole answer arrived/);
    expect(run.stderr).toMatch(/DEBU\[.*\] acme\/medium: community profile sent again \(attempt 2\) after: no answer: the connection broke before the whole answer arrived/);
    expect(requestsOf("acme/medium", "PullRequestSlices").filter((r) => r.fault === "cut-connection")).toHaveLength(1);
    expect(seconds(run)).toBeLessThan(10);
  });
});

describe("the repository deadline", () => {
  it("fails a repository still waiting at its deadline, saying for what and how long, cuts its requests short and keeps the others", async () => {
    suite.standin.injectFault({ kind: "silent", times: 100, repository: "acme/silent" });
    const run = await runCommunity(["acme/silent", "acme/tiny", "acme/medium", "--repository-timeout", "1.5", ...common()]);
    expect(run.code).toBe(1);
    expect(parseReports(run.stdout).map((r) => r.repo)).toEqual(["tiny", "medium"]);
    expect(run.stderr).toMatch(
      /Could not collect community data for acme\/silent: acme\/silent was not collected within its deadline of 1\.5 s \(--repository-timeout\): after 0 of 2 requests, it was still waiting for GitHub to answer the (community profile|overview) \(for 1\.5 s\), the (overview|community profile) \(for 1\.5 s\)\. If GitHub is only slow, allow more with --repository-timeout <seconds>; if its answers hang, a shorter --request-timeout <seconds> makes each request give up and retry sooner/,
    );
    // The default request deadline (30 s) was never reached: the repository's requests were ended with it.
    expect(seconds(run)).toBeLessThan(10);
    expect(requestsOf("acme/silent", "RepositoryOverview")).toHaveLength(1);
  });

  it("does not count the waits GitHub asks for", async () => {
    // A secondary rate limit with Retry-After 2 s, longer than the whole deadline: the deadline moves by as long.
    suite.standin.injectFault({ kind: "secondary-rate-limit", times: 1, repository: "acme/tiny", operation: "RepositoryOverview", retryAfterSeconds: 2 });
    const run = await runCommunity(["acme/tiny", "--repository-timeout", "1.5", ...common()]);
    expect(run.stderr).toMatch(/GitHub secondary rate limit hit .*retrying in 2s/);
    expect(run.code, run.stderr).toBe(0);
    expect(parseReports(run.stdout)[0]).toMatchObject({ repo: "tiny", star_number: 42 });
    expect(seconds(run)).toBeGreaterThanOrEqual(2);
  });
});
