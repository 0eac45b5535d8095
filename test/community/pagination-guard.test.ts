// Servers whose pages do not end: a cursor that never advances (the issue's
// experiment: a commit history that answers the cursor it was asked with, and
// more pages, every time), on each kind of paginated read, and a connection
// that yields more than the totalCount it reported. Each run stops after at
// most one page too many, with the query named, and keeps the other
// repositories.
import { describe, expect, it } from "vitest";
import { generatedRepository, tinyRepository } from "../github-standin/fixtures.js";
import { parseReports, runCommunity } from "./run-cli.js";
import { useStandinSuite } from "./standin-suite.js";

const anchorMs = Date.now();
const tiny = tinyRepository(anchorMs);
// 250 recent commits, 250 issues and 60 pull requests: each is read in more than one page after the overview.
const busy = generatedRepository(anchorMs, { owner: "acme", name: "busy", issueCount: 250, pullRequestCount: 60, recentCommitCount: 250 });
const history = generatedRepository(anchorMs, { owner: "acme", name: "history", issueCount: 3, pullRequestCount: 0, recentCommitCount: 450 });

const suite = useStandinSuite([tiny, busy, history]);
const { common, requestsOf } = suite;

describe("pagination that cannot loop", () => {
  it("stops a commit history whose cursor never advances after one repeated page, naming the query (the issue's experiment)", async () => {
    suite.standin.injectFault({ kind: "stuck-cursor", times: 10_000, repository: "acme/busy", operation: "CommitHistoryPage" });
    const run = await runCommunity(["acme/busy", "acme/tiny", ...common()]);
    expect(run.code).toBe(1);
    expect(parseReports(run.stdout).map((r) => r.repo)).toEqual(["tiny"]);
    expect(run.stderr).toContain(
      "Could not collect community data for acme/busy: the commit history page 2 query for acme/busy came back with the very cursor it was asked with, so the next page would be this one again: stopped rather than loop; the server (or a proxy before it) does not page commits as GitHub does",
    );
    expect(requestsOf("acme/busy", "CommitHistoryPage")).toHaveLength(1);
    expect(run.finishedAtMs - run.startedAtMs).toBeLessThan(10_000);
  });

  it.each([
    ["IssueSlices", /the issues page \d+ query for acme\/busy came back with the very cursor it was asked with/],
    ["PullRequestSlices", /the pull requests page 1 query for acme\/busy came back with the very cursor it was asked with/],
  ])("stops %s whose cursors never advance at the first repeated page", async (operation, message) => {
    suite.standin.injectFault({ kind: "stuck-cursor", times: 10_000, repository: "acme/busy", operation });
    const run = await runCommunity(["acme/busy", ...common()]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
    // Each chain of pages sends at most one request after the page it repeats; the first repeat stops them all.
    expect(requestsOf("acme/busy", operation).length).toBeLessThanOrEqual(operation === "IssueSlices" ? 12 : 2);
  });

  it("stops a connection that yields more than the totalCount it reported, after the page that goes past the margin", async () => {
    // The overview says 45 recent commits; the history holds 450.
    suite.standin.injectFault({ kind: "understated-total", times: 1, repository: "acme/history", operation: "RepositoryOverview", fraction: 0.1 });
    const run = await runCommunity(["acme/history", "acme/tiny", ...common()]);
    expect(run.code).toBe(1);
    expect(parseReports(run.stdout).map((r) => r.repo)).toEqual(["tiny"]);
    expect(run.stderr).toContain(
      "Could not collect community data for acme/history: 200 commits were read for acme/history, more than the 45 GitHub counted (and up to 103 more added while reading): the pages do not end; stopped at the commit history page 2 query for acme/history",
    );
    expect(requestsOf("acme/history", "CommitHistoryPage")).toHaveLength(1);
  });
});
